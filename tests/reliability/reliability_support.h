// Helpers for the reliability tests: running the real CLI, running code in a bounded child process, and
// scratch directories.
#pragma once

#include <functional>
#include <string>

namespace simsock::reliability {

/// What a finished command or child said and how it ended.
struct Outcome {
    int exitCode = -1;   ///< the exit status, or -1 when it did not exit normally
    std::string output;  ///< stdout and stderr together (the CLI), or what the child reported
};

/// Runs `simsock ARGS` through the shell (args are pasted as written) with stdout and stderr merged,
/// ended after 120 s (exit code 124, as timeout(1) says).
Outcome runSimsock(const std::string& args);

/// As runSimsock, in a child process with the user and group ids of uid (when root; as it is otherwise),
/// ended after timeoutSec (exit code 124, as timeout(1) says).
Outcome runSimsockAs(unsigned uid, const std::string& args, unsigned timeoutSec = 30);

/// Runs body in a forked child killed after timeoutSec; the child's return value comes back through a
/// pipe. A child that crashes or times out yields exitCode -1 and a line saying so.
Outcome inChild(const std::function<std::string()>& body, unsigned timeoutSec);

/// A fresh empty directory under the system's temporary directory, removed (recursively) on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::string& path() const { return path_; }
    /// path()/name
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// Writes text to path (truncating); false on failure.
bool writeText(const std::string& path, const std::string& text);
/// The whole file, or "" when it cannot be read.
std::string readText(const std::string& path);

}  // namespace simsock::reliability
