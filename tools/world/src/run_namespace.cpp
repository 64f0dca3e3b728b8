// Entering a run's own namespaces. Everything the faults change (nft rules, ip rules, sysctls) lives in
// the new network namespace, which the kernel destroys with the last process in it: nothing to tear down.
#include "kernel_tools.h"
#include "simsock/scenario/kernel_namespace.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace simsock::scenario {
namespace {

bool g_inRunNamespace = false;

// lo comes up down in a new namespace; up, it owns 127.0.0.0/8 (LoopbackMap's addresses) and ::1.
std::string bringLoopbackUp() {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::string("socket: ") + std::strerror(errno);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ::ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        rc = ::ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int err = errno;
    ::close(fd);
    return rc == 0 ? std::string() : std::string("bringing lo up: ") + std::strerror(err);
}

}  // namespace

namespace detail {

std::string runTool(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return argv[0] + ": cannot run: " + std::strerror(rc);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    std::string line;
    for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
    return "`" + line + "` failed (status " + std::to_string(status) + ")";
}

}  // namespace detail

std::string enterRunNamespace() {
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
        int err = errno;
        return std::string(kNoNamespacePrefix) + " (unshare: " + std::strerror(err) +
               "): on a real engine, files with faults, links, DNS entries or real addresses need root or CAP_SYS_ADMIN";
    }
    // Mounts made for the run (name resolution files) must not propagate to the parent's namespace.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return std::string("mount --make-rprivate /: ") + std::strerror(errno);
    if (std::string err = bringLoopbackUp(); !err.empty()) return err;
    if (std::string err = detail::runTool({"nft", std::string("add table inet ") + detail::kNftTable + " ; add chain inet " +
                                                      detail::kNftTable + " out { type filter hook output priority 0 ; }"});
        !err.empty())
        return err;
    g_inRunNamespace = true;
    return {};
}

bool inRunNamespace() { return g_inRunNamespace; }

}  // namespace simsock::scenario
