// HTTP CONNECT handshake steps (PROXY-SEMANTICS §4, §6, §7).
#include "http_handshake.h"

#include <algorithm>
#include <cerrno>


namespace simsock::detail {
namespace {

const MappedError kHttpNoResponse{SocketError::ProxyProtocolError, "Did not receive HTTP response from proxy"};

bool startsWithIgnoringCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

bool containsCloseToken(std::optional<std::string_view> v) { return v && startsWithIgnoringCase(*v, "close"); }

// realm="x" of a Basic challenge; nullopt when the challenge is not Basic (simsock speaks Basic only).
std::optional<std::string> basicRealm(std::string_view challenge) {
    if (!startsWithIgnoringCase(challenge, "basic")) return std::nullopt;
    const auto at = challenge.find("realm=");
    if (at == std::string_view::npos) return std::string();
    std::string_view v = challenge.substr(at + 6);
    if (!v.empty() && v.front() == '"') {
        v.remove_prefix(1);
        return std::string(v.substr(0, v.find('"')));
    }
    return std::string(v.substr(0, v.find_first_of(" ,")));
}

// A Content-Length value, or nullopt when absent or not a number within bound.
std::optional<std::size_t> contentLength(std::optional<std::string_view> v, std::size_t bound) {
    if (!v) return 0;
    if (v->empty()) return std::nullopt;
    std::size_t n = 0;
    for (char c : *v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
        if (n > bound) return std::nullopt;
    }
    return n;
}

std::string hostText(const ProxyTarget& t) {
    if (t.byName()) return t.name;
    if (t.address.protocol() == NetworkLayerProtocol::IPv6Protocol) return "[" + t.address.toString() + "]";
    return t.address.toString();
}

}  // namespace

std::string base64Encode(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 0x3F]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out.push_back(kAlphabet[(v >> 18) & 0x3F]);
        out.push_back(kAlphabet[(v >> 12) & 0x3F]);
        out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 0x3F] : '=');
        out.push_back('=');
    }
    return out;
}

HttpHandshake::HttpHandshake(NetworkProxy proxy, ProxyTarget target)
    : proxy_(std::move(proxy)), target_(std::move(target)) {}

std::string HttpHandshake::request(bool credentials) const {
    const std::string host = hostText(target_);
    std::string r = "CONNECT " + host + ":" + std::to_string(target_.port) + " HTTP/1.1\r\n";
    r += "Proxy-Connection: keep-alive\r\n";
    r += "Host: " + host + "\r\n";  // no port, as Qt sends it
    r += "User-Agent: Mozilla/5.0\r\n";
    if (credentials)
        r += "Proxy-Authorization: Basic " + base64Encode(proxy_.user() + ":" + proxy_.password()) + "\r\n";
    r += "\r\n";
    return r;
}

std::string HttpHandshake::begin() {
    parser_ = {};
    bodyToSkip_ = 0;
    return request(sendingCredentials_);
}

HandshakeStep HttpHandshake::fail(MappedError e) {
    failure_ = std::move(e);
    return HandshakeStep::Failed;
}

HandshakeStep HttpHandshake::received(const char* data, std::size_t size, std::size_t* used, std::string* out) {
    *used = 0;
    if (bodyToSkip_ > 0) {
        *used = std::min(bodyToSkip_, size);
        bodyToSkip_ -= *used;
        return HandshakeStep::NeedMore;
    }
    *used = parser_.feed(data, size);
    if (parser_.status() == ParseStatus::Malformed) return fail(kHttpNoResponse);
    if (parser_.status() == ParseStatus::Incomplete) return HandshakeStep::NeedMore;
    return onHead(out);
}

HandshakeStep HttpHandshake::onHead(std::string* out) {
    const int status = parser_.statusCode();
    if (status == 200) return HandshakeStep::Established;
    if (status != 407) return fail(statusError(status));
    const auto challenge = parser_.header("proxy-authenticate");
    const auto realm = challenge ? basicRealm(*challenge) : std::nullopt;
    if (!realm) return fail({SocketError::ProxyProtocolError, "Error parsing authentication request from proxy"});
    realm_ = *realm;
    willClose_ = containsCloseToken(parser_.header("connection")) ||
                 containsCloseToken(parser_.header("proxy-connection")) ||
                 (parser_.majorVersion() == 1 && parser_.minorVersion() == 0);
    const auto body = contentLength(parser_.header("content-length"), kMaxSkippedBody);
    if (!body) return fail({SocketError::ProxyProtocolError, "Error communicating with HTTP proxy"});
    parser_ = {};
    bodyToSkip_ = willClose_ ? 0 : *body;
    if (++authRounds_ > kMaxAuthRounds) return fail({SocketError::ProxyAuthenticationRequiredError, "Authentication required"});
    // Credentials the proxy already holds are tried once, silently, before the handler is asked.
    const bool held = !proxy_.user().empty() || !proxy_.password().empty();
    if (!sendingCredentials_ && held) return retryWithCredentials(out);
    return HandshakeStep::NeedsCredentials;
}

HandshakeStep HttpHandshake::retryWithCredentials(std::string* out) {
    sendingCredentials_ = true;
    if (willClose_) return HandshakeStep::Reconnect;
    *out += request(true);
    return HandshakeStep::NeedMore;
}

HandshakeStep HttpHandshake::credentialsGiven(const Authenticator& answer, std::string* out) {
    if (answer.user().empty() && answer.password().empty())
        return fail({SocketError::ProxyAuthenticationRequiredError, "Authentication required"});
    proxy_.setUser(answer.user());
    proxy_.setPassword(answer.password());
    return retryWithCredentials(out);
}

MappedError HttpHandshake::statusError(int status) {
    switch (status) {
        case 403:
        case 405: return {SocketError::SocketAccessError, "Proxy denied connection"};
        case 404: return {SocketError::HostNotFoundError, "Host not found"};
        case 503: return {SocketError::ConnectionRefusedError, "Connection refused"};
        default: break;
    }
    return {SocketError::ProxyProtocolError, "Error communicating with HTTP proxy"};
}

MappedError HttpHandshake::connectFailure(int err) const {
    if (err == ECONNREFUSED) return {SocketError::ProxyConnectionRefusedError, "Proxy connection refused"};
    if (err == ECONNRESET || err == EPIPE) return closedPrematurely();
    return mapErrno(Operation::Connect, err);
}

MappedError HttpHandshake::proxyNotFound() const { return {SocketError::ProxyNotFoundError, "Proxy server not found"}; }

MappedError HttpHandshake::closedPrematurely() const {
    return {SocketError::ProxyConnectionClosedError, "Proxy connection closed prematurely"};
}

MappedError HttpHandshake::remoteClosed() const {
    return {SocketError::RemoteHostClosedError, "Remote host closed"};
}

}  // namespace simsock::detail
