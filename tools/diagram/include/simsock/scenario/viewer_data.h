// What the trace viewer and the static diagram draw of one run, built from the scenario and its
// Observation: lifelines (lanes) per host, socket under test and peer; every signal, peer action and
// network event on its lane in time order; the packets between hosts with their send and arrival (or
// loss) times; and faults that last as bands from when they became active to when they ended.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario {

/// A lifeline.
struct Lane {
    enum class Kind { Host, Socket, Server, Peer, Network };
    std::string name;
    Kind kind = Kind::Host;
    std::string host;  ///< the host it lives on (a host's own name; empty for the network)
};

/// One event of a run on its lane: a signal, a call the scenario made on an object under test, a peer
/// action, a network event or a fault decision.
struct ViewerEvent {
    enum class Kind { Signal, Call, Peer, Network, Fault };
    std::int64_t timeNs = 0;
    std::size_t lane = 0;
    Kind kind = Kind::Signal;
    std::string name;   ///< the signal ("readyRead"), call ("write"), peer action ("send") or network event ("data")
    std::string label;  ///< the short text beside its mark: "readyRead(4)", "send 4 B", "data 1460 B"
    std::string text;   ///< the whole event on one line (what a search matches)
    std::string state;  ///< signals: the socket's state at delivery
    std::string call;   ///< signals: the public call it fired inside, or empty (from the loop)
    int packet = -1;    ///< index of the packet it sent, or -1
    int traceIndex = -1;  ///< signals and calls: the index of the event in the run's trace, or -1
};

/// A packet on the wire from one host lane to another (the same one for a host talking to itself).
struct ViewerPacket {
    std::size_t event = 0;  ///< the event that sent it
    std::string kind;       ///< "syn", "synack", "data", "fin", "rst", "udp", "icmp-unreach"
    std::size_t fromLane = 0, toLane = 0;
    std::int64_t bytes = 0;
    std::int64_t sentNs = 0;
    std::int64_t arrivalNs = -1;    ///< -1: it never arrived
    std::int64_t lostNs = -1;       ///< -1: it was not dropped
    std::int64_t retransmitNs = 0;  ///< > 0: the first copy was lost, sent again this much later
};

/// A fault in force from fromNs to toNs over the lanes of its hosts.
struct FaultBand {
    std::string label;  ///< "partition client server"
    std::int64_t fromNs = 0;
    std::int64_t toNs = -1;  ///< -1: still in force when the run ended
    std::vector<std::size_t> lanes;
};

/// Everything drawn of one run.
struct ViewerRun {
    std::string engine;
    std::vector<Lane> lanes;
    std::vector<ViewerEvent> events;
    std::vector<ViewerPacket> packets;
    std::vector<FaultBand> bands;
    std::int64_t endNs = 0;  ///< the scenario's runFor, or the last event's time when later
};

/// The run obs of scenario s on engine. Lanes: per host (the first host's sockets, servers and peers left of
/// it, every other host's right of it), then the network; events merged by time, log entries before
/// signals at equal times (the network and peers cause what sockets see).
ViewerRun viewerRun(const Scenario& s, const Observation& obs, const std::string& engine);

}  // namespace simsock::scenario
