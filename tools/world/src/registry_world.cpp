// The World for any engine from BackendRegistry other than the sim (today: epoll). Every host is this
// machine: all sockets and peers share one backend, and LoopbackMap gives each scenario host its own
// loopback address and each scenario port a real one. Faults, links, real addresses, the scenario's DNS
// and unprivileged binds below 1024 need the run's own namespace (kernel_namespace.h: nft and ip rules,
// HTB and addresses on lo), where KernelFaults realises them on the kernel, each host's engines follow that
// host's rules (host_backend.h) and a DNS server of the run's own answers the scenario's names
// (namespace_dns.h); outside one they are refused. The
// peer behaviours that are plain kernel behaviour are realised: close is close, reset is
// SO_LINGER{1,0} + close, a refused port is a port where nothing listens.
#include "registry_world.h"

#include <algorithm>
#include <cerrno>
#include <map>
#include <set>

#include "host_backend.h"
#include "kernel_faults.h"
#include "kernel_network.h"
#include "loopback_map.h"
#include "namespace_dns.h"
#include "simsock/engines.h"
#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario::detail {
namespace {

// Each host's name answers its addresses, then the `dns` entries replace or add names, as on the sim
// (SimWorld); every address is the run's realisation of the scenario's. "" or the first address that has
// none.
std::string scenarioDnsTable(const Scenario& s, const LoopbackMap& map, std::map<std::string, NamespaceDnsRecord>& out) {
    auto realise = [&map](const std::vector<std::string>& literals, const std::string& fromHost,
                          std::vector<HostAddress>& into) -> std::string {
        for (const auto& a : literals) {
            auto real = map.addressOf(a, fromHost);
            if (!real) return "DNS address \"" + a + "\" has no loopback counterpart";
            if (std::find(into.begin(), into.end(), *real) == into.end()) into.push_back(*real);
        }
        return {};
    };
    for (const auto& h : s.network.hosts)
        if (std::string why = realise(h.addresses, h.name, out[h.name].addresses); !why.empty()) return why;
    for (const auto& d : s.network.dns) {
        NamespaceDnsRecord& r = out[d.name];
        if (!d.addresses.empty()) {
            r.addresses.clear();
            if (std::string why = realise(d.addresses, "", r.addresses); !why.empty()) return why;
        }
        if (d.delayNs) r.delayNs = d.delayNs;
        if (d.failure) r.failure = *d.failure;
    }
    return {};
}

class RegistryWorld final : public World {
public:
    RegistryWorld(std::unique_ptr<Backend> backend, const Scenario& s)
        : backend_(std::move(backend)), map_(s, inRunNamespace()), faults_(map_, backend_->loop(), s) {
        // A scripted SOCKS5 proxy's BND.PORT is what it says, not a port of this machine: spelled as is.
        for (const auto& p : s.peers)
            if (p.isProxy() && p.proxy.boundPort != 0) replyPorts_.insert(p.proxy.boundPort);
        if (!map_.unportable().empty() || !inRunNamespace() || !needsScenarioDns(s)) return;
        std::map<std::string, NamespaceDnsRecord> table;
        why_ = scenarioDnsTable(s, map_, table);
        if (!why_.empty()) return;
        dns_ = std::make_unique<NamespaceDns>(std::move(table), s.network.dnsDelayNs.value_or(sim::SimResolver::kDefaultDelayNs));
        why_ = dns_->start();
        faults_.setDns(dns_.get());
    }
    const std::string& unportable() const { return map_.unportable().empty() ? why_ : map_.unportable(); }
    /// In a run's own namespace: the real addresses, the links' bandwidth and MTU on lo, before anything
    /// binds; "" or what failed.
    std::string prepareNamespace(const Scenario& s) {
        if (std::string err = addRealAddresses(map_); !err.empty()) return err;
        if (std::string err = shapeLinks(s, map_); !err.empty()) return err;
        return faults_.applyLinks();
    }

    // Outside a namespace nothing differs per host; inside, each host's engines follow its rules.
    Backend& backendOn(const std::string& host) override {
        if (!inRunNamespace()) return *backend_;
        auto& hostBackend = hostBackends_[host];
        if (!hostBackend) hostBackend = std::make_unique<HostBackend>(*backend_, host, faults_);
        return *hostBackend;
    }
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
        if (auto a = dnsFirstAddress(host)) return Endpoint{*a, port};
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
            // In a namespace a port below 1024 is bound as named: the host's privileges decide (bindAs).
            if (inRunNamespace() && action.port != 0 && action.port < 1024) map_.setPort(a, action.port, type, action.port);
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
        } else if (args.has(CallArg::HostName) && dns_) {
            // The scenario's DNS answers with realised addresses; the port is where the first one has it.
            if (auto a = dnsFirstAddress(action.host)) r.port = map_.reach(*a, action.port, type);
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
    peer::ConnectionFault connectionFault(const std::string& host, const peer::ConnectionProgress& progress) override {
        return faults_.connectionFault(host, progress);
    }
    std::vector<std::string> problems() const override { return faults_.problems(); }
    void runUntilNs(std::int64_t endNs) override {
        std::int64_t remainingMs = (endNs - backend_->loop().nowNs() + 999'999) / 1'000'000;
        if (remainingMs > 0) backend_->loop().runUntil([] { return false; }, remainingMs);
    }

private:
    // The first address the run's DNS answers for name now (none without the scenario's DNS).
    std::optional<HostAddress> dnsFirstAddress(const std::string& name) const {
        if (!dns_) return std::nullopt;
        const std::vector<HostAddress> addresses = dns_->addressesOf(name);
        if (addresses.empty()) return std::nullopt;
        return addresses.front();
    }

    std::unique_ptr<Backend> backend_;
    LoopbackMap map_;
    KernelFaults faults_;
    std::map<std::string, std::unique_ptr<HostBackend>> hostBackends_;  ///< by host, inside a namespace
    std::unique_ptr<NamespaceDns> dns_;  ///< the scenario's DNS, in a run namespace that needs it
    std::string why_;
    std::set<std::uint16_t> replyPorts_;  ///< scripted SOCKS5 proxies' BND.PORTs
};

}  // namespace

std::unique_ptr<World> makeRegistryWorld(const std::string& engine, const Scenario& s, std::string& error) {
    if (needsNamespace(s) && !inRunNamespace()) {
        error = "engine " + engine +
                ": faults, links, DNS entries and unprivileged binds below 1024 need the sim engine or a run namespace";
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
