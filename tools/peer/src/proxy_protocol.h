// The proxy peer's wire formats, without any engine: parsing what a client sends (SOCKS5 greeting,
// RFC 1929 credentials, CONNECT request; an HTTP request head) and building the answers. Each parser looks
// at the bytes received so far and says: more needed, malformed, or done after `used` bytes. None reads
// past the buffer it is given or accepts more than kMaxProxyHead bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace simsock::peer::detail {

enum class Parse { NeedMore, Bad, Done };

struct Socks5Greeting {
    std::vector<std::uint8_t> methods;
};
struct Socks5Credentials {
    std::string user, password;
};
struct Socks5Request {
    std::uint8_t command = 0;
    std::uint8_t addressType = 0;  ///< 1 IPv4, 3 name, 4 IPv6
    std::string host;              ///< an address literal or the name
    std::uint16_t port = 0;
};

Parse parseSocks5Greeting(std::string_view in, Socks5Greeting& out, std::size_t& used);
Parse parseSocks5Credentials(std::string_view in, Socks5Credentials& out, std::size_t& used);
Parse parseSocks5Request(std::string_view in, Socks5Request& out, std::size_t& used);
/// 05 code 00 01 <IPv4 bound> <port bound>; boundAddress must be an IPv4 literal ("0.0.0.0" otherwise).
std::string socks5Reply(std::uint8_t code, const std::string& boundAddress, std::uint16_t boundPort);

struct HttpRequest {
    std::string method, target, version;
    std::string host;  ///< CONNECT: the part of target before the last ':'
    std::uint16_t port = 0;
    std::string proxyAuthorization;  ///< the header's value, or ""
    bool hasProxyAuthorization = false;
};

/// A request head ending with an empty line; Bad for a head above kMaxProxyHead, a request line that is
/// not `METHOD target HTTP/x.y`, or a CONNECT target without a valid port.
Parse parseHttpHead(std::string_view in, HttpRequest& out, std::size_t& used);
/// "Basic " + base64(user ":" password).
std::string basicCredentials(const std::string& user, const std::string& password);
/// A complete response head: `HTTP/1.1 <status> <reason>` with extraHeaders (each ending in \r\n) and
/// `Content-Length: 0`.
std::string httpResponse(int status, const std::string& extraHeaders);

/// The SOCKS5 reply code microsocks sends for a failed connect with errno err.
std::uint8_t socks5CodeForErrno(int err);

}  // namespace simsock::peer::detail
