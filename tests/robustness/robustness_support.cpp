#include "robustness_support.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace simsock::robustness {

int openDescriptorCount() {
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc/self/fd", ec);
    if (ec) return -1;
    int n = 0;
    // A bound on the walk: a process can hold at most RLIMIT_NOFILE descriptors, far below this.
    constexpr int kMaxEntries = 1 << 20;
    for (; it != std::filesystem::directory_iterator() && n < kMaxEntries; it.increment(ec)) {
        if (ec) return -1;
        ++n;
    }
    return n;
}

ScopedDescriptorLimit::ScopedDescriptorLimit(std::int64_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    hard_ = limit.rlim_max == RLIM_INFINITY ? INT64_MAX : static_cast<std::int64_t>(limit.rlim_max);
    const auto target = static_cast<rlim_t>(wanted);
    rlim_t soft = limit.rlim_max == RLIM_INFINITY || limit.rlim_max > target ? target : limit.rlim_max;
    if (soft <= limit.rlim_cur) {  // never lower a limit that is already high enough
        soft_ = static_cast<std::int64_t>(limit.rlim_cur);
        return;
    }
    const rlim_t old = limit.rlim_cur;
    limit.rlim_cur = soft;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    restore_ = static_cast<std::int64_t>(old);
    soft_ = static_cast<std::int64_t>(soft);
}

ScopedDescriptorLimit::~ScopedDescriptorLimit() {
    if (restore_ < 0) return;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    limit.rlim_cur = static_cast<rlim_t>(restore_);
    (void)::setrlimit(RLIMIT_NOFILE, &limit);  // nothing useful to do in a destructor if it fails
}

int envCount(const char* name, int fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value <= 0 || value > 1'000'000'000L) return fallback;
    return static_cast<int>(value);
}

}  // namespace simsock::robustness
