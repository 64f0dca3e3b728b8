// Resident memory of this process, read from /proc/self/status, for "bytes per connection" figures.
#pragma once

#include <cstdint>

namespace simsock::bench {

/// VmRSS in bytes (0 when /proc is unavailable).
std::int64_t residentBytes();
/// VmHWM (peak resident) in bytes (0 when /proc is unavailable).
std::int64_t peakResidentBytes();
/// Returns freed heap pages to the kernel and resets VmHWM to the current RSS, so that a delta measured
/// next belongs to the work that follows and not to an earlier benchmark in the same process.
void resetMemoryBaseline();

}  // namespace simsock::bench
