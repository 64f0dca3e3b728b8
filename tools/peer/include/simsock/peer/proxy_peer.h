// A scripted proxy server: the SOCKS5 (RFC 1928, RFC 1929) or HTTP CONNECT proxy a socket under test goes
// through, on any engine. Like Peer it drives SocketEngines of its Backend directly, so the same fake proxy
// runs on the sim and on epoll. Without a fault it behaves as the real servers PROXY-SEMANTICS.md was
// observed with (microsocks for SOCKS5, tinyproxy for HTTP): it authenticates, connects to the requested
// destination through the network (the environment's reach), answers, and relays both ways until one side
// closes. A fault makes it misbehave in exactly one way (proxyFaults() lists them), one per row of
// PROXY-SEMANTICS.md §6.
//
//   sim::SimBackend host(net, "proxy");
//   peer::ProxySettings s;
//   s.type = peer::ProxyKind::Socks5;
//   s.port = 1080;
//   peer::ProxyPeer px(host, "px", s);
//   px.start();                       // px.accepted() counts connections (Qt's silent retries show there)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/backend.h"
#include "simsock/peer/peer_environment.h"

namespace simsock::peer {

enum class ProxyKind { Socks5, Http };

/// How a proxy misbehaves (none: it works). The spelling of each is its row in proxyFaults().
enum class ProxyFault {
    None,
    CloseOnAccept,        ///< close each connection as soon as it is accepted
    CloseAfterGreeting,   ///< SOCKS5: close once the greeting arrived, without answering it
    CloseAfterRequest,    ///< close once the CONNECT request arrived (SOCKS5: after the method answer and auth)
    Garbage,              ///< answer the first message with bytes that are not the protocol (SOCKS5 version 4)
    NeverAnswer,          ///< read everything, answer nothing
    ReplyCode,            ///< SOCKS5: answer the request with ProxySettings::code (1..255)
    UnofferedMethod,      ///< SOCKS5: pick method 0x01 (GSSAPI), which no client here offers
    NoAcceptableMethod,   ///< SOCKS5: answer the greeting with 0xFF
    RejectAuth,           ///< SOCKS5: reject every user/password (01 01); HTTP: 407 for any credentials
    Status,               ///< HTTP: answer CONNECT with ProxySettings::code (a status such as 403)
    ChallengeMissing,     ///< HTTP: 407 without a Proxy-Authenticate header
};

/// One row of the fault table: the enum value, its spelling in scenario files, which proxy kinds have it,
/// and whether it needs a code.
struct ProxyFaultInfo {
    ProxyFault fault;
    std::string_view name;
    bool socks5;
    bool http;
    bool needsCode;
};

/// Every fault, in enum order.
std::span<const ProxyFaultInfo> proxyFaults();
/// The row of fault.
const ProxyFaultInfo& proxyFaultInfo(ProxyFault fault);
/// The fault spelled name, or nullopt.
std::optional<ProxyFault> parseProxyFault(std::string_view name);

/// What the proxy is and how it answers. Bounds: a SOCKS5 message or an HTTP request head above
/// kMaxProxyHead bytes closes the connection; relay buffers stop reading at kMaxRelayBuffer.
struct ProxySettings {
    ProxyKind type = ProxyKind::Socks5;
    std::uint16_t port = 0;  ///< where it listens (the environment binds it; 0: any)
    std::string user;        ///< non-empty user or password: credentials are required
    std::string password;
    std::string realm = "simsock";  ///< HTTP: the realm of the 407 challenge
    bool closeOn407 = true;  ///< HTTP: a 407 carries `Connection: close` and the connection ends (as tinyproxy)
    /// HTTP: the status for credentials that are present but wrong (tinyproxy answers 401, a
    /// ProxyProtocolError for Qt; 407 asks again).
    int wrongCredentialsStatus = 401;
    std::string boundAddress = "0.0.0.0";  ///< SOCKS5: BND.ADDR of a success reply (an IPv4 literal)
    std::uint16_t boundPort = 0;           ///< SOCKS5: BND.PORT
    ProxyFault fault = ProxyFault::None;
    int code = 0;                 ///< ReplyCode: the SOCKS5 reply byte; Status: the HTTP status
    std::int64_t splitDelayNs = 0;  ///< > 0: every answer goes out as its first byte, then the rest this much later
};

constexpr std::size_t kMaxProxyHead = 16 * 1024;
constexpr std::size_t kMaxRelayBuffer = 1024 * 1024;

class ProxyPeer {
public:
    /// A proxy named name listening as settings say on backend (which must outlive it); nothing happens
    /// before start(). env.bind binds the listener, env.reach finds the destinations of requests (a name it
    /// cannot place is an unresolvable name), env.log receives what the proxy does.
    ProxyPeer(Backend& backend, std::string name, ProxySettings settings, PeerEnvironment env = {});
    ~ProxyPeer();
    ProxyPeer(const ProxyPeer&) = delete;
    ProxyPeer& operator=(const ProxyPeer&) = delete;

    /// Listens; returns why it cannot ("proxy px: cannot listen on port 1080: ..."), else "".
    std::string start();
    /// The name given at construction.
    const std::string& name() const { return name_; }
    /// The settings given at construction.
    const ProxySettings& settings() const { return settings_; }
    /// Connections accepted from clients (a client's silent retry is a second one).
    std::int64_t accepted() const { return accepted_; }
    /// Every byte received from clients, handshakes included, in arrival order.
    const std::string& received() const { return received_; }
    /// The port it listens on (0 before start()).
    std::uint16_t localPort() const;
    /// Runtime problems; a scenario run fails on any. None so far: a misbehaving client is simply closed.
    const std::vector<std::string>& problems() const { return problems_; }

    struct Session;  ///< one client connection and, once requested, its connection to the destination

private:
    class Acceptor;
    friend struct Session;
    friend class Acceptor;
    void onAcceptable();
    void log(const std::string& what, std::int64_t bytes, const std::string& detail = {});
    void appendReceived(const char* data, std::size_t n);

    Backend& backend_;
    std::string name_;
    ProxySettings settings_;
    PeerEnvironment env_;
    std::unique_ptr<SocketEngine> listenEngine_;
    std::unique_ptr<Acceptor> acceptor_;
    std::vector<std::unique_ptr<Session>> sessions_;
    std::int64_t accepted_ = 0;
    std::string received_;
    std::vector<std::string> problems_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simsock::peer
