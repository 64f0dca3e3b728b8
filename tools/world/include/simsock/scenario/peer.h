// A scenario's peer: its PeerSpec as a peer::PeerScript, and the World as the peer's environment. The
// peer itself (simsock/peer/peer.h) knows nothing of scenarios; what each step means is documented there.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "simsock/peer/peer.h"
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

}  // namespace simsock::scenario
