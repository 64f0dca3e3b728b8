// JSON scenario file -> Scenario model, with one precise diagnostic for anything wrong.
#pragma once

#include <string>
#include <string_view>

#include "simsock/scenario/model.h"

namespace simsock::scenario {

/// Loads and checks the scenario in file. Throws ScenarioError (`file:line:column: path: message`) for
/// unreadable files, malformed JSON, unknown fields, wrong types, impossible values and dangling names.
Scenario loadScenarioFile(const std::string& file);

/// As loadScenarioFile, from text already read; file is only used in diagnostics.
Scenario loadScenarioText(const std::string& file, std::string_view text);

/// The signal names a socket or a server can emit (for triggers and expected traces).
bool isKnownSignal(std::string_view name);

/// The call names of the call table: what a trace shows as an in-call marker `call{...}` or a call event.
bool isKnownCall(std::string_view name);

}  // namespace simsock::scenario
