#include "simsock/check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace simsock::detail {

void assertFailed(const char* expr, const char* file, int line, const char* context) {
    std::fprintf(stderr, "simsock: assertion failed: %s at %s:%d%s%s\n", expr, file, line,
                 context ? " in " : "", context ? context : "");
    std::fflush(stderr);
    std::abort();
}

void assertFailedInState(const char* expr, const char* file, int line, SocketState state) {
    const std::string name(toString(state));
    assertFailed(expr, file, line, name.c_str());
}

}  // namespace simsock::detail
