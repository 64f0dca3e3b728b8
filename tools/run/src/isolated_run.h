// One real-engine execution of a scenario in a child process inside its own network and mount namespaces
// (kernel_namespace.h), its observation sent back through a pipe. The parent's namespace is never touched
// and everything the run set up dies with the child.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "simsock/scenario/runner.h"

namespace simsock::scenario::detail {

/// How long set-up and tear-down may take on top of the scenario's runFor before the child is killed.
inline constexpr std::int64_t kNamespaceSlackNs = 10'000'000'000;

/// The outcome: an observation, or why there is none (skip: no privilege or no realisation; else an error).
struct IsolatedOutcome {
    std::optional<Observation> observation;
    std::string why;
    bool skip = false;  ///< the run could not start (no namespace, or the world refused the scenario)
};

/// Forks, enters fresh namespaces in the child, builds the world for engine there and executes s once.
IsolatedOutcome executeIsolated(const Scenario& s, const std::string& engine, const RunLimits& limits);

/// The observation as bytes for the pipe, and back (nullopt: malformed).
std::string encodeObservation(const Observation& o);
std::optional<Observation> decodeObservation(std::string_view bytes);

}  // namespace simsock::scenario::detail
