// What a proxy peer answers to each handshake message, with and without a fault. Without one it answers
// as microsocks (SOCKS5) and tinyproxy (HTTP) were seen to, so a file's trace is the same against the fake
// and against the real server: microsocks answers 0xFF when the client offers no method it can use and
// closes; tinyproxy answers a missing Proxy-Authorization with 407 and a wrong one with 401.
#include <utility>

#include "proxy_session.h"
#include "simsock/host_address.h"

namespace simsock::peer {
namespace {

std::string bytesOf(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

bool needsCredentials(const ProxySettings& s) {
    return !s.user.empty() || !s.password.empty() || s.fault == ProxyFault::RejectAuth;
}

}  // namespace

void ProxyPeer::Session::handshake() {
    bool progress = true;
    // Each pass consumes one complete message or stops; a client can have at most kMaxProxyHead bytes here.
    for (int guard = 0; progress && guard < 64; ++guard) {
        switch (stage) {
        case Stage::Greeting: progress = socks5Greeting(); break;
        case Stage::Auth: progress = socks5Auth(); break;
        case Stage::Request: progress = socks5Request(); break;
        case Stage::HttpHead: progress = httpHead(); break;
        default: progress = false; break;
        }
    }
}

bool ProxyPeer::Session::socks5Greeting() {
    detail::Socks5Greeting g;
    std::size_t used = 0;
    const detail::Parse r = detail::parseSocks5Greeting(in, g, used);
    if (r == detail::Parse::NeedMore) return false;
    if (r == detail::Parse::Bad) return peer.log("bad-greeting", 0), closeAll(), false;
    in.erase(0, used);
    auto offers = [&g](std::uint8_t m) {
        for (std::uint8_t x : g.methods)
            if (x == m) return true;
        return false;
    };
    switch (settings.fault) {
    case ProxyFault::CloseAfterGreeting: return closeAll(), false;
    case ProxyFault::Garbage: return answer(bytesOf({4, 0}), false), stage = Stage::Done, false;
    case ProxyFault::NoAcceptableMethod: return answer(bytesOf({5, 0xFF}), true), false;
    case ProxyFault::UnofferedMethod: return answer(bytesOf({5, 1}), false), stage = Stage::Done, false;
    default: break;
    }
    const bool auth = needsCredentials(settings);
    const int method = auth ? (offers(2) ? 2 : 0xFF) : (offers(0) ? 0 : 0xFF);
    if (method == 0xFF) return answer(bytesOf({5, 0xFF}), true), false;
    answer(bytesOf({5, method}), false);
    stage = method == 2 ? Stage::Auth : Stage::Request;
    return true;
}

bool ProxyPeer::Session::socks5Auth() {
    detail::Socks5Credentials c;
    std::size_t used = 0;
    const detail::Parse r = detail::parseSocks5Credentials(in, c, used);
    if (r == detail::Parse::NeedMore) return false;
    if (r == detail::Parse::Bad) return peer.log("bad-credentials", 0), closeAll(), false;
    in.erase(0, used);
    const bool ok = settings.fault != ProxyFault::RejectAuth && c.user == settings.user && c.password == settings.password;
    peer.log(ok ? "auth-accepted" : "auth-rejected", 0);
    answer(bytesOf({1, ok ? 0 : 1}), !ok);
    stage = ok ? Stage::Request : Stage::Done;
    return ok;
}

bool ProxyPeer::Session::socks5Request() {
    detail::Socks5Request q;
    std::size_t used = 0;
    const detail::Parse r = detail::parseSocks5Request(in, q, used);
    if (r == detail::Parse::NeedMore) return false;
    if (r == detail::Parse::Bad) return answer(detail::socks5Reply(8, "0.0.0.0", 0), true), false;
    in.erase(0, used);
    target = q.host + ":" + std::to_string(q.port);
    peer.log("request", 0, target);
    if (settings.fault == ProxyFault::CloseAfterRequest) return closeAll(), false;
    if (settings.fault == ProxyFault::ReplyCode)
        return answer(detail::socks5Reply(static_cast<std::uint8_t>(settings.code), "0.0.0.0", 0), true), false;
    if (q.command != 1) return answer(detail::socks5Reply(7, "0.0.0.0", 0), true), false;
    byName = q.addressType == 3;
    stage = Stage::Connecting;
    startUpstream(q.host, q.port);
    return false;
}

std::string ProxyPeer::Session::httpChallenge() const {
    return "Proxy-Authenticate: Basic realm=\"" + settings.realm + "\"\r\n" +
           (settings.closeOn407 ? "Connection: close\r\n" : "Proxy-Connection: keep-alive\r\n");
}

bool ProxyPeer::Session::httpHead() {
    detail::HttpRequest q;
    std::size_t used = 0;
    const detail::Parse r = detail::parseHttpHead(in, q, used);
    if (r == detail::Parse::NeedMore) return false;
    if (r == detail::Parse::Bad) return answer(detail::httpResponse(400, ""), true), false;
    in.erase(0, used);
    target = q.target;
    peer.log("request", 0, q.method + " " + q.target);
    switch (settings.fault) {
    case ProxyFault::CloseAfterRequest: return closeAll(), false;
    case ProxyFault::Garbage: return answer("SSH-2.0-garbage\r\n\r\n", false), stage = Stage::Done, false;
    case ProxyFault::Status: return answer(detail::httpResponse(settings.code, ""), true), false;
    case ProxyFault::ChallengeMissing: return answer(detail::httpResponse(407, ""), settings.closeOn407), !settings.closeOn407;
    default: break;
    }
    if (q.method != "CONNECT") return answer(detail::httpResponse(405, ""), true), false;
    if (needsCredentials(settings)) {
        const bool right = settings.fault != ProxyFault::RejectAuth &&
                           q.proxyAuthorization == detail::basicCredentials(settings.user, settings.password);
        if (!q.hasProxyAuthorization || (!right && (settings.fault == ProxyFault::RejectAuth ||
                                                    settings.wrongCredentialsStatus == 407))) {
            answer(detail::httpResponse(407, httpChallenge()), settings.closeOn407);
            return !settings.closeOn407;
        }
        if (!right) return answer(detail::httpResponse(settings.wrongCredentialsStatus, ""), true), false;
    }
    byName = !HostAddress::parse(q.host);
    stage = Stage::Connecting;
    startUpstream(q.host, q.port);
    return false;
}

// The destination answered (err 0), refused or failed (an errno), or has no address (err -1).
void ProxyPeer::Session::connectResult(int err) {
    if (stage != Stage::Connecting) return;
    const bool socks = settings.type == ProxyKind::Socks5;
    if (err != 0) {
        if (upstream) closeSide(*upstream, false);
        const std::uint8_t code = err < 0 ? 1 : detail::socks5CodeForErrno(err);
        answer(socks ? detail::socks5Reply(code, "0.0.0.0", 0) : detail::httpResponse(500, ""), true);
        return;
    }
    answer(socks ? detail::socks5Reply(0, settings.boundAddress, settings.boundPort) : detail::httpResponse(200, ""), false);
    stage = Stage::Relay;
    if (!in.empty()) {
        upstream->out += in;
        in.clear();
        flush(*upstream);
    }
}

}  // namespace simsock::peer
