// The fork: the child unshares before any thread starts (the epoll backend's resolver threads are created
// with the world, after unsharing), runs, writes one message and _exits; the parent reads it under a
// deadline and kills the child on overrun. The message is one tag byte ('O' observation, 'S' skip, 'E'
// error) and its text.
#include "isolated_run.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario::detail {
namespace {

void writeAll(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

[[noreturn]] void childMain(int out, const Scenario& s, const std::string& engine, const RunLimits& limits) {
    std::string message;
    if (std::string err = enterRunNamespace(); !err.empty()) {
        message = (err.rfind(kNoNamespacePrefix, 0) == 0 ? "S" : "E") + err;
    } else {
        std::string error;
        auto world = makeWorld(engine, s, error);
        message = world ? "O" + encodeObservation(executeOnce(s, *world, limits)) : "S" + error;
    }
    writeAll(out, message);
    ::close(out);
    ::_exit(0);
}

// Everything the child writes until it closes the pipe, or until the deadline (false then).
bool readUntil(int fd, std::int64_t deadlineNs, std::string& into) {
    using Clock = std::chrono::steady_clock;
    const auto end = Clock::now() + std::chrono::nanoseconds(deadlineNs);
    char buf[65536];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, POLLIN, 0};
        int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) return false;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return true;
        into.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace

IsolatedOutcome executeIsolated(const Scenario& s, const std::string& engine, const RunLimits& limits) {
    IsolatedOutcome out;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        out.why = std::string("pipe: ") + std::strerror(errno);
        return out;
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        out.why = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        return out;
    }
    if (pid == 0) {
        ::close(fds[0]);
        childMain(fds[1], s, engine, limits);
    }
    ::close(fds[1]);
    std::string message;
    const bool finished = readUntil(fds[0], s.runForNs + kNamespaceSlackNs, message);
    ::close(fds[0]);
    if (!finished) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!finished) {
        out.why = "the namespace run overran runFor + " + std::to_string(kNamespaceSlackNs / 1'000'000'000) + " s: killed";
    } else if (message.empty()) {
        out.why = "the namespace run died without a result (status " + std::to_string(status) + ")";
    } else if (message[0] == 'O') {
        out.observation = decodeObservation(std::string_view(message).substr(1));
        if (!out.observation) out.why = "the namespace run's observation is malformed";
    } else {
        out.skip = message[0] == 'S';
        out.why = message.substr(1);
    }
    return out;
}

}  // namespace simsock::scenario::detail
