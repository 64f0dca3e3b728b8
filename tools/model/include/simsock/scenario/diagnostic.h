// The one-line diagnostic every bad scenario file gets: `file:line:column: JSON path: what is wrong`.
#pragma once

#include <stdexcept>
#include <string>

#include "simsock/scenario/json_tree.h"

namespace simsock::scenario {

/// A scenario file that cannot be loaded. what() is the full one-line diagnostic.
class ScenarioError : public std::runtime_error {
public:
    ScenarioError(const std::string& file, SourcePos pos, const std::string& path, const std::string& message);
    /// A file-level problem without a position (unreadable file).
    ScenarioError(const std::string& file, const std::string& message);
    SourcePos pos() const { return pos_; }

private:
    SourcePos pos_;
};

}  // namespace simsock::scenario
