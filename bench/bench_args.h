// Our own command-line flags, taken out of argv before Google Benchmark sees (and rejects) them.
#pragma once

#include <cstdint>
#include <string>

namespace simsock::bench {

/// Removes "--name=VALUE" from argv and returns VALUE as an integer, or fallback when absent.
std::int64_t takeIntFlag(int& argc, char** argv, const std::string& name, std::int64_t fallback);

}  // namespace simsock::bench
