#include "simsock/scenario/peer.h"

#include <utility>

namespace simsock::scenario {

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
    return env;
}

std::unique_ptr<peer::Peer> makePeer(const PeerSpec& spec, World& world, Locator locator) {
    return std::make_unique<peer::Peer>(world.backendOn(spec.host), spec.name, peerScript(spec),
                                        peerEnvironment(spec, world, std::move(locator)));
}

}  // namespace simsock::scenario
