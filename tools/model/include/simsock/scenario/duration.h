// Durations in scenario files. The rule: a string of digits (optionally with a decimal fraction)
// followed by one unit, ns, us, ms or s ("10ms", "1.5s", "250us"), or a bare JSON integer meaning
// nanoseconds. The result must be a whole number of nanoseconds and not negative.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simsock::scenario {

/// The nanoseconds text denotes, or nullopt with why in error.
std::optional<std::int64_t> parseDuration(std::string_view text, std::string& error);

/// The shortest exact spelling: "30s", "1500us", "0ms" (the largest unit that divides ns evenly).
std::string formatDuration(std::int64_t ns);

}  // namespace simsock::scenario
