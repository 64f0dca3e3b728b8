// Scenario model -> a format-1 scenario file. What explore and the property tests find is saved this way,
// so a counterexample is an ordinary file that `simsock run` replays without the tool that found it.
#pragma once

#include <string>

#include "simsock/scenario/model.h"

namespace simsock::scenario {

/// The scenario as JSON text that loadScenarioText accepts and scenarios/schema.json validates, keys in the
/// order scenarios/README.md documents them. Loading the text gives back an equal model (positions aside):
/// durations use formatDuration, probabilities their exact ppm, generated a..z payloads `size`.
/// Hosts are always written out, so the file does not depend on the loader's default network.
std::string writeScenario(const Scenario& s);

}  // namespace simsock::scenario
