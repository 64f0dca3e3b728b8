#include "timer_queue.h"

#include <algorithm>

#include "simsock/check.h"

namespace simsock::epoll::detail {
namespace {

// std::*_heap build a max-heap; "later" as the comparison puts the earliest expiry on top.
bool later(const TimerQueue::Expiry& a, const TimerQueue::Expiry& b) {
    if (a.deadlineNs != b.deadlineNs) return a.deadlineNs > b.deadlineNs;
    return a.seq > b.seq;
}

}  // namespace

TimerId TimerQueue::start(std::int64_t deadlineNs, std::int64_t intervalNs, bool repeating,
                          std::function<void()> fn, std::uint64_t seq) {
    const TimerId id = nextId_++;
    Timer t;
    t.fn = std::make_shared<std::function<void()>>(std::move(fn));
    t.intervalNs = intervalNs;
    t.repeating = repeating;
    t.seq = seq;
    t.deadlineNs = deadlineNs;
    timers_.emplace(id, std::move(t));
    push(Expiry{deadlineNs, seq, id});
    return id;
}

void TimerQueue::cancel(TimerId id) {
    timers_.erase(id);
    compactIfStale();
}

const TimerQueue::Expiry* TimerQueue::earliest() {
    while (!heap_.empty()) {
        const Expiry& top = heap_.front();
        auto it = timers_.find(top.id);
        if (it != timers_.end() && it->second.seq == top.seq) return &top;
        std::pop_heap(heap_.begin(), heap_.end(), later);
        heap_.pop_back();
    }
    return nullptr;
}

TimerQueue::Callback TimerQueue::takeEarliest(std::int64_t nowNs, std::uint64_t nextSeq) {
    const Expiry* top = earliest();
    SIMSOCK_ASSERT(top != nullptr);
    const TimerId id = top->id;
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    auto it = timers_.find(id);
    Callback fn = it->second.fn;
    if (!it->second.repeating) {
        timers_.erase(it);
        return fn;
    }
    // Keep the cadence, but never schedule a burst of catch-up expiries after a stall.
    Timer& t = it->second;
    std::int64_t next = t.deadlineNs + t.intervalNs;
    if (next <= nowNs) next = nowNs + t.intervalNs;
    t.deadlineNs = next;
    t.seq = nextSeq;
    push(Expiry{next, nextSeq, id});
    return fn;
}

void TimerQueue::push(const Expiry& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
}

void TimerQueue::compactIfStale() {
    // Bounded memory under start/cancel churn (a connect timer per connection, say).
    if (heap_.size() <= 2 * timers_.size() + 64) return;
    heap_.clear();
    for (const auto& [id, t] : timers_) heap_.push_back(Expiry{t.deadlineNs, t.seq, id});
    std::make_heap(heap_.begin(), heap_.end(), later);
}

}  // namespace simsock::epoll::detail
