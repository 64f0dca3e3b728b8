// The proxy settings a socket carries, with Qt's QNetworkProxy vocabulary: a type, the proxy's host and
// port, credentials and capabilities, plus the process-wide application proxy that DefaultProxy means.
#pragma once

#include <cstdint>
#include <string>

namespace simsock {

class NetworkProxy {
public:
    enum ProxyType { DefaultProxy, Socks5Proxy, NoProxy, HttpProxy, HttpCachingProxy, FtpCachingProxy };

    /// What a proxy can carry; a socket type needs its capability (TCP: Tunneling, UDP: UdpTunneling).
    enum Capability : unsigned {
        TunnelingCapability = 0x0001,
        ListeningCapability = 0x0002,
        UdpTunnelingCapability = 0x0004,
        CachingCapability = 0x0008,
        HostNameLookupCapability = 0x0010,
        SctpTunnelingCapability = 0x0020,
        SctpListeningCapability = 0x0040,
    };

    NetworkProxy() = default;
    /// A proxy of `type` at hostName:port with that type's default capabilities (as Qt's constructor).
    NetworkProxy(ProxyType type, std::string hostName = {}, std::uint16_t port = 0,  // NOLINT: implicit as Qt
                 std::string user = {}, std::string password = {});

    ProxyType type() const { return type_; }
    /// Changing the type resets the capabilities to the new type's defaults, as Qt does.
    void setType(ProxyType type);
    const std::string& hostName() const { return hostName_; }
    void setHostName(std::string hostName) { hostName_ = std::move(hostName); }
    std::uint16_t port() const { return port_; }
    void setPort(std::uint16_t port) { port_ = port; }
    const std::string& user() const { return user_; }
    void setUser(std::string user) { user_ = std::move(user); }
    const std::string& password() const { return password_; }
    void setPassword(std::string password) { password_ = std::move(password); }

    unsigned capabilities() const { return capabilities_; }
    void setCapabilities(unsigned capabilities) { capabilities_ = capabilities; }
    bool hasCapability(Capability c) const { return (capabilities_ & c) != 0; }
    /// The capabilities Qt gives a new proxy of `type`.
    static unsigned defaultCapabilities(ProxyType type);

    /// The proxy DefaultProxy stands for (NoProxy until one is set). Process-wide, as in Qt; tests that set
    /// it restore it (the scenario runner does so after each run).
    static NetworkProxy applicationProxy();
    static void setApplicationProxy(const NetworkProxy& proxy);

    friend bool operator==(const NetworkProxy&, const NetworkProxy&) = default;

private:
    ProxyType type_ = DefaultProxy;
    std::string hostName_;
    std::uint16_t port_ = 0;
    std::string user_;
    std::string password_;
    unsigned capabilities_ = defaultCapabilities(DefaultProxy);
};

/// Credentials a proxyAuthenticationRequired handler fills in. Null (isNull) for SOCKS5, as in Qt; for HTTP it
/// carries the realm of the proxy's challenge. Setting a user or password makes it non-null and asks for a retry.
class Authenticator {
public:
    Authenticator() = default;
    /// An authenticator for an HTTP challenge of `realm` (not null, user and password empty).
    static Authenticator forRealm(std::string realm);

    bool isNull() const { return !detached_; }
    const std::string& realm() const { return realm_; }
    const std::string& user() const { return user_; }
    void setUser(std::string user) { user_ = std::move(user); detached_ = true; }
    const std::string& password() const { return password_; }
    void setPassword(std::string password) { password_ = std::move(password); detached_ = true; }

private:
    bool detached_ = false;
    std::string realm_;
    std::string user_;
    std::string password_;
};

}  // namespace simsock
