// The book of a running shard: worker threads take the next position of the shard's progression and
// report each finished one; the ledger knows the prefix of positions that are all finished (what a
// report may call done) and the failures inside it. Positions are handed out in order, so everything
// below the next unhanded position is finished or in a worker's hands: the prefix ends at the smallest
// position still in flight. Memory is bounded by the workers and the failures, not by the shard's length.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "simsock/scenario/shard_report.h"

namespace simsock::scenario::explore {

class SeedLedger {
public:
    /// The progression's positions from `from` on, for `workers` threads; earlier holds the failures of
    /// positions before from (a resumed report's), ascending.
    SeedLedger(Progression progression, std::uint64_t from, std::vector<SeedFailure> earlier, unsigned workers);

    /// The next position for worker w (< workers), or nullopt when none is left or stop() was called.
    /// A worker finishes its position before it takes another.
    std::optional<std::uint64_t> take(unsigned w);
    /// Worker w finished its position; failure is the invariant's message when the seed failed.
    void finish(unsigned w, std::optional<std::string> failure);
    /// No more positions are handed out; those in flight may still finish.
    void stop();

    struct Snapshot {
        std::uint64_t done = 0;       ///< positions [0, done) are finished
        std::uint64_t finished = 0;   ///< finished positions, also beyond the prefix (for progress lines)
        std::uint64_t failed = 0;     ///< failing positions, also beyond the prefix
        std::vector<SeedFailure> failures;  ///< the failures below done, ascending, without scenario paths of new ones
    };
    Snapshot snapshot() const;

private:
    mutable std::mutex mutex_;
    Progression progression_;
    std::uint64_t next_;
    std::uint64_t finished_;
    std::vector<std::optional<std::uint64_t>> inFlight_;
    std::vector<SeedFailure> earlier_;
    std::map<std::uint64_t, SeedFailure> failures_;  // by position: ordered, so snapshots list seeds ascending
    bool stopped_ = false;
};

}  // namespace simsock::scenario::explore
