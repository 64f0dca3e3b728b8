#include "proxy_protocol.h"

#include <cerrno>
#include <array>
#include <cctype>

#include "simsock/host_address.h"
#include "simsock/peer/proxy_peer.h"

namespace simsock::peer::detail {
namespace {

std::uint8_t byteAt(std::string_view in, std::size_t i) { return static_cast<std::uint8_t>(in[i]); }

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trimSpaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "host:port" (a bracketed IPv6 literal allowed); false without a port of 1..65535.
bool splitHostPort(std::string_view target, std::string& host, std::uint16_t& port) {
    const std::size_t colon = target.rfind(':');
    if (colon == std::string_view::npos || colon + 1 >= target.size() || target.size() - colon > 6) return false;
    unsigned value = 0;
    for (char c : target.substr(colon + 1)) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return false;
    std::string_view h = target.substr(0, colon);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h.empty()) return false;
    host = std::string(h);
    port = static_cast<std::uint16_t>(value);
    return true;
}

void parseHeader(std::string_view line, HttpRequest& out) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    if (lowerAscii(trimSpaces(line.substr(0, colon))) != "proxy-authorization") return;
    out.proxyAuthorization = std::string(trimSpaces(line.substr(colon + 1)));
    out.hasProxyAuthorization = true;
}

bool parseRequestLine(std::string_view line, HttpRequest& out) {
    const std::size_t a = line.find(' ');
    if (a == std::string_view::npos) return false;
    const std::size_t b = line.find(' ', a + 1);
    if (b == std::string_view::npos) return false;
    out.method = std::string(line.substr(0, a));
    out.target = std::string(line.substr(a + 1, b - a - 1));
    out.version = std::string(line.substr(b + 1));
    if (out.method.empty() || out.target.empty() || out.version.rfind("HTTP/", 0) != 0) return false;
    if (out.method == "CONNECT") return splitHostPort(out.target, out.host, out.port);
    return true;
}

}  // namespace

Parse parseSocks5Greeting(std::string_view in, Socks5Greeting& out, std::size_t& used) {
    if (in.size() < 2) return Parse::NeedMore;
    if (byteAt(in, 0) != 5 || byteAt(in, 1) == 0) return Parse::Bad;
    const std::size_t n = byteAt(in, 1);
    if (in.size() < 2 + n) return Parse::NeedMore;
    out.methods.assign(in.begin() + 2, in.begin() + 2 + static_cast<std::ptrdiff_t>(n));
    used = 2 + n;
    return Parse::Done;
}

Parse parseSocks5Credentials(std::string_view in, Socks5Credentials& out, std::size_t& used) {
    if (in.size() < 2) return Parse::NeedMore;
    if (byteAt(in, 0) != 1) return Parse::Bad;
    const std::size_t ulen = byteAt(in, 1);
    if (in.size() < 3 + ulen) return Parse::NeedMore;
    const std::size_t plen = byteAt(in, 2 + ulen);
    if (in.size() < 3 + ulen + plen) return Parse::NeedMore;
    out.user = std::string(in.substr(2, ulen));
    out.password = std::string(in.substr(3 + ulen, plen));
    used = 3 + ulen + plen;
    return Parse::Done;
}

Parse parseSocks5Request(std::string_view in, Socks5Request& out, std::size_t& used) {
    if (in.size() < 5) return Parse::NeedMore;
    if (byteAt(in, 0) != 5 || byteAt(in, 2) != 0) return Parse::Bad;
    out.command = byteAt(in, 1);
    out.addressType = byteAt(in, 3);
    std::size_t addrLen = 0, addrAt = 4;
    switch (out.addressType) {
    case 1: addrLen = 4; break;
    case 4: addrLen = 16; break;
    case 3:
        addrLen = byteAt(in, 4);
        addrAt = 5;
        break;
    default: return Parse::Bad;
    }
    if (in.size() < addrAt + addrLen + 2) return Parse::NeedMore;
    std::string_view a = in.substr(addrAt, addrLen);
    if (out.addressType == 1) {
        out.host = std::to_string(byteAt(a, 0)) + "." + std::to_string(byteAt(a, 1)) + "." +
                   std::to_string(byteAt(a, 2)) + "." + std::to_string(byteAt(a, 3));
    } else if (out.addressType == 4) {
        std::array<std::uint8_t, 16> bytes{};
        for (std::size_t i = 0; i < 16; ++i) bytes[i] = byteAt(a, i);
        out.host = HostAddress::fromIPv6(bytes).toString();
    } else {
        out.host = std::string(a);
    }
    out.port = static_cast<std::uint16_t>(byteAt(in, addrAt + addrLen) << 8 | byteAt(in, addrAt + addrLen + 1));
    used = addrAt + addrLen + 2;
    return Parse::Done;
}

std::string socks5Reply(std::uint8_t code, const std::string& boundAddress, std::uint16_t boundPort) {
    std::string r = {5, static_cast<char>(code), 0, 1};
    auto a = HostAddress::parse(boundAddress);
    std::uint32_t v4 = a && a->protocol() == NetworkLayerProtocol::IPv4Protocol ? a->toIPv4Address() : 0;
    for (int shift = 24; shift >= 0; shift -= 8) r += static_cast<char>((v4 >> shift) & 0xFF);
    r += static_cast<char>(boundPort >> 8);
    r += static_cast<char>(boundPort & 0xFF);
    return r;
}

Parse parseHttpHead(std::string_view in, HttpRequest& out, std::size_t& used) {
    const std::size_t end = in.find("\r\n\r\n");
    if (end == std::string_view::npos) return in.size() > kMaxProxyHead ? Parse::Bad : Parse::NeedMore;
    if (end + 4 > kMaxProxyHead) return Parse::Bad;
    std::string_view head = in.substr(0, end);
    out = HttpRequest{};
    std::size_t lineEnd = head.find("\r\n");
    if (!parseRequestLine(head.substr(0, lineEnd), out)) return Parse::Bad;
    while (lineEnd != std::string_view::npos) {
        const std::size_t start = lineEnd + 2;
        lineEnd = head.find("\r\n", start);
        parseHeader(head.substr(start, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - start), out);
    }
    used = end + 4;
    return Parse::Done;
}

std::string basicCredentials(const std::string& user, const std::string& password) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = user + ":" + password;
    std::string out = "Basic ";
    for (std::size_t i = 0; i < in.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in[i + 1])) << 8;
        if (i + 2 < in.size()) v |= static_cast<std::uint8_t>(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

std::string httpResponse(int status, const std::string& extraHeaders) {
    std::string reason;
    switch (status) {
    case 200: reason = "Connection established"; break;
    case 401: reason = "Unauthorized"; break;
    case 403: reason = "Forbidden"; break;
    case 404: reason = "Not Found"; break;
    case 405: reason = "Method Not Allowed"; break;
    case 407: reason = "Proxy Authentication Required"; break;
    case 500: reason = "Internal Server Error"; break;
    case 502: reason = "Bad Gateway"; break;
    case 503: reason = "Service Unavailable"; break;
    default: reason = "Status"; break;
    }
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extraHeaders;
    if (status != 200) r += "Content-Length: 0\r\n";
    return r + "\r\n";
}

std::uint8_t socks5CodeForErrno(int err) {
    switch (err) {
    case ETIMEDOUT: return 6;
    case EPROTOTYPE:
    case EPROTONOSUPPORT:
    case EAFNOSUPPORT: return 8;
    case ECONNREFUSED: return 5;
    case ENETDOWN:
    case ENETUNREACH: return 3;
    case EHOSTUNREACH: return 4;
    default: return 1;
    }
}

}  // namespace simsock::peer::detail
