// What the network tells an observer: every packet-level action, peer action and fault decision,
// stamped with virtual time, so a tool can draw a sequence diagram and a test can compare two runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace simsock::sim {

/// The kind of the event that tells a packet reached its destination host.
inline constexpr std::string_view kPacketArrives = "arrive";
/// The kind of the event that tells the network dropped a packet.
inline constexpr std::string_view kPacketLost = "lost";

/// The packet an event is about (id 0: none), so a diagram can draw it from host to host.
/// An event that puts a packet on the wire ("syn", "synack", "data", "fin", "rst", "udp", "icmp-unreach")
/// carries a new id, both hosts and, when it is known on sending, the arrival. A fate event (kind
/// kPacketArrives or kPacketLost, nothing else set but detail) names a packet sent before by its id; a
/// kPacketLost with an id never sent before is a datagram dropped before it left, by the fault decision
/// logged just before it.
struct NetPacket {
    std::uint64_t id = 0;
    std::string kind;             ///< the packet's own kind: "syn", "data", "udp" ...
    std::string fromHost, toHost;  ///< host names; toHost is "?" when no host owns the destination
    std::int64_t arrivalNs = -1;   ///< when it is due at toHost, when known on sending; -1 otherwise
    std::int64_t retransmitNs = 0; ///< > 0: the link lost the first copy, sent again this much later
};

struct NetEvent {
    std::int64_t timeNs = 0;
    /// What happened: "syn", "synack", "rst", "data", "fin", "accept", "syn-drop", "udp", "udp-drop",
    /// "icmp-unreach", "lookup", "fault", "close", or a packet's fate (kPacketArrives, kPacketLost).
    std::string kind;
    std::string from;  ///< "host addr:port" of the sender (or the actor)
    std::string to;    ///< "host addr:port" of the receiver; empty when none
    std::int64_t bytes = 0;
    std::string detail;  ///< free text: the fault's name and decision, a peer step ...
    NetPacket packet;    ///< the packet the event puts on the wire or tells the fate of
};

/// One line: "<timeNs> <kind> <from> -> <to> bytes=<n> <detail>" (packet facts are not part of it).
std::string toString(const NetEvent& e);

}  // namespace simsock::sim
