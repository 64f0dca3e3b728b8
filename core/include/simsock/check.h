// Assertions. SIMSOCK_ASSERT is always on: a broken invariant in a socket library must stop the
// program where it happened, with the place, rather than corrupt a trace later.
#pragma once

#include "simsock/socket_types.h"

namespace simsock::detail {
[[noreturn]] void assertFailed(const char* expr, const char* file, int line, const char* context);
/// As assertFailed, naming the socket state the failure happened in ("... in ConnectedState").
[[noreturn]] void assertFailedInState(const char* expr, const char* file, int line, SocketState state);
}

#define SIMSOCK_ASSERT(cond)                                                             \
    do {                                                                                 \
        if (!(cond)) ::simsock::detail::assertFailed(#cond, __FILE__, __LINE__, nullptr); \
    } while (0)

/// As SIMSOCK_ASSERT, naming extra context.
#define SIMSOCK_ASSERT_CTX(cond, ctx)                                                 \
    do {                                                                              \
        if (!(cond)) ::simsock::detail::assertFailed(#cond, __FILE__, __LINE__, ctx); \
    } while (0)

/// As SIMSOCK_ASSERT, naming the state machine's current state: `... in ConnectedState`. Always on.
#define SIMSOCK_ASSERT_STATE(cond, state)                                                         \
    do {                                                                                          \
        if (!(cond)) ::simsock::detail::assertFailedInState(#cond, __FILE__, __LINE__, (state)); \
    } while (0)

#ifdef NDEBUG
#define SIMSOCK_DEBUG_ASSERT(cond) ((void)0)
#else
#define SIMSOCK_DEBUG_ASSERT(cond) SIMSOCK_ASSERT(cond)
#endif
