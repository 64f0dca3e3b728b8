// The SOCKS5 client side (RFC 1928 CONNECT, RFC 1929 user/password) with Qt's choices: one method
// offered, a new connection for every credentials retry, Qt's errors and errorStrings.
#pragma once

#include "proxy_handshake.h"
#include "socks5_reply_parser.h"

namespace simsock::detail {

class Socks5Handshake final : public ProxyHandshake {
public:
    Socks5Handshake(NetworkProxy proxy, ProxyTarget target);

    std::string begin() override;
    HandshakeStep received(const char* data, std::size_t size, std::size_t* used, std::string* out) override;
    Authenticator authenticator() const override { return {}; }
    HandshakeStep credentialsGiven(const Authenticator& answer, std::string* out) override;
    const NetworkProxy& proxy() const override { return proxy_; }

    MappedError failure() const override { return failure_; }
    MappedError connectFailure(int err) const override;
    MappedError proxyNotFound() const override;
    MappedError closedPrematurely() const override;
    MappedError remoteClosed() const override;
    std::optional<std::pair<HostAddress, std::uint16_t>> boundEndpoint() const override;

    /// The SocketError and errorString Qt gives a CONNECT reply code (by name: 0x01 and 0x02 mean
    /// HostNotFoundError).
    static MappedError replyError(std::uint8_t code, bool byName);

private:
    enum class Stage : std::uint8_t { Method, Auth, Request, Done };
    bool hasCredentials() const { return !proxy_.user().empty() || !proxy_.password().empty(); }
    HandshakeStep fail(MappedError e);
    HandshakeStep onMethod(std::string* out);
    std::string authRequest() const;
    std::string connectRequest() const;

    NetworkProxy proxy_;
    ProxyTarget target_;
    Stage stage_ = Stage::Method;
    Socks5MethodParser method_;
    Socks5AuthParser auth_;
    Socks5ConnectReplyParser reply_;
    std::uint8_t offered_ = 0;
    MappedError failure_{SocketError::UnknownSocketError, "Unknown error"};
};

}  // namespace simsock::detail
