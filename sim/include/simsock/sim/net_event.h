// What the network tells an observer: every packet-level action, peer action and fault decision,
// stamped with virtual time, so a tool can draw a sequence diagram and a test can compare two runs.
#pragma once

#include <cstdint>
#include <string>

namespace simsock::sim {

struct NetEvent {
    std::int64_t timeNs = 0;
    /// What happened: "syn", "synack", "rst", "data", "fin", "ack-drop", "accept", "udp", "udp-drop",
    /// "udp-dup", "icmp-unreach", "lookup", "fault", "peer", "close" ...
    std::string kind;
    std::string from;  ///< "host addr:port" of the sender (or the actor)
    std::string to;    ///< "host addr:port" of the receiver; empty when none
    std::int64_t bytes = 0;
    std::string detail;  ///< free text: the fault's name and decision, a peer step ...
};

/// One line: "<timeNs> <kind> <from> -> <to> bytes=<n> <detail>".
std::string toString(const NetEvent& e);

}  // namespace simsock::sim
