// The World for any engine from BackendRegistry other than the sim (today: epoll). Every host is this
// machine: all sockets and peers share one backend, and LoopbackMap gives each scenario host its own
// loopback address and each scenario port a real one. Faults, links and real addresses are realised only
// inside a run's own namespace (kernel_namespace.h: nft and ip rules, HTB on lo, addresses on lo), where
// they touch nobody else; DNS entries are refused (the real resolver knows none of the scenario's names). The
// peer behaviours that are plain kernel behaviour are realised: close is close, reset is
// SO_LINGER{1,0} + close, a refused port is a port where nothing listens.
#include "registry_world.h"

#include <cerrno>
#include <set>

#include "kernel_faults.h"
#include "kernel_network.h"
#include "loopback_map.h"
#include "simsock/engines.h"
#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario::detail {
namespace {

class RegistryWorld final : public World {
public:
    RegistryWorld(std::unique_ptr<Backend> backend, const Scenario& s)
        : backend_(std::move(backend)), map_(s, inRunNamespace()), faults_(map_, backend_->loop()) {
        // A scripted SOCKS5 proxy's BND.PORT is what it says, not a port of this machine: spelled as is.
        for (const auto& p : s.peers)
            if (p.isProxy() && p.proxy.boundPort != 0) replyPorts_.insert(p.proxy.boundPort);
    }
    const std::string& unportable() const { return map_.unportable(); }
    /// In a run's own namespace: the real addresses and the links' bandwidth on lo; "" or what failed.
    std::string prepareNamespace(const Scenario& s) {
        if (std::string err = addRealAddresses(map_); !err.empty()) return err;
        return shapeLinks(s, map_);
    }

    Backend& backendOn(const std::string&) override { return *backend_; }
    EventLoop& loop() override { return backend_->loop(); }

    std::optional<Endpoint> endpointOf(const std::string& hostOrLiteral, std::uint16_t port, SocketType type,
                                       const std::string& fromHost) override {
        auto address = map_.addressOf(hostOrLiteral, fromHost);
        if (!address) return std::nullopt;
        return Endpoint{*address, map_.reach(*address, port, type)};
    }

    // The socket under test sent realised addresses; a name is left to the real resolver, which answers
    // localhost and nothing else here (a *.invalid name does not resolve, as the sim's proxies see it).
    std::optional<Endpoint> proxyDestination(const std::string& host, std::uint16_t port, const std::string&) override {
        if (auto lit = HostAddress::parse(host)) return Endpoint{*lit, port};
        if (host == "localhost") return Endpoint{HostAddress(HostAddress::SpecialAddress::LocalHost), port};
        return std::nullopt;
    }

    // microsocks for SOCKS5, tinyproxy for HTTP, on the peer's loopback address and a free port that
    // stands for the scenario's.
    std::unique_ptr<RealProxy> startRealProxy(const PeerSpec& spec, std::string& error) override {
        RealProxyOptions o;
        o.kind = spec.kind == PeerSpec::Kind::HttpProxy ? RealProxyOptions::Kind::Tinyproxy : RealProxyOptions::Kind::Microsocks;
        o.address = spec.address.empty() ? map_.hostAddress(spec.host)
                                         : map_.addressOf(spec.address, spec.host).value_or(map_.hostAddress(spec.host));
        if (o.address.protocol() != NetworkLayerProtocol::IPv4Protocol) return nullptr;
        o.user = spec.proxy.user;
        o.password = spec.proxy.password;
        auto real = RealProxy::start(o, error);
        if (!real) {
            error = "proxy " + spec.name + ": " + error;
            return nullptr;
        }
        map_.setPort(o.address, spec.port, SocketType::TcpSocket, real->port());
        return real;
    }

    // Peers listen exclusively (no SO_REUSEADDR): a port shared with a parallel test would split traffic.
    // A peer bound to one address binds where that address is here (::1 stays ::1).
    int bindPeer(SocketEngine& engine, const std::string& host, const std::string& at, std::uint16_t port,
                 SocketType type) override {
        const HostAddress address = at.empty() ? map_.hostAddress(host) : map_.addressOf(at, host).value_or(map_.hostAddress(host));
        int err = EACCES;
        if (port >= 1024) err = engine.bind(address, port, BindFlag::DontShareAddress);
        if (err == EACCES || err == EADDRINUSE) err = engine.bind(address, 0, BindFlag::DontShareAddress);
        if (err == 0 && port != 0) map_.setPort(address, port, type, engine.localPort());
        return err;
    }

    // By the call's arguments (calls.h): a local address is where to bind, a remote one where to send, a
    // host name is a literal to reach or a name to resolve.
    ActionSpec realise(const ActionSpec& action, const std::string& host, SocketType type) override {
        ActionSpec r = action;
        const CallArgs args = callInfo(action.call).takes;
        if (args.has(CallArg::LocalAddress)) {
            // The loader and LoopbackMap's check guarantee a mappable address here.
            HostAddress a = map_.bindAddressOf(action.host.empty() ? host : action.host, host).value_or(map_.hostAddress(host));
            if (!action.host.empty()) map_.remember(a, action.host);
            r.host = a.toString();
            r.port = map_.bindPort(a, action.port, type);
        } else if (args.has(CallArg::RemoteAddress) || (args.has(CallArg::HostName) && HostAddress::parse(action.host))) {
            if (auto to = endpointOf(action.host, action.port, type, host)) {
                map_.remember(to->address, action.host);
                r.host = to->address.toString();
                r.port = to->port;
            }
        } else if (args.has(CallArg::HostName) && action.host == "localhost") {
            // The name is kept (its lookup is part of the trace); the real resolver answers 127.0.0.1.
            r.port = map_.reach(HostAddress(HostAddress::SpecialAddress::LocalHost), action.port, type);
        }
        return r;
    }

    ReturnValue scenarioPort(std::uint16_t port) const override {
        if (port == 0) return std::int64_t{0};
        if (auto named = map_.scenarioPort(port)) return std::int64_t{*named};
        if (replyPorts_.count(port)) return std::int64_t{port};
        return Word{"ephemeral"};
    }
    std::string scenarioAddress(const HostAddress& address) const override { return map_.scenarioAddress(address); }

    // Only inside a run's own namespace (kernel_namespace.h) may faults change the kernel's network.
    std::string injectFault(const FaultEntry& f) override {
        if (!inRunNamespace()) return "faults need the sim engine or a run namespace";
        return faults_.inject(f);
    }
    void runUntilNs(std::int64_t endNs) override {
        std::int64_t remainingMs = (endNs - backend_->loop().nowNs() + 999'999) / 1'000'000;
        if (remainingMs > 0) backend_->loop().runUntil([] { return false; }, remainingMs);
    }

private:
    std::unique_ptr<Backend> backend_;
    LoopbackMap map_;
    KernelFaults faults_;
    std::set<std::uint16_t> replyPorts_;  ///< scripted SOCKS5 proxies' BND.PORTs
};

}  // namespace

std::unique_ptr<World> makeRegistryWorld(const std::string& engine, const Scenario& s, std::string& error) {
    if (needsNamespace(s) && !inRunNamespace()) {
        error = "engine " + engine + ": faults, links and DNS entries need the sim engine or a run namespace";
        return nullptr;
    }
    if (std::string why = kernelRefusal(s); !why.empty()) {
        error = "engine " + engine + ": " + why;
        return nullptr;
    }
    registerEngines();
    auto backend = BackendRegistry::instance().create(engine, BackendOptions{s.seed, s.dispatch});
    if (!backend) {
        error = "engine " + engine + ": not available yet";
        return nullptr;
    }
    auto world = std::make_unique<RegistryWorld>(std::move(backend), s);
    if (!world->unportable().empty()) {
        error = "engine " + engine + ": " + world->unportable();
        return nullptr;
    }
    if (inRunNamespace()) {
        if (std::string err = world->prepareNamespace(s); !err.empty()) {
            error = "engine " + engine + ": " + err;
            return nullptr;
        }
    }
    return world;
}

}  // namespace simsock::scenario::detail
