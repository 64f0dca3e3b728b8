// A scenario's peer: its PeerSpec as a peer::PeerScript (or, for a proxy peer, peer::ProxySettings), and
// the World as the peer's environment. The peers themselves (simsock/peer/peer.h, proxy_peer.h) know
// nothing of scenarios; what each step means is documented there. A proxy peer without a fault may be
// realised on a real engine by a real server instead (World::startRealProxy).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simsock/peer/peer.h"
#include "simsock/peer/proxy_peer.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/world.h"

namespace simsock::scenario {

/// Names the socket under test at address:port (for the diagram), or "".
using Locator = std::function<std::string(const HostAddress&, std::uint16_t)>;

/// spec's script as the peer runs it: listen(port) first for a tcp-server, bind(port) and, when spec
/// names a destination, connect(destination) for a udp peer; then spec's steps one to one.
peer::PeerScript peerScript(const PeerSpec& spec);

/// The environment of spec's peer in world: it binds and reaches addresses as world has them, and logs
/// into world.log() as actor spec.name.
peer::PeerEnvironment peerEnvironment(const PeerSpec& spec, World& world, Locator locator);

/// spec's peer on world's backend for spec.host, not started yet.
std::unique_ptr<peer::Peer> makePeer(const PeerSpec& spec, World& world, Locator locator);

/// A peer of a scenario as the runner drives it, whatever runs it: the scripted peer, the scripted proxy,
/// or a real proxy server (which observes nothing: received() is "" and accepted() 0).
class RunningPeer {
public:
    virtual ~RunningPeer() = default;
    virtual const std::string& name() const = 0;
    /// Starts it; returns why it cannot listen or bind, else "".
    virtual std::string start() = 0;
    virtual std::string received() const = 0;
    virtual std::int64_t accepted() const = 0;
    /// Its listening or bound port, once started.
    virtual std::uint16_t localPort() const = 0;
    virtual std::vector<std::string> problems() const = 0;
    /// A descriptor a handOver step accepted (peer::Peer::takeDescriptor), or -1.
    virtual std::intptr_t takeDescriptor() { return -1; }
};

/// True when a real server may stand for proxy peer spec of scenario s: it has no fault, no split, the
/// default BND and 407 behaviour, `realServer` is not false, and expect.peers does not name it (a real
/// server cannot report what it received or how many connections it accepted).
bool realServerMayRealise(const Scenario& s, const PeerSpec& spec);

/// The peer spec describes, in world: a real proxy server when the world starts one for it, else the
/// scripted proxy or the scripted peer. Null with the reason in error when a real server fails to start.
std::unique_ptr<RunningPeer> makeRunningPeer(const Scenario& s, const PeerSpec& spec, World& world, Locator locator,
                                             std::string& error);

}  // namespace simsock::scenario
