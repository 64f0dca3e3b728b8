// Runs a scenario: builds the world, the sockets and the peers, plays the actions, and compares what
// happened with the expectations. A sim run is executed twice; the two must match byte for byte.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "simsock/engines.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/world.h"
#include "simsock/trace.h"

namespace simsock::scenario {

/// What one execution of a scenario observed.
struct Observation {
    Trace trace;
    std::vector<LogEvent> log;
    std::map<std::string, ReturnValue> returns;
    struct SocketFinal {
        std::string state, error;
        std::int64_t bytesAvailable = 0, bytesToWrite = 0;
        std::string read;  ///< everything read by the scenario's read actions
        bool isOpen = false;
    };
    std::map<std::string, SocketFinal> sockets;
    struct PeerFinal {
        std::string received;
        std::int64_t accepted = 0;
    };
    std::map<std::string, PeerFinal> peers;
    /// What each program exposed (ProgramContext::expose), by program, then key.
    std::map<std::string, std::map<std::string, ProgramValue>> programs;
    std::vector<std::string> problems;  ///< setup or runtime problems (a peer that cannot listen ...)
    /// Set when the execution reached a bound of RunLimits and was ended there:
    /// `budget: 10,000,000 events reached at 0.8 ms virtual time`. The rest is what happened until then.
    std::string budget;
    /// Everything above as text, for the determinism comparison.
    std::string serialize() const;
};

/// Bounds on one execution of a scenario, so that no file can run for ever or eat the machine. A run that
/// reaches one ends there and fails with a message starting "budget: "; 0 switches a bound off.
struct RunLimits {
    /// Loop events (the sim's; a real engine's loop cannot count them, its runs are bounded by timeoutMs).
    std::uint64_t maxEvents = 10'000'000;
    /// Recorded signals and calls plus peer and network log entries (what `--trace` writes).
    std::uint64_t maxTraceEvents = 1'000'000;
    /// Wall-clock time, read by the runner between loop events: never by the sim, never in a trace.
    std::int64_t timeoutMs = 60'000;
    /// Payload bytes the actions write (write, writeDatagram).
    std::uint64_t maxWrittenBytes = std::uint64_t{1} << 30;
    /// Actions performed inside signal handlers nested in each other (an action whose own call emits
    /// the signal that triggers it recurses for ever).
    int maxNesting = 100;
};

struct RunOptions {
    RunOptions() = default;
    /// Brace-initialisable as before the limits existed: RunOptions{"sim", seed}.
    RunOptions(std::string engineName, std::optional<std::uint64_t> seedOverride = std::nullopt, RunLimits bounds = {})
        : engine(std::move(engineName)), seed(seedOverride), limits(bounds) {}

    /// A registered engine's name, or kEveryEngine (both): the sim and every other engine the file lists,
    /// their traces compared (engines.h).
    std::string engine = kDefaultEngine;
    std::optional<std::uint64_t> seed;  ///< overrides the file's seed
    RunLimits limits;                   ///< per execution (a sim file executes twice)
};

struct RunResult {
    enum class Status { Passed, Failed, Skipped, Error };
    Status status = Status::Failed;
    std::vector<std::string> failures;  ///< one line each: "socket c: state: expected X, got Y"
    std::string diff;                   ///< the expected-vs-actual trace diff, when the trace differs
    std::string skipReason;
    Observation observation;            ///< of the first execution (on kEveryEngine: the sim's)
    /// On kEveryEngine: each other engine's run, by engine name, in registry order.
    std::vector<std::pair<std::string, Observation>> otherObservations;
};

/// Two engines' traces of one scenario, compared as normalised events (normalisedEvent).
struct EngineComparison {
    bool equal = true;
    std::string summary;  ///< `engines differ: first difference at event N: sim "..." vs epoll "..."`
    std::string diff;     ///< unified-diff style, `-` sim, `+` the other engine, first differing event marked
};
/// The sim's trace against the trace of the engine named other.
EngineComparison compareEngineTraces(const Trace& sim, const Trace& otherTrace, const std::string& other);

/// An event without what legitimately differs between engines (its time): `c: readyRead(4) in ConnectedState`,
/// `c: write("y") -> 1` for a call event. Names, arguments, the state at delivery, the in-call marker and
/// return values are kept (a call's port, address and descriptor values are spelled engine-independently). No signal carries an address
/// or a port (those are where engines differ: LoopbackMap moves hosts and ports), so none is dropped.
std::string normalisedEvent(const TraceEvent& e);

/// Executes the scenario once on a world within limits. Throws nothing; problems land in
/// Observation::problems, a bound reached in Observation::budget.
Observation executeOnce(const Scenario& scenario, World& world, const RunLimits& limits = {});

/// Runs (twice on the sim), checks determinism and expectations, and applies expectFailure.
RunResult runScenario(const Scenario& scenario, const RunOptions& options);

/// Compares an observation with the scenario's expectations; failures and the trace diff are appended.
void checkExpectations(const Scenario& scenario, const Observation& obs, std::vector<std::string>& failures,
                       std::string& diff);

/// The first line where two texts differ (1-based), or 0 when equal.
std::size_t firstDifferingLine(const std::string& a, const std::string& b);

}  // namespace simsock::scenario
