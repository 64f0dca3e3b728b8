// Small helpers of the kernel realisation: running iproute2 / nftables inside the run's namespace.
#pragma once

#include <string>
#include <vector>

namespace simsock::scenario::detail {

/// The nft table (family inet) a run's faults put their rules in; it exists only in the run's namespace.
inline constexpr const char* kNftTable = "simsock";

/// Runs argv[0] (looked up in PATH) with argv, output discarded, and waits; "" or why it failed.
std::string runTool(const std::vector<std::string>& argv);

}  // namespace simsock::scenario::detail
