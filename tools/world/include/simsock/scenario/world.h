// What the runner needs from an engine, so the runner itself stays engine-agnostic: a backend per
// host for the sockets under test and the peers, where scenario addresses and ports really are, fault
// injection, the end of the run, and the network's own log. The sim realises it with sim::Network; a
// real engine puts every host on its own loopback address and refuses what it cannot do honestly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "simsock/backend.h"
#include "simsock/peer/peer_environment.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/real_proxy.h"

namespace simsock::scenario {

/// A packet a network event put on the wire (or, on a "fault" event, the datagram it dropped before
/// it left), for diagrams; only the sim reports packets, on its virtual clock. Not part of str().
struct PacketFacts {
    std::string kind;              ///< "syn", "synack", "data", "fin", "rst", "udp", "icmp-unreach"
    std::string fromHost, toHost;  ///< host names ("?": no host owns the destination)
    std::int64_t bytes = 0;        ///< its payload
    std::int64_t arrivalNs = -1;   ///< when it reached toHost, or is due there at the end of the run; -1: never
    std::int64_t lostNs = -1;      ///< when the network dropped it (-1: it did not)
    std::int64_t retransmitNs = 0; ///< > 0: the link lost the first copy, sent again this much later
};

/// One entry of a run's observation log besides the socket signals: peer actions and network events.
/// Used for the sequence diagram and the determinism check.
struct LogEvent {
    std::int64_t timeNs = 0;
    std::string actor;  ///< a peer's name, or "network"
    std::string what;   ///< "accept", "send", "recv", "eof", "close", "reset", "fault", "syn" ...
    std::int64_t bytes = 0;
    std::string target; ///< the socket or peer it is aimed at, when known
    std::string detail;
    std::optional<PacketFacts> packet;  ///< the packet it sent at timeNs, when it is a packet event
    /// One line: "<t> <actor> <what> bytes=<n> -> <target> <detail>".
    std::string str() const;
};

/// A place a peer or an action reaches: the address and port as this world has them.
struct Endpoint {
    HostAddress address;
    std::uint16_t port = 0;
};

class World {
public:
    virtual ~World() = default;
    /// The backend whose engines live on host (sockets under test and peers are created through it).
    virtual Backend& backendOn(const std::string& host) = 0;
    virtual EventLoop& loop() = 0;
    /// Where a program on fromHost reaches hostOrLiteral:port of the scenario (a declared host name or
    /// a literal); nullopt when the world has no such place.
    virtual std::optional<Endpoint> endpointOf(const std::string& hostOrLiteral, std::uint16_t port,
                                               SocketType type, const std::string& fromHost) = 0;
    /// Where a proxy peer on fromHost connects for a request naming host:port, as the socket under test sent
    /// it (realise() already turned scenario addresses into this world's); nullopt: the name does not resolve.
    virtual std::optional<Endpoint> proxyDestination(const std::string& host, std::uint16_t port,
                                                     const std::string& fromHost) {
        return endpointOf(host, port, SocketType::TcpSocket, fromHost);
    }
    /// A real proxy server standing for proxy peer spec (realServerMayRealise), listening where the
    /// scenario's host:port of the peer is in this world; null when this world runs the scripted proxy (the
    /// sim), or with error set when the server cannot start.
    virtual std::unique_ptr<RealProxy> startRealProxy(const PeerSpec& spec, std::string& error) {
        (void)spec;
        (void)error;
        return nullptr;
    }
    /// Binds a peer's engine on the scenario's host to address (a literal of the scenario; "": every
    /// address of the host) and port (0: any port); returns the errno of the bind.
    virtual int bindPeer(SocketEngine& engine, const std::string& host, const std::string& address, std::uint16_t port,
                         SocketType type) = 0;
    /// The action with the scenario's addresses and ports replaced by where they are in this world, for
    /// an object of type on host.
    virtual ActionSpec realise(const ActionSpec& action, const std::string& host, SocketType type) = 0;
    /// A port a socket, server or peer of this world really has, as the scenario names it: the scenario's
    /// number for a port the scenario names (peers', binds', connects', listens'), 0, else "ephemeral".
    virtual ReturnValue scenarioPort(std::uint16_t port) const = 0;
    /// An address of this world as the scenario names it ("" for a null address).
    virtual std::string scenarioAddress(const HostAddress& address) const = 0;
    /// Schedules one fault of the scenario; returns an error text when the world cannot do it.
    virtual std::string injectFault(const FaultEntry& fault) = 0;
    /// What an event-triggered fault does to a connection that a tcp-server peer on host accepted, at
    /// progress. A real engine realises the scenario's close-connection / reset-connection triggers so;
    /// the sim's own stack fires them (and answers None here).
    virtual peer::ConnectionFault connectionFault(const std::string& host, const peer::ConnectionProgress& progress) {
        (void)host;
        (void)progress;
        return peer::ConnectionFault::None;
    }
    /// What went wrong realising the scenario after injectFault returned (a kernel tool that failed when
    /// a fault was applied or removed later); the run fails on any of them.
    virtual std::vector<std::string> problems() const { return {}; }
    /// Runs the loop until virtual (or real) time endNs.
    virtual void runUntilNs(std::int64_t endNs) = 0;
    /// Asks stop(events executed since this call) every `every` loop events, inside nested waits too;
    /// once it returns true the loop runs nothing more (the runner's budgets). False when this world's
    /// loop cannot be asked (a real engine's): the runner then checks between slices of runUntilNs.
    virtual bool setStopCheck(std::uint64_t every, std::function<bool(std::uint64_t events)> stop) {
        (void)every;
        (void)stop;
        return false;
    }
    /// The log the network keeps (appended to by peers too).
    std::vector<LogEvent>& log() { return log_; }

private:
    std::vector<LogEvent> log_;
};

/// The ports a scenario names: its peers' own and connect ports, and the ports of its actions (0 excluded).
std::set<std::uint16_t> namedPorts(const Scenario& scenario);

/// The world for engine name with seed, built from the scenario's network; null with why in error when
/// the engine is not available.
std::unique_ptr<World> makeWorld(const std::string& engine, const Scenario& scenario, std::string& error);

}  // namespace simsock::scenario
