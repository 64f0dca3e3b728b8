// Helpers shared by the robustness tests: counting this process's descriptors, raising the descriptor
// limit, and reading a scale factor from the environment.
#pragma once

#include <cstdint>
#include <string>

namespace simsock::robustness {

/// The number of entries in /proc/self/fd (the directory's own descriptor included, so two calls in
/// the same situation compare equal), or -1 if /proc is unavailable.
int openDescriptorCount();

/// Raises RLIMIT_NOFILE's soft limit to min(hard, wanted) for its lifetime, then puts the old one back,
/// so a test leaves the process's limits as it found them.
class ScopedDescriptorLimit {
public:
    explicit ScopedDescriptorLimit(std::int64_t wanted);
    ~ScopedDescriptorLimit();
    ScopedDescriptorLimit(const ScopedDescriptorLimit&) = delete;
    ScopedDescriptorLimit& operator=(const ScopedDescriptorLimit&) = delete;
    /// The soft limit now in force, or -1 when getrlimit/setrlimit failed.
    std::int64_t soft() const { return soft_; }
    /// The hard limit, or -1 when getrlimit failed.
    std::int64_t hard() const { return hard_; }

private:
    std::int64_t soft_ = -1;
    std::int64_t hard_ = -1;
    std::int64_t restore_ = -1;
};

/// A positive integer from the environment variable name, or fallback when unset or not a positive number.
int envCount(const char* name, int fallback);

}  // namespace simsock::robustness
