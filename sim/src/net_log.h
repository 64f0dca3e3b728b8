// The observation log of one network: every packet-level action, peer action and fault decision goes
// to the observer as a NetEvent stamped with the loop's virtual time. Without an observer nothing is
// recorded, and a fault decision's site is not even formatted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
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
    /// Records a fault decision (kind "fault") taken at where.
    void fault(const EventSite& where, const std::string& decision);

private:
    const SimLoop& loop_;
    std::function<void(const NetEvent&)> observer_;
};

}  // namespace simsock::sim::detail
