// The HTTP CONNECT client side with Qt's choices: no pre-emptive credentials, Basic authentication after
// a 407 (silently first when the proxy already holds credentials), the retry on the same connection after
// a kept-alive 407 and on a new one after `Connection: close` or HTTP/1.0, Qt's errors and errorStrings.
#pragma once

#include "http_reply_parser.h"
#include "proxy_handshake.h"

namespace simsock::detail {

class HttpHandshake final : public ProxyHandshake {
public:
    HttpHandshake(NetworkProxy proxy, ProxyTarget target);

    std::string begin() override;
    HandshakeStep received(const char* data, std::size_t size, std::size_t* used, std::string* out) override;
    Authenticator authenticator() const override { return Authenticator::forRealm(realm_); }
    HandshakeStep credentialsGiven(const Authenticator& answer, std::string* out) override;
    const NetworkProxy& proxy() const override { return proxy_; }

    MappedError failure() const override { return failure_; }
    MappedError connectFailure(int err) const override;
    MappedError proxyNotFound() const override;
    MappedError closedPrematurely() const override;
    MappedError remoteClosed() const override;

    /// The SocketError and errorString Qt gives a final status other than 200 and 407.
    static MappedError statusError(int status);
    /// The CONNECT request Qt sends (with Proxy-Authorization when credentials is true).
    std::string request(bool credentials) const;

private:
    /// A kept-alive 407's body is skipped up to this size; a longer one is a protocol error.
    static constexpr std::size_t kMaxSkippedBody = 1024 * 1024;
    /// Bounds the credentials exchanges of one connect (Qt would ask forever).
    static constexpr int kMaxAuthRounds = 16;

    HandshakeStep fail(MappedError e);
    HandshakeStep onHead(std::string* out);
    HandshakeStep retryWithCredentials(std::string* out);

    NetworkProxy proxy_;
    ProxyTarget target_;
    HttpReplyParser parser_;
    bool sendingCredentials_ = false;
    bool willClose_ = false;
    int authRounds_ = 0;
    std::size_t bodyToSkip_ = 0;
    std::string realm_;
    MappedError failure_{SocketError::UnknownSocketError, "Unknown error"};
};

/// RFC 4648 base64 of bytes (for Basic credentials).
std::string base64Encode(std::string_view bytes);

}  // namespace simsock::detail
