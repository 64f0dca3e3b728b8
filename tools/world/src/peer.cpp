#include "simsock/scenario/peer.h"

#include <utility>

namespace simsock::scenario {

namespace {

// A scripted peer or proxy (both engine-generic, from tools/peer) behind the world's peer interface.
template <class P>
class Scripted final : public RunningPeer {
public:
    explicit Scripted(std::unique_ptr<P> p) : p_(std::move(p)) {}
    const std::string& name() const override { return p_->name(); }
    std::string start() override { return p_->start(); }
    std::string received() const override { return p_->received(); }
    std::int64_t accepted() const override { return p_->accepted(); }
    std::uint16_t localPort() const override { return p_->localPort(); }
    std::vector<std::string> problems() const override { return p_->problems(); }
    std::intptr_t takeDescriptor() override {
        if constexpr (requires { p_->takeDescriptor(); }) return p_->takeDescriptor();
        return -1;
    }

private:
    std::unique_ptr<P> p_;
};
using ScriptedPeer = Scripted<peer::Peer>;
using ScriptedProxy = Scripted<peer::ProxyPeer>;

// A real server was started when the world was asked; start() has nothing left to do.
class RealProxyPeer final : public RunningPeer {
public:
    RealProxyPeer(std::string name, std::unique_ptr<RealProxy> p) : name_(std::move(name)), p_(std::move(p)) {}
    const std::string& name() const override { return name_; }
    std::string start() override { return {}; }
    std::string received() const override { return {}; }
    std::int64_t accepted() const override { return 0; }
    std::uint16_t localPort() const override { return p_->port(); }
    std::vector<std::string> problems() const override { return {}; }

private:
    std::string name_;
    std::unique_ptr<RealProxy> p_;
};

}  // namespace

bool realServerMayRealise(const Scenario& s, const PeerSpec& spec) {
    const peer::ProxySettings defaults;
    const peer::ProxySettings& p = spec.proxy;
    return spec.isProxy() && spec.realServer && p.fault == peer::ProxyFault::None && p.splitDelayNs == 0 &&
           p.boundAddress == defaults.boundAddress && p.boundPort == defaults.boundPort &&
           p.closeOn407 == defaults.closeOn407 && p.wrongCredentialsStatus == defaults.wrongCredentialsStatus &&
           s.expect.peers.count(spec.name) == 0;
}

std::unique_ptr<RunningPeer> makeRunningPeer(const Scenario& s, const PeerSpec& spec, World& world, Locator locator,
                                             std::string& error) {
    if (!spec.isProxy()) return std::make_unique<ScriptedPeer>(makePeer(spec, world, std::move(locator)));
    if (realServerMayRealise(s, spec)) {
        std::unique_ptr<RealProxy> real = world.startRealProxy(spec, error);
        if (real) return std::make_unique<RealProxyPeer>(spec.name, std::move(real));
        if (!error.empty()) return nullptr;
    }
    peer::PeerEnvironment env = peerEnvironment(spec, world, std::move(locator));
    // A proxy connects where the request says, as the socket under test sent it (already this world's).
    env.reach = [&world, host = spec.host](const std::string& to, std::uint16_t port,
                                           SocketType) -> std::optional<peer::Endpoint> {
        auto where = world.proxyDestination(to, port, host);
        if (!where) return std::nullopt;
        return peer::Endpoint{where->address, where->port};
    };
    return std::make_unique<ScriptedProxy>(
        std::make_unique<peer::ProxyPeer>(world.backendOn(spec.host), spec.name, spec.proxy, std::move(env)));
}

peer::PeerScript peerScript(const PeerSpec& spec) {
    peer::PeerScript script;
    if (spec.kind == PeerSpec::Kind::TcpServer) script.listen(spec.port);
    if (spec.kind == PeerSpec::Kind::Udp) {
        script.bind(spec.port);
        if (!spec.connectHost.empty()) script.connect(spec.connectHost, spec.connectPort);
    }
    using K = PeerStep::Kind;
    for (const PeerStep& step : spec.script) {
        switch (step.kind) {
        case K::Accept: script.accept(); break;
        case K::Connect: script.connect(spec.connectHost, spec.connectPort); break;
        case K::Send: script.send(step.data); break;
        case K::Echo: script.echo(step.count); break;
        case K::Read: script.read(step.count); break;
        case K::Close: script.close(); break;
        case K::Reset: script.reset(); break;
        case K::Silent: script.silent(); break;
        case K::Delay: script.delay(step.delayNs); break;
        case K::HandOver: script.handOver(); break;
        }
    }
    // The loader checked every spelling.
    for (const auto& [name, value] : spec.options) script.option(*parseSocketOption(name), value);
    return script;
}

peer::PeerEnvironment peerEnvironment(const PeerSpec& spec, World& world, Locator locator) {
    peer::PeerEnvironment env;
    env.bind = [&world, host = spec.host, address = spec.address](SocketEngine& engine, std::uint16_t port,
                                                                  SocketType type) {
        return world.bindPeer(engine, host, address, port, type);
    };
    env.reach = [&world, host = spec.host](const std::string& to, std::uint16_t port,
                                           SocketType type) -> std::optional<peer::Endpoint> {
        auto where = world.endpointOf(to, port, type, host);
        if (!where) return std::nullopt;
        return peer::Endpoint{where->address, where->port};
    };
    env.log = [&world, name = spec.name](const peer::PeerEvent& e) {
        world.log().push_back(LogEvent{e.timeNs, name, e.what, e.bytes, e.target, e.detail, std::nullopt});
    };
    env.locate = std::move(locator);
    env.connectionFault = [&world, host = spec.host](const peer::ConnectionProgress& progress) {
        return world.connectionFault(host, progress);
    };
    return env;
}

std::unique_ptr<peer::Peer> makePeer(const PeerSpec& spec, World& world, Locator locator) {
    return std::make_unique<peer::Peer>(world.backendOn(spec.host), spec.name, peerScript(spec),
                                        peerEnvironment(spec, world, std::move(locator)));
}

}  // namespace simsock::scenario
