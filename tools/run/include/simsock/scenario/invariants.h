// The invariants every generated scenario must keep, whatever its network, faults and calls: the TCP
// signal grammar of SEMANTICS.md (core's SignalGrammar, re-entrant form), determinism (two runs
// byte-identical), and no data loss on an orderly
// close. A violation comes with expectations that encode it as an ordinary scenario `expect`, so the
// counterexample file states the rule it broke and replays without the tool that found it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"
#include "simsock/signal_grammar.h"
#include "simsock/trace.h"

namespace simsock::scenario {

struct Violation {
    /// Budget: the run reached a bound of RunLimits (it ran away); its file replays that failure.
    enum class Kind { Grammar, Determinism, DataLoss, Budget };
    Kind kind = Kind::Grammar;
    std::string message;  ///< `grammar: c event 2 connectToHost{hostFound()} [HostLookupState]: ...`
    /// The rule as expectations the correct library meets: for the grammar the order SEMANTICS.md
    /// requires (a subsequence), for data loss the byte count the peer must receive. Empty for
    /// determinism: every sim run already checks it.
    Expectations expect;
};

const char* kindName(Violation::Kind k);

/// The first invariant r (a sim run of s, executed twice by runScenario) breaks, or nullopt.
std::optional<Violation> checkInvariants(const Scenario& s, const RunResult& r);

/// Runs s on the sim (twice) with s's own expectations dropped, then checks the invariants.
std::optional<Violation> runCase(const Scenario& s);

/// s as a counterexample file's model: its expectations replaced by the violation's, and a description
/// naming the invariant and who found it.
Scenario counterexample(Scenario s, const Violation& v, const std::string& foundBy);

}  // namespace simsock::scenario
