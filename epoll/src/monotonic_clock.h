// The one real-clock adapter of simsock (see monotonic_clock.cpp).
#pragma once

#include <cstdint>

namespace simsock::epoll::detail {

/// CLOCK_MONOTONIC in nanoseconds.
std::int64_t monotonicNowNs();

}  // namespace simsock::epoll::detail
