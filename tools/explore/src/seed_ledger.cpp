// One mutex guards the ledger: a case takes hundreds of microseconds, a lock tens of nanoseconds.
#include "simsock/scenario/seed_ledger.h"

#include <algorithm>
#include <utility>

#include "simsock/check.h"

namespace simsock::scenario::explore {

SeedLedger::SeedLedger(Progression progression, std::uint64_t from, std::vector<SeedFailure> earlier, unsigned workers)
    : progression_(progression),
      next_(std::min(from, progression.length)),
      finished_(next_),
      inFlight_(std::max(1u, workers)),
      earlier_(std::move(earlier)) {}

std::optional<std::uint64_t> SeedLedger::take(unsigned w) {
    std::lock_guard lock(mutex_);
    SIMSOCK_ASSERT(w < inFlight_.size() && !inFlight_[w]);
    if (stopped_ || next_ >= progression_.length) return std::nullopt;
    inFlight_[w] = next_;
    return next_++;
}

void SeedLedger::finish(unsigned w, std::optional<std::string> failure) {
    std::lock_guard lock(mutex_);
    SIMSOCK_ASSERT(w < inFlight_.size() && inFlight_[w]);
    std::uint64_t position = *inFlight_[w];
    inFlight_[w].reset();
    ++finished_;
    if (failure) failures_[position] = SeedFailure{progression_.at(position), std::move(*failure), ""};
}

void SeedLedger::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
}

SeedLedger::Snapshot SeedLedger::snapshot() const {
    std::lock_guard lock(mutex_);
    Snapshot s;
    s.done = next_;
    for (const auto& p : inFlight_)
        if (p) s.done = std::min(s.done, *p);
    s.finished = finished_;
    s.failed = earlier_.size() + failures_.size();
    s.failures = earlier_;
    for (auto it = failures_.begin(); it != failures_.end() && it->first < s.done; ++it) s.failures.push_back(it->second);
    return s;
}

}  // namespace simsock::scenario::explore
