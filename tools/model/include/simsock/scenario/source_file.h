// Reading a file the user named: a scenario, a schema. What is at the path is checked before it is
// opened (a FIFO would block, /dev/zero never ends), it is opened without blocking, and at most
// kMaxSourceFileBytes are read. Every refusal says what the path is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace simsock::scenario {

/// The largest file read: far above any real scenario, small enough to hold in memory.
inline constexpr std::uint64_t kMaxSourceFileBytes = 64 * 1024 * 1024;

/// Why path is not a regular file one can read ("is a FIFO, not a regular file", "is a dangling
/// symlink", "no such file or directory", ...), or nullopt when it is one. Never opens it.
std::optional<std::string> notARegularFile(const std::string& path);

/// The whole file at path. Throws ScenarioError("path: why") for anything but a regular file of at most
/// kMaxSourceFileBytes bytes that can be read.
std::string readSourceFile(const std::string& path);

}  // namespace simsock::scenario
