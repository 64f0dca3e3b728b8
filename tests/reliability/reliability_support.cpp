#include "reliability_support.h"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace simsock::reliability {

Outcome runSimsock(const std::string& args) {
    Outcome o;
    // Bounded: a command that blocks (on a FIFO, say) ends with timeout(1)'s exit code 124.
    const std::string cmd = std::string("timeout 120 \"") + SIMSOCK_BIN + "\" " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return o;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) o.output.append(buf.data(), n);
    const int status = pclose(pipe);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

Outcome runSimsockAs(unsigned uid, const std::string& args, unsigned timeoutSec) {
    const std::string cmd = "exec timeout " + std::to_string(timeoutSec) + " \"" + SIMSOCK_BIN + "\" " + args + " 2>&1";
    return inChild(
        [&]() -> std::string {
            // Root reads every directory whatever its mode: an unreadable folder needs another user.
            if (::getuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0 || ::setuid(uid) != 0))
                return "cannot drop privileges\n";
            FILE* pipe = popen(cmd.c_str(), "r");
            if (!pipe) return "popen failed\n";
            std::string out;
            std::array<char, 4096> buf{};
            for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
            const int status = pclose(pipe);
            return out + "exit " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "\n";
        },
        timeoutSec + 10);
}

Outcome inChild(const std::function<std::string()>& body, unsigned timeoutSec) {
    Outcome o;
    int fds[2];
    if (::pipe(fds) != 0) return o;
    const pid_t pid = ::fork();
    if (pid < 0) return o;
    if (pid == 0) {
        ::close(fds[0]);
        ::alarm(timeoutSec);  // a hang ends as SIGALRM, which the parent reports
        const std::string text = body();
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t w = ::write(fds[1], text.data() + done, text.size() - done);
            if (w <= 0) break;
            done += static_cast<std::size_t>(w);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::array<char, 4096> buf{};
    for (ssize_t n; (n = ::read(fds[0], buf.data(), buf.size())) > 0;) o.output.append(buf.data(), static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
        o.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        o.output += "child ended by signal " + std::to_string(WTERMSIG(status)) + "\n";
    }
    return o;
}

ScratchDir::ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "simsock-reliability-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

ScratchDir::~ScratchDir() {
    if (path_.empty()) return;
    std::error_code ec;
    // Scratch trees may hold unreadable folders: make them readable so they can be removed.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
}

bool writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

}  // namespace simsock::reliability
