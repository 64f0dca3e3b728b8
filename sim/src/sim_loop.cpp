#include "simsock/sim/sim_loop.h"

#include <algorithm>

#include "simsock/check.h"

namespace simsock::sim {

namespace {
TimerId makeId(std::uint32_t slot, std::uint32_t generation) {
    return (static_cast<TimerId>(generation) << 32) | slot;
}
}  // namespace

void SimLoop::post(std::function<void()> fn) { enqueue(nowNs_, std::move(fn), 0); }

TimerId SimLoop::startTimer(std::int64_t delayNs, std::function<void()> fn, bool repeating) {
    delayNs = std::max<std::int64_t>(delayNs, 0);
    // A repeating timer of period 0 would starve the loop; one nanosecond keeps time moving.
    const std::int64_t period = repeating ? std::max<std::int64_t>(delayNs, 1) : 0;
    return enqueue(nowNs_ + delayNs, std::move(fn), period);
}

TimerId SimLoop::scheduleAt(std::int64_t atNs, std::function<void()> fn) {
    return enqueue(std::max(atNs, nowNs_), std::move(fn), 0);
}

TimerId SimLoop::enqueue(std::int64_t atNs, std::function<void()>&& fn, std::int64_t periodNs) {
    SIMSOCK_ASSERT_CTX(heap_.size() < maxQueued_, "SimLoop: queue bound exceeded");
    std::uint32_t slot;
    if (!freeSlots_.empty()) {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
    } else {
        slot = addSlot();
    }
    Slot& s = slots_[slot];
    // A free slot's function is empty: swapping moves the callback in without move-assignment's
    // temporary, and leaves fn empty for the caller to destroy cheaply.
    s.fn.swap(fn);
    s.periodNs = periodNs;
    ++s.generation;  // odd: in use
    s.queued = true;
    ++liveEvents_;
    push(Entry{atNs, nextSeq_++, slot, s.generation});
    return makeId(slot, s.generation);
}

// Out of line: growing slots_ is rare, and inlined it makes every enqueue save more registers.
[[gnu::noinline]] std::uint32_t SimLoop::addSlot() {
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
}

// Sift-up with a hole: parents move down one copy each, the new entry is written once.
[[gnu::always_inline]] inline void SimLoop::push(const Entry& e) {
    heap_.push_back(e);
    std::size_t hole = heap_.size() - 1;
    Entry* h = heap_.data();
    while (hole > 0) {
        const std::size_t parent = (hole - 1) / kArity;
        if (!later(h[parent], e)) break;
        h[hole] = h[parent];
        hole = parent;
    }
    h[hole] = e;
}

// Sift-down of the last entry from the root, moving the earliest child up at each level.
[[gnu::always_inline]] inline void SimLoop::popFront() {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    Entry* h = heap_.data();
    std::size_t hole = 0;
    for (;;) {
        const std::size_t first = hole * kArity + 1;
        if (first >= n) break;
        const std::size_t end = std::min(first + kArity, n);
        std::size_t best = first;
        for (std::size_t c = first + 1; c < end; ++c)
            if (later(h[best], h[c])) best = c;
        if (!later(last, h[best])) break;
        h[hole] = h[best];
        hole = best;
    }
    h[hole] = last;
}

void SimLoop::freeSlot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.fn = nullptr;
    ++s.generation;  // even: free, so no entry or id matches it
    freeSlots_.push_back(slot);
    --liveEvents_;
}

void SimLoop::cancelTimer(TimerId id) {
    const auto slot = static_cast<std::uint32_t>(id & 0xffffffffu);
    const auto generation = static_cast<std::uint32_t>(id >> 32);
    // Ids carry odd generations; an even one (kNoTimer among them) names nothing.
    if ((generation & 1) == 0 || slot >= slots_.size()) return;
    Slot& s = slots_[slot];
    if (s.generation != generation) return;
    if (s.queued) ++staleQueued_;
    s.queued = false;
    freeSlot(slot);
}

// Inline, with the pop out of line: it runs before every event, and while a cancelled entry waits
// deep in the queue (a connect timeout, say) the check of the front is all it does.
[[gnu::always_inline]] inline void SimLoop::dropStaleFront() {
    while (staleQueued_ > 0 && !heap_.empty()) {
        const Entry& front = heap_.front();
        if (slots_[front.slot].generation == front.generation) return;
        discardFront();
    }
}

void SimLoop::discardFront() {
    popFront();
    --staleQueued_;
}

std::int64_t SimLoop::nextEventNs() {
    dropStaleFront();
    return heap_.empty() ? -1 : heap_.front().timeNs;
}

void SimLoop::runFront() {
    const Entry e = heap_.front();
    popFront();
    // In a large queue the next event's slot is a cache miss away (slots are reused in no time order):
    // start loading it now, while this event's callback runs.
    if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot]);
    SIMSOCK_ASSERT(e.timeNs >= nowNs_);
    nowNs_ = e.timeNs;
    ++processed_;
    Slot& s = slots_[e.slot];
    s.queued = false;
    // The callback is swapped out before it runs: it may queue events (growing slots_) or cancel itself.
    // A swap, not a move, leaves the slot's function empty in every standard library (libc++ copies a
    // small callable on move and leaves the source holding it).
    std::function<void()> fn;
    fn.swap(s.fn);
    const std::int64_t period = s.periodNs;
    if (period == 0) {
        // Freed before the call, as before: its function is already empty, and a callback cancelling
        // its own (finished) id finds a newer generation and does nothing.
        ++s.generation;  // even: free
        freeSlots_.push_back(e.slot);
        --liveEvents_;
        fn();
        return;
    }
    fn();
    Slot& after = slots_[e.slot];
    if (after.generation == e.generation) {
        after.fn.swap(fn);
        after.queued = true;
        push(Entry{nowNs_ + period, nextSeq_++, e.slot, e.generation});
    }
}

void SimLoop::setStopCheck(std::uint64_t every, std::function<bool()> shouldStop) {
    stopCheck_ = every > 0 ? std::move(shouldStop) : nullptr;
    stopCheckEvery_ = every;
    nextStopCheck_ = stopCheck_ ? processed_ + every : UINT64_MAX;
}

bool SimLoop::admit(std::uint64_t& budget) {
    if (stopped_) return false;
    // A run that never ends is a bug in a scenario or an engine; stop loudly instead of hanging.
    SIMSOCK_ASSERT_CTX(budget < maxEventsPerRun_, "SimLoop: event bound per run exceeded");
    ++budget;
    if (processed_ >= nextStopCheck_) {
        nextStopCheck_ = processed_ + stopCheckEvery_;
        stopped_ = stopCheck_();
    }
    return !stopped_;
}

void SimLoop::run() {
    const int depth = ++runDepth_;
    std::uint64_t budget = 0;
    while (quitDepth_ != depth) {
        dropStaleFront();
        if (heap_.empty() || !admit(budget)) break;
        runFront();
    }
    if (quitDepth_ == depth) quitDepth_ = -1;
    --runDepth_;
}

void SimLoop::quit() {
    if (runDepth_ > 0) quitDepth_ = runDepth_;
}

bool SimLoop::runUntil(const std::function<bool()>& pred, std::int64_t timeoutMs) {
    const bool bounded = timeoutMs >= 0;
    const std::int64_t deadline = bounded ? nowNs_ + timeoutMs * 1'000'000 : 0;
    std::uint64_t budget = 0;
    while (!pred()) {
        if (stopped_) return false;
        dropStaleFront();
        const bool nothingDue = heap_.empty() || (bounded && heap_.front().timeNs > deadline);
        if (nothingDue) {
            if (bounded && deadline > nowNs_) nowNs_ = deadline;
            return pred();
        }
        if (!admit(budget)) return pred();
        runFront();
    }
    return true;
}

void SimLoop::processEvents() {
    // Only what is queued now: an event re-posting itself (a level-triggered notification) waits for
    // the next call instead of looping here forever.
    const std::uint64_t seqLimit = nextSeq_;
    std::uint64_t budget = 0;
    for (;;) {
        dropStaleFront();
        if (heap_.empty()) return;
        const Entry& e = heap_.front();
        if (e.timeNs > nowNs_ || e.seq >= seqLimit) return;
        if (!admit(budget)) return;
        runFront();
    }
}

void SimLoop::advanceNs(std::int64_t ns) {
    const std::int64_t target = nowNs_ + std::max<std::int64_t>(ns, 0);
    std::uint64_t budget = 0;
    for (;;) {
        dropStaleFront();
        if (heap_.empty() || heap_.front().timeNs > target) break;
        if (!admit(budget)) return;
        runFront();
    }
    if (!stopped_) nowNs_ = target;
}

}  // namespace simsock::sim
