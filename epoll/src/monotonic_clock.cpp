// THE ONE DOCUMENTED REAL-CLOCK ADAPTER. Everything in simsock reads time from its EventLoop; only the
// epoll loop's clock is real, and this file is the single place it is read. core/ and sim/ never read a
// clock (the project greps them for system_clock/steady_clock), and the epoll engine reads this one
// instead of <chrono> so that there is exactly one place to audit. CLOCK_MONOTONIC is also the clock
// the loop's timerfd is armed on, so deadlines computed here and kernel expirations agree.
#include "monotonic_clock.h"

#include <time.h>

#include "simsock/check.h"

namespace simsock::epoll::detail {

std::int64_t monotonicNowNs() {
    timespec ts{};
    const int rc = ::clock_gettime(CLOCK_MONOTONIC, &ts);
    SIMSOCK_ASSERT(rc == 0);  // CLOCK_MONOTONIC cannot fail on Linux
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace simsock::epoll::detail
