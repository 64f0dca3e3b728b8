// errno helpers: every system call that can be interrupted by a signal is retried here, so no caller
// ever sees EINTR.
#pragma once

#include <cerrno>
#include <unistd.h>

namespace simsock::epoll::detail {

/// Calls fn until it does not fail with EINTR. Bounded: a signal storm cannot spin forever.
template <typename Fn>
auto retryOnEintr(Fn&& fn) -> decltype(fn()) {
    constexpr int kMaxRetries = 1000;
    decltype(fn()) rc{};
    for (int i = 0; i < kMaxRetries; ++i) {
        rc = fn();
        if (rc >= 0 || errno != EINTR) return rc;
    }
    return rc;
}

/// close() without retrying: on Linux the descriptor is released even when close reports EINTR.
inline void closeDescriptor(int fd) {
    if (fd >= 0) ::close(fd);
}

}  // namespace simsock::epoll::detail
