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
    SIMSOCK_ASSERT(heap_.size() < maxQueued_);
    std::uint32_t slot;
    if (!freeSlots_.empty()) {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& s = slots_[slot];
    s.fn = std::move(fn);
    s.periodNs = periodNs;
    s.inUse = true;
    s.queued = true;
    ++liveEvents_;
    push(Entry{atNs, nextSeq_++, slot, s.generation});
    return makeId(slot, s.generation);
}

void SimLoop::push(Entry e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
}

void SimLoop::freeSlot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.fn = nullptr;
    s.inUse = false;
    ++s.generation;
    if (s.generation == 0) s.generation = 1;  // ids never become kNoTimer
    freeSlots_.push_back(slot);
    --liveEvents_;
}

void SimLoop::cancelTimer(TimerId id) {
    const auto slot = static_cast<std::uint32_t>(id & 0xffffffffu);
    const auto generation = static_cast<std::uint32_t>(id >> 32);
    if (id == kNoTimer || slot >= slots_.size()) return;
    Slot& s = slots_[slot];
    if (!s.inUse || s.generation != generation) return;
    if (s.queued) ++staleQueued_;
    s.queued = false;
    freeSlot(slot);
}

void SimLoop::dropStaleFront() {
    while (staleQueued_ > 0 && !heap_.empty()) {
        const Entry& e = heap_.front();
        const Slot& s = slots_[e.slot];
        if (s.inUse && s.generation == e.generation) return;
        std::pop_heap(heap_.begin(), heap_.end(), later);
        heap_.pop_back();
        --staleQueued_;
    }
}

std::int64_t SimLoop::nextEventNs() {
    dropStaleFront();
    return heap_.empty() ? -1 : heap_.front().timeNs;
}

void SimLoop::runFront() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Entry e = heap_.back();
    heap_.pop_back();
    SIMSOCK_ASSERT(e.timeNs >= nowNs_);
    nowNs_ = e.timeNs;
    ++processed_;
    Slot& s = slots_[e.slot];
    s.queued = false;
    // The callback is moved out before it runs: it may queue events (growing slots_) or cancel itself.
    std::function<void()> fn = std::move(s.fn);
    const std::int64_t period = s.periodNs;
    if (period == 0) {
        freeSlot(e.slot);
        fn();
        return;
    }
    s.fn = nullptr;
    fn();
    Slot& after = slots_[e.slot];
    if (after.inUse && after.generation == e.generation) {
        after.fn = std::move(fn);
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
