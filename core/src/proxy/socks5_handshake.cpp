// SOCKS5 handshake steps and Qt's error table for them (PROXY-SEMANTICS §4, §6, §7).
#include "socks5_handshake.h"

#include <cerrno>
#include <cstdio>

namespace simsock::detail {
namespace {

constexpr char kVersion = 0x05;
constexpr std::uint8_t kMethodNone = 0x00;
constexpr std::uint8_t kMethodPassword = 0x02;
constexpr std::uint8_t kMethodNotAcceptable = 0xFF;
constexpr std::size_t kMaxField = 255;  // RFC 1928/1929 length octets

const MappedError kSocksProtocolError{SocketError::ProxyProtocolError, "SOCKS version 5 protocol error"};
const MappedError kSocksAuthFailed{SocketError::ProxyAuthenticationRequiredError, "Proxy authentication failed"};

void appendPort(std::string* s, std::uint16_t port) {
    s->push_back(static_cast<char>(port >> 8));
    s->push_back(static_cast<char>(port & 0xFF));
}

}  // namespace

Socks5Handshake::Socks5Handshake(NetworkProxy proxy, ProxyTarget target)
    : proxy_(std::move(proxy)), target_(std::move(target)) {}

std::string Socks5Handshake::begin() {
    stage_ = Stage::Method;
    method_ = {};
    auth_ = {};
    reply_ = {};
    // Qt offers exactly one method: user/password once it has either, else none.
    offered_ = hasCredentials() ? kMethodPassword : kMethodNone;
    return std::string{kVersion, 0x01, static_cast<char>(offered_)};
}

HandshakeStep Socks5Handshake::fail(MappedError e) {
    failure_ = std::move(e);
    stage_ = Stage::Done;
    return HandshakeStep::Failed;
}

HandshakeStep Socks5Handshake::received(const char* data, std::size_t size, std::size_t* used, std::string* out) {
    *used = 0;
    switch (stage_) {
        case Stage::Method:
            *used = method_.feed(data, size);
            if (method_.status() == ParseStatus::Malformed) return fail(kSocksProtocolError);
            if (method_.status() == ParseStatus::Incomplete) return HandshakeStep::NeedMore;
            return onMethod(out);
        case Stage::Auth:
            *used = auth_.feed(data, size);
            if (auth_.status() == ParseStatus::Malformed) return fail(kSocksProtocolError);
            if (auth_.status() == ParseStatus::Incomplete) return HandshakeStep::NeedMore;
            if (!auth_.accepted()) return HandshakeStep::NeedsCredentials;
            stage_ = Stage::Request;
            *out += connectRequest();
            return HandshakeStep::NeedMore;
        case Stage::Request:
            *used = reply_.feed(data, size);
            if (reply_.status() == ParseStatus::Malformed) return fail(kSocksProtocolError);
            if (reply_.status() == ParseStatus::Incomplete) return HandshakeStep::NeedMore;
            if (reply_.replyCode() != 0) return fail(replyError(reply_.replyCode(), target_.byName()));
            stage_ = Stage::Done;
            return HandshakeStep::Established;
        case Stage::Done: break;
    }
    return HandshakeStep::NeedMore;
}

HandshakeStep Socks5Handshake::onMethod(std::string* out) {
    const std::uint8_t m = method_.method();
    if (m == kMethodNotAcceptable) return HandshakeStep::NeedsCredentials;
    if (m != offered_)
        return fail({SocketError::SocketAccessError,
                     "Proxy authentication failed: Socks5 host did not support authentication method."});
    if (m == kMethodPassword) {
        if (proxy_.user().size() > kMaxField || proxy_.password().size() > kMaxField) return fail(kSocksAuthFailed);
        stage_ = Stage::Auth;
        *out += authRequest();
        return HandshakeStep::NeedMore;
    }
    stage_ = Stage::Request;
    *out += connectRequest();
    return HandshakeStep::NeedMore;
}

HandshakeStep Socks5Handshake::credentialsGiven(const Authenticator& answer, std::string*) {
    if (answer.user().empty() && answer.password().empty()) return fail(kSocksAuthFailed);
    proxy_.setUser(answer.user());
    proxy_.setPassword(answer.password());
    return HandshakeStep::Reconnect;  // Qt opens a new connection and greets with 05 01 02
}

std::string Socks5Handshake::authRequest() const {
    std::string s{0x01};
    s.push_back(static_cast<char>(proxy_.user().size()));
    s += proxy_.user();
    s.push_back(static_cast<char>(proxy_.password().size()));
    s += proxy_.password();
    return s;
}

std::string Socks5Handshake::connectRequest() const {
    std::string s{kVersion, static_cast<char>(target_.udpAssociate ? 0x03 : 0x01), 0x00};
    if (target_.byName()) {
        // A name longer than one length octet cannot be sent; the proxy would never find it.
        const std::string name = target_.name.substr(0, kMaxField);
        s.push_back(0x03);
        s.push_back(static_cast<char>(name.size()));
        s += name;
    } else if (target_.address.protocol() == NetworkLayerProtocol::IPv6Protocol) {
        s.push_back(0x04);
        for (std::uint8_t b : target_.address.toIPv6Address()) s.push_back(static_cast<char>(b));
    } else {
        s.push_back(0x01);
        const std::uint32_t v4 = target_.address.toIPv4Address();
        for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v4 >> shift) & 0xFF));
    }
    appendPort(&s, target_.port);
    return s;
}

MappedError Socks5Handshake::replyError(std::uint8_t code, bool byName) {
    if (byName && (code == 0x01 || code == 0x02)) return {SocketError::HostNotFoundError, "Host not found"};
    switch (code) {
        case 0x01: return {SocketError::NetworkError, "General SOCKSv5 server failure"};
        case 0x02: return {SocketError::SocketAccessError, "Connection not allowed by SOCKSv5 server"};
        case 0x03: return {SocketError::NetworkError, "Network unreachable"};
        case 0x04: return {SocketError::HostNotFoundError, "Host not found"};
        case 0x05: return {SocketError::ConnectionRefusedError, "Connection refused"};
        case 0x06: return {SocketError::NetworkError, "TTL expired"};
        case 0x07: return {SocketError::UnsupportedSocketOperationError, "SOCKSv5 command not supported"};
        case 0x08: return {SocketError::UnsupportedSocketOperationError, "Address type not supported"};
        default: break;
    }
    // Qt formats the code in decimal with a field width of 16 (QString::arg(code, 16)): sic.
    char text[64];
    std::snprintf(text, sizeof text, "Unknown SOCKSv5 proxy error code 0x%16d", static_cast<int>(code));
    return {SocketError::UnknownSocketError, text};
}

MappedError Socks5Handshake::connectFailure(int err) const {
    if (err == ECONNREFUSED) return {SocketError::ProxyConnectionRefusedError, "Connection to proxy refused"};
    if (err == ECONNRESET || err == EPIPE) return closedPrematurely();
    return mapErrno(Operation::Connect, err);
}

MappedError Socks5Handshake::proxyNotFound() const {
    return {SocketError::ProxyNotFoundError, "Proxy host not found"};
}

MappedError Socks5Handshake::closedPrematurely() const {
    return {SocketError::ProxyConnectionClosedError, "Connection to proxy closed prematurely"};
}

MappedError Socks5Handshake::remoteClosed() const {
    return {SocketError::RemoteHostClosedError, "Remote host closed connection###"};
}

std::optional<std::pair<HostAddress, std::uint16_t>> Socks5Handshake::boundEndpoint() const {
    if (reply_.status() != ParseStatus::Complete || reply_.replyCode() != 0) return std::nullopt;
    return std::make_pair(reply_.boundAddress(), reply_.boundPort());
}

}  // namespace simsock::detail
