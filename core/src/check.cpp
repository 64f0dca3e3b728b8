#include "simsock/check.h"

#include <cstdio>
#include <cstdlib>

namespace simsock::detail {

void assertFailed(const char* expr, const char* file, int line, const char* context) {
    std::fprintf(stderr, "simsock: assertion failed: %s at %s:%d%s%s\n", expr, file, line,
                 context ? " in " : "", context ? context : "");
    std::fflush(stderr);
    std::abort();
}

}  // namespace simsock::detail
