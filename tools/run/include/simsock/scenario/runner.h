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
    std::vector<std::string> problems;  ///< setup or runtime problems (a peer that cannot listen ...)
    /// Everything above as text, for the determinism comparison.
    std::string serialize() const;
};

struct RunOptions {
    /// A registered engine's name, or kEveryEngine (both): the sim and every other engine the file lists,
    /// their traces compared (engines.h).
    std::string engine = kDefaultEngine;
    std::optional<std::uint64_t> seed;  ///< overrides the file's seed
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

/// Executes the scenario once on a world. Throws nothing; problems land in Observation::problems.
Observation executeOnce(const Scenario& scenario, World& world);

/// Runs (twice on the sim), checks determinism and expectations, and applies expectFailure.
RunResult runScenario(const Scenario& scenario, const RunOptions& options);

/// Compares an observation with the scenario's expectations; failures and the trace diff are appended.
void checkExpectations(const Scenario& scenario, const Observation& obs, std::vector<std::string>& failures,
                       std::string& diff);

/// The first line where two texts differ (1-based), or 0 when equal.
std::size_t firstDifferingLine(const std::string& a, const std::string& b);

}  // namespace simsock::scenario
