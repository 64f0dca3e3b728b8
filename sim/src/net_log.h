// The observation log of one network: every packet-level action, peer action and fault decision goes
// to the observer as a NetEvent stamped with the loop's virtual time. Without an observer nothing is
// recorded, and a fault decision's site is not even formatted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "simsock/sim/event_site.h"
#include "simsock/sim/net_event.h"

namespace simsock::sim {
class SimLoop;
}

namespace simsock::sim::detail {

class NetLog {
public:
    /// A log stamping events with loop's virtual time; loop must outlive it.
    explicit NetLog(const SimLoop& loop) : loop_(loop) {}

    /// Receives every event from now on (an empty function: none).
    void setObserver(std::function<void(const NetEvent&)> observer) { observer_ = std::move(observer); }
    /// Whether anyone listens: callers skip building an event's text when nobody does.
    bool observed() const { return static_cast<bool>(observer_); }
    /// Records one event at the current virtual time.
    void emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail);
    /// Records an event that puts packet on the wire (packet.id from newPacketId()).
    void emitPacket(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail,
                    NetPacket packet);
    /// A new packet id while observed, else 0 (and fates of packet 0 are not recorded).
    std::uint64_t newPacketId() { return observed() ? ++lastPacketId_ : 0; }
    /// Records that packet id (of kind) reached its destination host now.
    void arrived(std::uint64_t id, const char* kind);
    /// Records that the network dropped packet id (of kind) now, for why.
    void lost(std::uint64_t id, const char* kind, const char* why);
    /// Records a datagram of bytes from fromHost to toHost that the decision logged just before dropped
    /// before it left.
    void lostBeforeSending(const std::string& fromHost, const std::string& toHost, std::int64_t bytes);
    /// Records a fault decision (kind "fault") taken at where.
    void fault(const EventSite& where, const std::string& decision);

private:
    void fate(std::string_view what, std::uint64_t id, const char* kind, std::string detail);

    const SimLoop& loop_;
    std::function<void(const NetEvent&)> observer_;
    std::uint64_t lastPacketId_ = 0;
};

}  // namespace simsock::sim::detail
