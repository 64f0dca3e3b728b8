// Running a shard's seeds on worker threads, with a progress line, periodic checkpoints and a clean stop on
// SIGINT/SIGTERM (a scheduler's preemption or time limit). Wall time lives here, in the CLI, for progress,
// rates and checkpoint intervals only; it never reaches a case.
#pragma once

#include <cstdint>
#include <functional>

#include "simsock/scenario/seed_ledger.h"

namespace simsock::cli {

struct SweepSettings {
    unsigned jobs = 1;
    double checkpointSeconds = 10.0;  ///< how often checkpoint() is called while seeds run
    bool stopOnSignals = false;       ///< SIGINT/SIGTERM stop the sweep (after the cases in flight)
};

struct SweepOutcome {
    scenario::explore::SeedLedger::Snapshot last;  ///< the ledger when every worker had returned
    std::uint64_t ran = 0;                         ///< seeds run by this process
    double seconds = 0.0;
    int stopSignal = 0;  ///< the signal that stopped the sweep, 0 when it ran to the end
};

/// Runs every position the ledger hands out (seed p.at(position)) on settings.jobs threads; calls
/// checkpoint with a snapshot every checkpointSeconds, on the calling thread.
SweepOutcome runSweep(scenario::explore::SeedLedger& ledger, const scenario::explore::Progression& p,
                      const SweepSettings& settings,
                      const std::function<void(const scenario::explore::SeedLedger::Snapshot&, double)>& checkpoint);

}  // namespace simsock::cli
