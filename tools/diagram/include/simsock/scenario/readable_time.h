// Times as a person reads them in the viewer and the diagrams: a number and a unit ("100 us",
// "1.5 s", "20.05 ms"), never a bare count of nanoseconds. The viewer's script formats the same way.
#pragma once

#include <cstdint>
#include <string>

namespace simsock::scenario {

/// ns in the largest of s, ms, us, ns that is at most |ns|, exactly (as many decimals as needed, trailing
/// zeros dropped) with a space before the unit: "0 s", "123 ns", "100 us", "1.5 s", "-2 ms".
std::string readableDuration(std::int64_t ns);

}  // namespace simsock::scenario
