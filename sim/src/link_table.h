// The links between simulated hosts: which parameters hold between two hosts, when a packet sent now
// arrives (bandwidth queueing, latency, jitter), and the link's own faults. Each link fault (loss,
// duplication, reordering) is a named question asked where the packet leaves; the dice come from the
// run's Random in the order the questions are asked, and a "yes" is logged as a fault decision.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "simsock/sim/event_site.h"
#include "simsock/sim/link.h"

namespace simsock::sim {
class Random;
class SimLoop;
}

namespace simsock::sim::detail {

class NetLog;

/// One direction's link as last looked up, kept by whoever sends on it often (a connected socket), so
/// that a packet costs no lookup by host names. Valid while the table's version is the one it was
/// filled at: changing any link moves the version on. Reset it when the two hosts it is for change.
struct LinkRoute {
    std::uint64_t version = 0;  // 0: empty (the table's versions start at 1)
    const LinkParams* params = nullptr;
    std::int64_t* busyUntilNs = nullptr;  // the direction's serialisation queue, once it has been used
};

class LinkTable {
public:
    /// Links timed by loop, drawing from random and logging to log; all three must outlive the table.
    LinkTable(const SimLoop& loop, Random& random, NetLog& log) : loop_(loop), random_(random), log_(log) {}

    /// The link used between hosts without a link of their own.
    void setDefault(const LinkParams& params) {
        default_ = params;
        ++version_;
    }
    /// Traffic a host sends to itself.
    void setLoopback(const LinkParams& params) {
        loopback_ = params;
        ++version_;
    }
    /// The link between a and b (both directions).
    void set(const std::string& a, const std::string& b, const LinkParams& params);
    /// The parameters in force between a and b (loopback when a == b).
    const LinkParams& between(const std::string& a, const std::string& b) const;
    /// As between(a, b), through route, which must be route for a to b (or empty).
    const LinkParams& between(const std::string& a, const std::string& b, LinkRoute& route) const {
        if (route.version != version_) route = LinkRoute{version_, &between(a, b), nullptr};
        return *route.params;
    }

    /// When a packet of bytes sent now from a to b arrives. Packets in one direction are serialised one
    /// after the other when the link has a bandwidth; jitter is drawn per packet.
    std::int64_t arrivalNs(const std::string& a, const std::string& b, std::int64_t bytes);
    /// As arrivalNs(a, b, bytes), through route, which must be route for a to b (or empty).
    std::int64_t arrivalNs(const std::string& a, const std::string& b, std::int64_t bytes, LinkRoute& route);

    // Link faults, asked of the link the packet travels (from between()). A zero probability draws
    // nothing (Random::chancePerMillion), so the check for it is inline: the clean path costs no call.
    /// A TCP data segment of bytes is lost (and will be retransmitted after link.tcpRetransmitNs).
    bool losesSegment(const LinkParams& link, std::int64_t bytes, const EventSite& from) {
        return link.lossPpm != 0 && segmentLost(link, bytes, from);
    }
    /// A datagram of bytes from `from` to `to` is lost.
    bool losesDatagram(const LinkParams& link, std::int64_t bytes, const EventSite& from, const std::string& to) {
        return link.lossPpm != 0 && datagramLost(link, bytes, from, to);
    }
    /// A datagram arrives twice.
    bool duplicatesDatagram(const LinkParams& link, const EventSite& from, const std::string& to) {
        return link.duplicatePpm != 0 && datagramDuplicated(link, from, to);
    }
    /// A datagram is held back by link.reorderDelayNs (asked once per copy sent).
    bool reordersDatagram(const LinkParams& link, const EventSite& from, const std::string& to) {
        return link.reorderPpm != 0 && datagramReordered(link, from, to);
    }

private:
    // Host pairs as keys, looked up without copying the names (one lookup per packet).
    using HostPair = std::pair<std::string, std::string>;
    using HostPairView = std::pair<std::string_view, std::string_view>;
    struct HostPairLess {
        using is_transparent = void;
        static HostPairView view(const HostPair& p) { return {p.first, p.second}; }
        static HostPairView view(const HostPairView& p) { return p; }
        template <class X, class Y>
        bool operator()(const X& x, const Y& y) const { return view(x) < view(y); }
    };

    std::int64_t& busyUntilNs(const std::string& a, const std::string& b);
    std::int64_t queuedArrival(const LinkParams& l, std::int64_t& busyUntil, std::int64_t bytes);
    std::int64_t unqueuedArrival(const LinkParams& l);
    bool segmentLost(const LinkParams& link, std::int64_t bytes, const EventSite& from);
    bool datagramLost(const LinkParams& link, std::int64_t bytes, const EventSite& from, const std::string& to);
    bool datagramDuplicated(const LinkParams& link, const EventSite& from, const std::string& to);
    bool datagramReordered(const LinkParams& link, const EventSite& from, const std::string& to);

    const SimLoop& loop_;
    Random& random_;
    NetLog& log_;
    LinkParams default_;
    LinkParams loopback_ = loopbackLinkParams();
    std::map<HostPair, LinkParams, HostPairLess> links_;  // keyed in name order: one entry per pair
    std::map<HostPair, std::int64_t, HostPairLess> busyUntilNs_;  // per direction; never erased
    std::uint64_t version_ = 1;  // moves on with every change of a link (LinkRoute)
};

}  // namespace simsock::sim::detail
