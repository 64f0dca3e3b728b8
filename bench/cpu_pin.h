// Pins the process to the CPU it is running on, so client and server (one thread) share one core and the
// figures do not depend on the scheduler moving the benchmark between cores mid-run.
#pragma once

namespace simsock::bench {

/// Returns the CPU pinned to, or -1 when pinning failed (the benchmark still runs, unpinned).
int pinToCurrentCpu();

}  // namespace simsock::bench
