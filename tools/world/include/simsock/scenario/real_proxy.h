// Real proxy servers from Debian packages, for runs on a real engine: microsocks (SOCKS5, optionally with
// -u/-P) and tinyproxy (HTTP CONNECT, in the foreground from a configuration generated in a temporary
// directory: Port, Listen, Allow, BasicAuth, ConnectPort). start() returns once the server listens on
// the loopback address and port it was given; the destructor stops it (SIGTERM, then SIGKILL after 2 s),
// reaps it and removes the temporary directory, so nothing is left behind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include "simsock/host_address.h"

namespace simsock::scenario {

struct RealProxyOptions {
    enum class Kind { Microsocks, Tinyproxy };
    Kind kind = Kind::Microsocks;
    HostAddress address{HostAddress::SpecialAddress::LocalHost};  ///< an IPv4 loopback address
    std::uint16_t port = 0;     ///< 0: a free port of address
    std::string user, password;  ///< both empty: no authentication
    /// tinyproxy: the only destination ports CONNECT may reach (ConnectPort); empty: every port.
    std::vector<std::uint16_t> connectPorts;
};

class RealProxy {
public:
    /// Starts the server and waits (at most 5 s) until it listens; null with the reason in error when the
    /// program is missing (tools/install-deps installs it), exits, or never listens.
    static std::unique_ptr<RealProxy> start(const RealProxyOptions& options, std::string& error);
    ~RealProxy();
    RealProxy(const RealProxy&) = delete;
    RealProxy& operator=(const RealProxy&) = delete;

    /// Where it listens.
    const HostAddress& address() const { return address_; }
    std::uint16_t port() const { return port_; }
    /// The program's name ("microsocks", "tinyproxy").
    const std::string& program() const { return program_; }
    /// The server's process id, and the temporary directory holding its configuration and log: both are
    /// gone once the destructor returns.
    pid_t pid() const { return pid_; }
    const std::string& tempDir() const { return tempDir_; }

private:
    RealProxy() = default;
    pid_t pid_ = -1;
    HostAddress address_;
    std::uint16_t port_ = 0;
    std::string program_;
    std::string tempDir_;
};

/// True when the program a kind needs is installed (found in PATH).
bool realProxyAvailable(RealProxyOptions::Kind kind);

}  // namespace simsock::scenario
