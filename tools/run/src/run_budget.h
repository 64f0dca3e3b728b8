// The bounds of one execution (RunLimits), checked while it runs: loop events, recorded events, wall
// time, bytes written and handler nesting. The first bound reached ends the run and is its message.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "simsock/event_loop.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario::detail {

class RunBudget {
public:
    /// Bounds for a run on loop whose scenario time 0 is baseNs; the wall clock starts now.
    RunBudget(const RunLimits& limits, const EventLoop& loop, std::int64_t baseNs);

    /// Whether the run's clock is virtual (the sim's): only the wording of the message depends on it.
    void setVirtualTime(bool isVirtual) { virtual_ = isVirtual; }
    /// Checks the event, recorded-event and wall-clock bounds; true once any bound is reached (for good).
    bool exceeded(std::uint64_t events, std::uint64_t recorded);
    /// Counts bytes an action writes; false (and reached) when they pass the bound.
    bool admitWrite(std::uint64_t bytes);
    /// Whether an action may run at this handler nesting depth; false (and reached) beyond the bound.
    bool admitNesting(int depth);
    bool reached() const { return !message_.empty(); }
    /// `budget: 10,000,000 events reached at 0.8 ms virtual time`, or empty.
    const std::string& message() const { return message_; }

private:
    void reach(const std::string& what);

    RunLimits limits_;
    const EventLoop& loop_;
    std::int64_t baseNs_;
    std::chrono::steady_clock::time_point start_;
    std::uint64_t written_ = 0;
    bool virtual_ = false;
    std::string message_;
};

/// n with thousands separators: 10,000,000.
std::string withSeparators(std::uint64_t n);

}  // namespace simsock::scenario::detail
