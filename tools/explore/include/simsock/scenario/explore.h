// Random scenarios for `simsock explore` and the property tests: a client socket "c" on host client, a
// scripted tcp-server peer "srv" on server:8080, a link between them, faults, and timed or
// signal-triggered calls. Swarm testing: each case first picks which fault kinds and which calls it may
// use at all, so that rare combinations get whole cases to themselves instead of being diluted.
//
// Every random decision goes through a Chooser. explore's chooser is a seeded SplitMix64, so a seed
// names one case on every machine, thread and shard; the property tests' chooser draws from RapidCheck,
// so RapidCheck can shrink the same decisions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simsock/scenario/invariants.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::explore {

class Chooser {
public:
    virtual ~Chooser() = default;
    /// A number in [0, n); n > 0.
    virtual std::uint64_t below(std::uint64_t n) = 0;
    std::int64_t inRange(std::int64_t lo, std::int64_t hi) {  ///< [lo, hi]
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
    }
    /// True with percent% odds. Small draws mean false, so a shrinker driving draws toward 0 (RapidCheck)
    /// switches features off rather than on.
    bool chance(std::uint64_t percent) { return below(100) >= 100 - percent; }
};

/// SplitMix64: small, fast, and the same sequence everywhere (no std:: distributions).
class SeedChooser final : public Chooser {
public:
    explicit SeedChooser(std::uint64_t seed) : state_(seed) {}
    std::uint64_t below(std::uint64_t n) override;

private:
    std::uint64_t state_;
};

/// What a case may use: fault kinds, peer endings, calls, link impairments.
struct Swarm {
    std::vector<sim::FaultKind> faultKinds;
    bool peerEnds = false;     ///< the peer may close, reset or go silent
    bool triggers = false;     ///< actions inside signal handlers
    bool blocking = false;     ///< waitFor* calls
    bool aborts = false;       ///< abort and close
    bool lossyLink = false;    ///< loss, duplication, reordering
    bool lookup = false;       ///< connect by name (a DNS lookup) instead of a literal
};

Swarm genSwarm(Chooser& c);
LinkSpec genLink(Chooser& c, const Swarm& w);
PeerStep genPeerStep(Chooser& c, const Swarm& w);
/// nullopt when the swarm enables no fault kind.
std::optional<FaultEntry> genFault(Chooser& c, const Swarm& w);
ActionSpec genAction(Chooser& c, const Swarm& w);

/// The pieces as one scenario: hosts, the link, peer srv (accept, then steps), socket c, a connect at
/// time 0, the actions (ids w1, w2 ... for writes), runFor long enough to settle.
Scenario assembleCase(std::uint64_t simSeed, const Swarm& w, const LinkSpec& link, const std::vector<PeerStep>& steps,
                      const std::vector<FaultEntry>& faults, const std::vector<ActionSpec>& actions);

/// The case a seed names: the same scenario for the same seed, whatever the thread, shard or job count.
Scenario generateCase(std::uint64_t seed);

/// Greedy delta debugging: drops actions, faults, peer steps and link impairments one at a time while
/// runCase still reports a violation of the same kind, until nothing more can go (at most maxRuns runs).
/// Returns the smallest case found and its violation.
std::pair<Scenario, Violation> shrinkCase(const Scenario& s, const Violation& v, int maxRuns = 400);

/// The seeds of [first, last] that shard index of count runs: every count-th seed from first + index.
std::vector<std::uint64_t> shardSeeds(std::uint64_t first, std::uint64_t last, std::uint64_t index, std::uint64_t count);

}  // namespace simsock::scenario::explore
