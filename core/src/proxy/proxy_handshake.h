// One proxy protocol's conversation before the tunnel exists: what to send once the TCP connection to the
// proxy is up, and what each answer means. ProxyEngine owns the connection and asks a handshake what to do;
// a handshake never touches a socket, so it is driven the same way by every engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "../error_mapping.h"
#include "simsock/host_address.h"
#include "simsock/network_proxy.h"

namespace simsock::detail {

/// What the socket asked for: an address, or (address Null) a name the proxy resolves.
struct ProxyTarget {
    HostAddress address;
    std::string name;
    std::uint16_t port = 0;
    bool udpAssociate = false;  ///< SOCKS5 UDP ASSOCIATE instead of CONNECT
    bool byName() const { return address.isNull(); }
};

/// What the engine does after a handshake step.
enum class HandshakeStep : std::uint8_t {
    NeedMore,      ///< send what was produced (maybe nothing) and wait for more bytes
    Established,   ///< the tunnel is open; bytes after the reply belong to it
    Failed,        ///< the attempt ends with failure()
    NeedsCredentials,  ///< ask the socket's handler (authenticator()), then credentialsGiven()
    Reconnect,     ///< open a new connection to the proxy and begin() again
};

class ProxyHandshake {
public:
    virtual ~ProxyHandshake() = default;
    /// The bytes to send once a (new) TCP connection to the proxy is up; restarts the conversation.
    virtual std::string begin() = 0;
    /// Consumes a prefix of data[0, size) (*used says how much) and appends bytes to send to *out.
    virtual HandshakeStep received(const char* data, std::size_t size, std::size_t* used, std::string* out) = 0;
    /// What the proxyAuthenticationRequired handler is given (null for SOCKS5, the realm for HTTP).
    virtual Authenticator authenticator() const = 0;
    /// The handler's answer: Failed when it left the authenticator empty, else Reconnect or NeedMore
    /// (the retry appended to *out, on the same connection).
    virtual HandshakeStep credentialsGiven(const Authenticator& answer, std::string* out) = 0;
    /// The credentials the proxy holds now (the handler's answers are kept here, not in the socket).
    virtual const NetworkProxy& proxy() const = 0;

    /// Why the attempt failed, after Failed.
    virtual MappedError failure() const = 0;
    /// The TCP connection to the proxy failed with err (ECONNREFUSED ...).
    virtual MappedError connectFailure(int err) const = 0;
    /// The proxy's host name did not resolve.
    virtual MappedError proxyNotFound() const = 0;
    /// The proxy closed (or reset) the connection before the tunnel was open.
    virtual MappedError closedPrematurely() const = 0;
    /// The target closed the tunnel (the errorString differs between protocols, QT contract §10).
    virtual MappedError remoteClosed() const = 0;
    /// The local end the socket reports once tunnelled (SOCKS5: BND), or nullopt for the proxy connection's.
    virtual std::optional<std::pair<HostAddress, std::uint16_t>> boundEndpoint() const { return std::nullopt; }
};

/// The handshake for proxy.type() (Socks5Proxy or HttpProxy), towards target.
std::unique_ptr<ProxyHandshake> makeProxyHandshake(const NetworkProxy& proxy, const ProxyTarget& target);

}  // namespace simsock::detail
