// `simsock record`: writes an observed trace into a scenario file's expect.trace, leaving every other
// byte of the file as it was, so that the change reads as a small diff in review.
#pragma once

#include <string>

#include "simsock/trace.h"

namespace simsock::scenario {

/// The trace as expect.trace lines: `@<time> <socket>: <compact>` (without `@<time> ` when times is
/// false: for files run on real engines too, whose clock is not virtual), one per event.
std::vector<std::string> recordedLines(const Trace& trace, bool times = true);

/// text with its expect.trace replaced (or added, creating expect if needed) by lines. Throws
/// ScenarioError when text is not a JSON object.
std::string spliceTrace(const std::string& file, const std::string& text, const std::vector<std::string>& lines);

}  // namespace simsock::scenario
