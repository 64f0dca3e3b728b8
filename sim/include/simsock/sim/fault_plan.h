// The fault model.
//
// A fault is a named change to what the simulated network does. Nothing goes wrong unless a scenario
// asks for it: link probabilities (loss, duplication, reordering) default to zero, and every other
// fault is added explicitly with a trigger. When a fault changes an outcome, the plan logs the
// decision (a NetEvent of kind "fault" naming the fault), so every deviation from a clean run can be
// traced to the line of the scenario that caused it, and the same seed replays it exactly.
//
// Faults are either conditions or actions:
// - Conditions stay active from their trigger until cleared (clearFault, a Heal, or durationNs):
//   RefusePort, DropSyn, Partition, HostUnreachable, NetworkUnreachable, LookupFailure,
//   DescriptorExhaustion, AddressInUse, AccessDenied, DatagramLimit, ConnectTimeout.
// - Actions happen once when triggered: CloseConnection and ResetConnection act on the connection the
//   trigger names (OnAccept, AfterBytes), or on every established connection to host:port (AtTime);
//   Heal ends the partitions between two hosts.
// Triggers: AtTime (absolute virtual time; a time in the past means now), OnAccept (a connection to
// host:port enters the listener's accept queue), AfterBytes (a connection to host:port has carried at
// least N payload bytes, both directions counted). An event trigger fires `times` times (-1: always).
//
// What the faults mean, in Linux terms:
//   RefusePort          SYNs to host:port are answered with RST: connect fails with ECONNREFUSED after one RTT.
//   DropSyn             SYNs to host:port vanish: connect never completes (the socket's own timer decides).
//   CloseConnection     the endpoint at host:port shuts down writing (FIN after its pending data).
//   ResetConnection     the endpoint at host:port sends RST; both ends are reset.
//   Partition           nothing passes between host and otherHost: TCP segments wait (retransmitted
//                       every tcpRetransmitNs) until the partition heals, SYNs and datagrams are lost.
//   HostUnreachable     connects to host fail with EHOSTUNREACH after delayNs; datagrams to it vanish.
//   NetworkUnreachable  connects and datagrams to host (empty: to every other host) fail at once with ENETUNREACH.
//   LookupFailure       name fails to resolve (NXDOMAIN -> HostNotFound, SERVFAIL -> UnknownError).
//   DescriptorExhaustion new descriptors on host (socket, accept) fail with EMFILE.
//   AddressInUse        binding host:port fails with EADDRINUSE (something else holds it).
//   AccessDenied        binding host:port (port 0: every port below 1024) fails with EACCES.
//   DatagramLimit       datagrams sent from host above limit bytes fail with EMSGSIZE.
//   ConnectTimeout      connects to host:port fail with ETIMEDOUT after delayNs.
// The kinds, their fields and builders are one table: fault_kinds.h.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "simsock/sim/event_site.h"
#include "simsock/sim/fault_kinds.h"

namespace simsock::sim {

using FaultId = std::uint64_t;

/// The faults of one network: which conditions hold now, which event triggers are armed, and the
/// answer to every question the simulated kernel asks about them. The Network schedules and applies
/// faults; the plan decides and logs. Each question is asked at the one place its outcome is decided,
/// and a "yes" is logged there (a NetEvent of kind "fault" at the site given, naming the fault and the
/// outcome). Hosts compare case-insensitively; a fault without a host matches every host, a fault
/// without a port every port; when several faults match, the one activated first decides.
class FaultPlan {
public:
    /// A condition that holds now.
    struct Active {
        FaultId id;
        FaultSpec spec;
    };
    /// A fault waiting for an event.
    struct Armed {
        FaultId id;
        FaultSpec spec;
        FaultTrigger trigger;
    };
    /// Where decisions go: the site they are taken at and the decision's text.
    using Log = std::function<void(const EventSite& where, const std::string& decision)>;

    /// Sends every decision to log (unset: decisions are taken silently).
    void setLog(Log log) { log_ = std::move(log); }

    // Bookkeeping (each logged).
    /// A fresh id for a fault about to be armed or activated.
    FaultId newId() { return nextId_++; }
    /// Makes a condition hold ("active ...").
    void activate(FaultId id, FaultSpec spec);
    /// Ends a condition ("cleared ...") or disarms a trigger; returns whether anything was removed.
    bool clear(FaultId id);
    /// Applies a Heal: ends every partition between its two hosts (either order); returns how many.
    int heal(const FaultSpec& heal);
    /// Waits for an event trigger ("armed ...").
    void arm(FaultId id, FaultSpec spec, FaultTrigger trigger);

    // Descriptors and binding.
    /// A new descriptor on host (socket, accept) fails with EMFILE.
    bool descriptorsExhausted(const std::string& host) {
        return decide(find(FaultKind::DescriptorExhaustion, host), host, "EMFILE");
    }
    /// Binding host:port fails with EACCES (asked for ports below 1024 only).
    bool bindDenied(const std::string& host, std::uint16_t port) {
        return decide(find(FaultKind::AccessDenied, host, port), host, "EACCES");
    }
    /// Binding host:port fails with EADDRINUSE.
    bool addressInUse(const std::string& host, std::uint16_t port) {
        return decide(find(FaultKind::AddressInUse, host, port), host, "EADDRINUSE");
    }

    // Reaching a host (asked for destinations off the sender's own host; "" = an address nobody owns).
    /// A connect or datagram to host fails at once with ENETUNREACH; logged at site.
    bool networkUnreachable(const std::string& host, const EventSite& site) {
        return decide(find(FaultKind::NetworkUnreachable, host), site, "ENETUNREACH");
    }
    /// A connect to host fails with EHOSTUNREACH after the returned delay (ns); logged at site.
    std::optional<std::int64_t> hostUnreachable(const std::string& host, const EventSite& site);
    /// A datagram to host vanishes because the host is unreachable; logged at site.
    bool unreachableLosesDatagram(const std::string& host, const EventSite& site) {
        return decide(find(FaultKind::HostUnreachable, host), site, "datagram lost");
    }
    /// A connect to host:port fails with ETIMEDOUT after the returned delay (ns); logged at site.
    std::optional<std::int64_t> connectTimesOut(const std::string& host, std::uint16_t port, const EventSite& site);

    // A SYN from host `from` arriving at host:port (site: the destination endpoint).
    /// A partition between from and host loses the SYN.
    bool partitionLosesSyn(const std::string& from, const std::string& host, const EventSite& site) {
        return decide(findPartition(from, host), site, "SYN lost");
    }
    /// The SYN vanishes (DropSyn).
    bool dropsSyn(const std::string& host, std::uint16_t port, const EventSite& site) {
        return decide(find(FaultKind::DropSyn, host, port), site, "SYN dropped");
    }
    /// The SYN is answered with RST (RefusePort).
    bool refusesSyn(const std::string& host, std::uint16_t port, const EventSite& site) {
        return decide(find(FaultKind::RefusePort, host, port), site, "SYN answered with RST");
    }

    // Packets between two hosts.
    /// A partition between a and b holds a TCP segment back; logged once per segment (reported: the
    /// segment's own flag, set once logged). Asked for every segment delivered, so a plan without
    /// conditions answers inline.
    bool partitionHoldsSegment(const std::string& a, const std::string& b, const EventSite& site, bool& reported) {
        return !active_.empty() && holdsSegment(a, b, site, reported);
    }
    /// A partition between a and b loses a datagram; logged at site.
    bool partitionLosesDatagram(const std::string& a, const std::string& b, const EventSite& site) {
        return decide(findPartition(a, b), site, "datagram lost");
    }
    /// A datagram of bytes from host is refused with EMSGSIZE by a DatagramLimit that is at or below
    /// kernelLimit (the limit the stack and the link impose); logged at host.
    bool datagramTooLarge(const std::string& host, std::int64_t bytes, std::int64_t kernelLimit);

    // Looking without deciding (not logged).
    /// Whether a partition separates a and b now.
    bool partitioned(const std::string& a, const std::string& b) const;
    /// How lookups of name fail now (DnsFailure::None: no LookupFailure for it).
    DnsFailure lookupFails(const std::string& name) const;

    // Event triggers.
    /// The armed faults an accept at host:port fires, consuming one firing of each.
    std::vector<Armed> fireOnAccept(const std::string& host, std::uint16_t port);
    /// The armed faults a connection to host:port fires once it has carried before..after bytes.
    std::vector<Armed> fireAfterBytes(const std::string& host, std::uint16_t port, std::int64_t before,
                                      std::int64_t after);
    /// Whether any AfterBytes trigger is armed (lets the data path skip the check).
    bool hasByteTriggers() const;
    /// The conditions holding now, in activation order.
    const std::vector<Active>& active() const { return active_; }
    /// The faults waiting for an event, in arming order.
    const std::vector<Armed>& armed() const { return armed_; }

private:
    const Active* find(FaultKind kind, const std::string& host, std::uint16_t port = 0) const;
    const Active* findPartition(const std::string& a, const std::string& b) const;
    bool holdsSegment(const std::string& a, const std::string& b, const EventSite& site, bool& reported);
    /// Logs "<fault>: <outcome>" at where when f is set; returns whether it is.
    bool decide(const Active* f, const EventSite& where, const std::string& outcome) const;
    void log(const EventSite& where, const std::string& decision) const {
        if (log_) log_(where, decision);
    }
    std::vector<Armed> fire(FaultTrigger::Kind kind, const std::string& host, std::uint16_t port,
                            std::int64_t before, std::int64_t after);

    std::vector<Active> active_;
    std::vector<Armed> armed_;
    FaultId nextId_ = 1;
    Log log_;
};

}  // namespace simsock::sim
