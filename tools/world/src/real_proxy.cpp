// Starting and stopping microsocks and tinyproxy. The server is spawned directly (posix_spawn, no shell),
// its output goes to a log file in its temporary directory (quoted when it dies before listening), and
// "listening" is read from /proc/net/tcp rather than probed with a connection, which a proxy would count
// and log as a client.
#include "simsock/scenario/real_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace simsock::scenario {
namespace {

constexpr int kListenPolls = 500;         // x 10 ms: 5 s for the server to listen
constexpr int kStopPolls = 200;           // x 10 ms: 2 s for SIGTERM before SIGKILL
constexpr std::size_t kLogQuoted = 400;   // bytes of the server's log quoted in an error

std::string findProgram(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    dirs += ":/usr/sbin:/sbin";
    std::stringstream in(dirs);
    for (std::string dir; std::getline(in, dir, ':');) {
        if (dir.empty()) continue;
        std::string full = dir + "/" + name;
        if (::access(full.c_str(), X_OK) == 0) return full;
    }
    return {};
}

const char* programName(RealProxyOptions::Kind kind) {
    return kind == RealProxyOptions::Kind::Microsocks ? "microsocks" : "tinyproxy";
}

// A port of address nothing uses now (bound to port 0 and released).
std::uint16_t freePort(const HostAddress& address) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(address.toIPv4Address());
    socklen_t len = sizeof sa;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
        port = ntohs(sa.sin_port);
    ::close(fd);
    return port;
}

// True when /proc/net/tcp lists a listening socket (state 0A) at address:port.
bool listening(const HostAddress& address, std::uint16_t port) {
    char want[32];
    // /proc prints the address as the in-memory 32-bit word, which is network order read little-endian.
    const std::uint32_t be = htonl(address.toIPv4Address());
    std::snprintf(want, sizeof want, "%08X:%04X", static_cast<unsigned>(be), static_cast<unsigned>(port));
    std::ifstream tcp("/proc/net/tcp");
    std::string line;
    std::getline(tcp, line);  // the header
    for (int i = 0; i < 100000 && std::getline(tcp, line); ++i) {
        std::istringstream fields(line);
        std::string sl, local, remote, state;
        fields >> sl >> local >> remote >> state;
        if (local == want && state == "0A") return true;
    }
    return false;
}

std::string readLog(const std::string& file) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > kLogQuoted) text = text.substr(0, kLogQuoted) + "...";
    return text;
}

std::string tinyproxyConfig(const RealProxyOptions& o, std::uint16_t port) {
    std::string c = "Port " + std::to_string(port) + "\nListen " + o.address.toString() +
                    "\nTimeout 600\nMaxClients 100\nAllow 127.0.0.0/8\nAllow ::1\nLogLevel Info\n";
    if (!o.user.empty() || !o.password.empty()) c += "BasicAuth " + o.user + " " + o.password + "\n";
    for (std::uint16_t p : o.connectPorts) c += "ConnectPort " + std::to_string(p) + "\n";
    return c;
}

}  // namespace

bool realProxyAvailable(RealProxyOptions::Kind kind) { return !findProgram(programName(kind)).empty(); }

std::unique_ptr<RealProxy> RealProxy::start(const RealProxyOptions& o, std::string& error) {
    const std::string program = findProgram(programName(o.kind));
    if (program.empty()) {
        error = std::string(programName(o.kind)) + " is not installed (tools/install-deps installs it)";
        return nullptr;
    }
    std::unique_ptr<RealProxy> p(new RealProxy());
    p->program_ = programName(o.kind);
    p->address_ = o.address;
    p->port_ = o.port != 0 ? o.port : freePort(o.address);
    char dir[] = "/tmp/simsock-proxy-XXXXXX";
    if (p->port_ == 0 || ::mkdtemp(dir) == nullptr) {
        error = p->program_ + ": no free port or temporary directory: " + std::strerror(errno);
        return nullptr;
    }
    p->tempDir_ = dir;
    std::vector<std::string> args{program};
    if (o.kind == RealProxyOptions::Kind::Microsocks) {
        args.insert(args.end(), {"-i", o.address.toString(), "-p", std::to_string(p->port_)});
        if (!o.user.empty() || !o.password.empty()) args.insert(args.end(), {"-u", o.user, "-P", o.password});
    } else {
        std::ofstream(p->tempDir_ + "/tinyproxy.conf") << tinyproxyConfig(o, p->port_);
        args.insert(args.end(), {"-d", "-c", p->tempDir_ + "/tinyproxy.conf"});
    }
    const std::string logFile = p->tempDir_ + "/server.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int err = posix_spawn(&p->pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) {
        p->pid_ = -1;
        error = p->program_ + ": cannot start: " + std::strerror(err);
        return nullptr;
    }
    for (int i = 0; i < kListenPolls; ++i) {
        if (listening(p->address_, p->port_)) return p;
        int status = 0;
        if (::waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
            p->pid_ = -1;
            error = p->program_ + " exited before listening: " + readLog(logFile);
            return nullptr;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    error = p->program_ + " did not listen on " + p->address_.toString() + ":" + std::to_string(p->port_) + " within 5 s";
    return nullptr;
}

RealProxy::~RealProxy() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        bool gone = false;
        for (int i = 0; i < kStopPolls && !gone; ++i) {
            int status = 0;
            gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
            if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (!gone) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    if (!tempDir_.empty()) {
        std::remove((tempDir_ + "/tinyproxy.conf").c_str());
        std::remove((tempDir_ + "/server.log").c_str());
        ::rmdir(tempDir_.c_str());
    }
}

}  // namespace simsock::scenario
