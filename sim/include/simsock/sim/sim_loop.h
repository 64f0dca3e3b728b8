// The simulator's event loop: a virtual clock in nanoseconds and one queue of events ordered by
// (time, insertion sequence). Time only moves when the loop takes the next event or a runUntil
// deadline is reached, so an idle virtual hour costs one step, not a tick per millisecond.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "simsock/event_loop.h"

namespace simsock::sim {

class SimLoop final : public EventLoop {
public:
    static constexpr std::uint64_t kDefaultMaxEventsPerRun = 50'000'000;
    static constexpr std::size_t kDefaultMaxQueued = 10'000'000;

    SimLoop() = default;
    SimLoop(const SimLoop&) = delete;
    SimLoop& operator=(const SimLoop&) = delete;

    std::int64_t nowNs() const override { return nowNs_; }
    void post(std::function<void()> fn) override;
    TimerId startTimer(std::int64_t delayNs, std::function<void()> fn, bool repeating) override;
    void cancelTimer(TimerId id) override;
    void run() override;
    void quit() override;
    bool runUntil(const std::function<bool()>& pred, std::int64_t timeoutMs) override;
    void processEvents() override;

    /// Schedules fn at absolute virtual time atNs (clamped to now); cancellable like a timer.
    TimerId scheduleAt(std::int64_t atNs, std::function<void()> fn);
    /// Runs events until virtual time reaches nowNs() + ns, then sets the clock there.
    void advanceNs(std::int64_t ns);
    /// Events waiting (cancelled ones may still be counted until they reach the front).
    std::size_t pendingEvents() const { return heap_.size(); }
    /// True when a live (not cancelled) event is queued.
    bool hasLiveEvents() const { return liveEvents_ > 0; }
    /// Virtual time of the next live event, or -1 when none.
    std::int64_t nextEventNs();
    /// Events executed since construction.
    std::uint64_t eventsProcessed() const { return processed_; }
    /// The bound on events one run()/runUntil()/processEvents() may execute before asserting.
    void setMaxEventsPerRun(std::uint64_t n) { maxEventsPerRun_ = n; }
    /// The bound on queued events; exceeding it asserts.
    void setMaxQueued(std::size_t n) { maxQueued_ = n; }
    /// Asks shouldStop() after every `every` events executed (by any run, runUntil, processEvents or
    /// advanceNs, nested ones included). Once it has returned true the loop executes nothing more: each
    /// of those calls returns at once and the clock stays where it stopped. A tool's budget (events,
    /// memory, wall time) lives in shouldStop; the loop itself reads no clock. every 0 removes the check.
    void setStopCheck(std::uint64_t every, std::function<bool()> shouldStop);
    /// True once the stop check has asked the loop to stop.
    bool stopped() const { return stopped_; }

private:
    // Heap entries stay small and trivially copyable (24 bytes), so sifting them is plain copies; the
    // callbacks live in slots addressed by index. A slot's generation is odd while in use and even
    // while free, and moves on at each change, so an entry or id whose generation differs from its
    // slot's is cancelled or finished. Sequence numbers are unique, so (time, seq) is a total order.
    struct Entry {
        std::int64_t timeNs;
        std::uint64_t seq;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    struct Slot {
        std::function<void()> fn;
        std::int64_t periodNs = 0;
        std::uint32_t generation = 0;  // odd: in use (ids never equal kNoTimer)
        bool queued = false;  // its entry is in the heap (not while its callback runs)
    };
    // Children per heap node: four halves the depth of a binary heap, so a 100,000-event queue pops
    // through 9 levels instead of 17, and a node's children share one or two cache lines.
    static constexpr std::size_t kArity = 4;

    static bool later(const Entry& a, const Entry& b) {
        return a.timeNs != b.timeNs ? a.timeNs > b.timeNs : a.seq > b.seq;
    }
    TimerId enqueue(std::int64_t atNs, std::function<void()>&& fn, std::int64_t periodNs);
    // Appends a fresh slot and returns its index.
    std::uint32_t addSlot();
    void push(const Entry& e);
    // Removes heap_[0]; the heap must not be empty.
    void popFront();
    // Pops cancelled entries off the front, so that the front (if any) is live.
    void dropStaleFront();
    // Pops the front entry, a cancelled one.
    void discardFront();
    void freeSlot(std::uint32_t slot);
    // Pops and runs the front event, which must be live.
    void runFront();
    // Counts an event against the per-run bound and asks the stop check when due; false when stopped.
    bool admit(std::uint64_t& budget);

    std::int64_t nowNs_ = 0;
    std::uint64_t nextSeq_ = 0;
    std::vector<Entry> heap_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> freeSlots_;
    std::size_t liveEvents_ = 0;
    // Cancelled entries still in the heap: while there are none (the common case), the front is live
    // and needs no check.
    std::size_t staleQueued_ = 0;
    std::uint64_t processed_ = 0;
    std::uint64_t maxEventsPerRun_ = kDefaultMaxEventsPerRun;
    std::size_t maxQueued_ = kDefaultMaxQueued;
    std::function<bool()> stopCheck_;
    std::uint64_t stopCheckEvery_ = 0;
    std::uint64_t nextStopCheck_ = UINT64_MAX;  // processed_ at which stopCheck_ is asked next
    bool stopped_ = false;
    int runDepth_ = 0;
    int quitDepth_ = -1;  // the run() depth that must return, -1 when none
};

}  // namespace simsock::sim
