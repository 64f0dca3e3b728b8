// The epoll loop's timers: a binary heap of deadlines over a map of live timers. Cancelling only erases
// the map entry; the heap entry goes stale and is dropped when it reaches the top (or on compaction), so
// start and cancel are O(log n) and O(1) and never touch the kernel.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "simsock/event_loop.h"

namespace simsock::epoll::detail {

class TimerQueue {
public:
    /// One scheduled expiry. seq orders equal deadlines (and posts against timers) by creation.
    struct Expiry {
        std::int64_t deadlineNs = 0;
        std::uint64_t seq = 0;
        TimerId id = kNoTimer;
    };
    using Callback = std::shared_ptr<std::function<void()>>;

    /// Schedules fn at deadlineNs; a repeating timer is rescheduled every intervalNs after it fires.
    TimerId start(std::int64_t deadlineNs, std::int64_t intervalNs, bool repeating, std::function<void()> fn,
                  std::uint64_t seq);
    /// Unknown or finished ids are ignored.
    void cancel(TimerId id);
    /// The earliest live expiry, or null when no timer is live. Drops stale heap entries on the way.
    const Expiry* earliest();
    /// Removes the earliest live expiry (earliest() must be non-null) and returns its callback. A
    /// repeating timer is rescheduled first, with nextSeq, so that a cancel from inside it wins.
    Callback takeEarliest(std::int64_t nowNs, std::uint64_t nextSeq);
    std::size_t liveCount() const { return timers_.size(); }

private:
    struct Timer {
        Callback fn;
        std::int64_t intervalNs = 0;
        bool repeating = false;
        std::uint64_t seq = 0;
        std::int64_t deadlineNs = 0;
    };
    void push(const Expiry& e);
    void compactIfStale();

    std::unordered_map<TimerId, Timer> timers_;
    std::vector<Expiry> heap_;
    TimerId nextId_ = 1;
};

}  // namespace simsock::epoll::detail
