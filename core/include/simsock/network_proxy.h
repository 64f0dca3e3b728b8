// The proxy settings a socket carries. Only NoProxy and DefaultProxy are served: no proxy engine exists
// yet, so any other type makes connectToHost fail with ProxyNotFoundError.
#pragma once

#include <cstdint>
#include <string>

namespace simsock {

class NetworkProxy {
public:
    enum ProxyType { DefaultProxy, Socks5Proxy, NoProxy, HttpProxy, HttpCachingProxy, FtpCachingProxy };

    NetworkProxy() = default;
    NetworkProxy(ProxyType type, std::string hostName = {}, std::uint16_t port = 0)  // NOLINT: implicit as Qt
        : type_(type), hostName_(std::move(hostName)), port_(port) {}

    ProxyType type() const { return type_; }
    const std::string& hostName() const { return hostName_; }
    std::uint16_t port() const { return port_; }
    /// True for the types a socket can use today (NoProxy, DefaultProxy with no application proxy).
    bool isServed() const { return type_ == NoProxy || type_ == DefaultProxy; }

    friend bool operator==(const NetworkProxy&, const NetworkProxy&) = default;

private:
    ProxyType type_ = DefaultProxy;
    std::string hostName_;
    std::uint16_t port_ = 0;
};

/// Credentials a proxyAuthenticationRequired handler fills in.
struct Authenticator {
    std::string user;
    std::string password;
};

}  // namespace simsock
