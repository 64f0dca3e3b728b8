#include "simsock/scenario/diagnostic.h"

namespace simsock::scenario {

ScenarioError::ScenarioError(const std::string& file, SourcePos pos, const std::string& path,
                             const std::string& message)
    : std::runtime_error(file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " + path +
                         ": " + message),
      pos_(pos) {}

ScenarioError::ScenarioError(const std::string& file, const std::string& message)
    : std::runtime_error(file + ": " + message) {}

}  // namespace simsock::scenario
