// The proxy reply parsers (core/src/proxy): any bytes, fed whole and fed in pieces whose sizes the input
// itself chooses, must give the same outcome, never consume more than given, and stay within their bounds.
#include <algorithm>
#include <string>

#include "fuzz_entries.h"
#include "proxy/http_reply_parser.h"
#include "proxy/socks5_reply_parser.h"

namespace simsock::fuzz {
namespace {

using detail::ParseStatus;

// Feeds data in pieces of 1..8 bytes, the sizes taken cyclically from the input's own bytes.
template <class P>
std::size_t feedSplit(P& p, const char* data, std::size_t size) {
    std::size_t at = 0;
    std::size_t used = 0;
    for (std::size_t k = 0; at < size; ++k) {
        const std::size_t n = std::min<std::size_t>(size - at, 1 + static_cast<unsigned char>(data[k % size]) % 8);
        const std::size_t took = p.feed(data + at, n);
        require(took <= n, "a parser consumed more than it was given");
        used += took;
        at += n;
        if (took < n) break;
    }
    return used;
}

template <class P>
void sameEitherWay(const char* data, std::size_t size, const char* name, std::size_t bound) {
    P whole;
    const std::size_t usedWhole = whole.feed(data, size);
    require(usedWhole <= size, name);
    P split;
    const std::size_t usedSplit = feedSplit(split, data, size);
    require(whole.status() == split.status(), name);
    require(usedWhole == usedSplit, name);
    require(usedWhole <= bound, name);
}

}  // namespace

void socks5Reply(const std::uint8_t* bytes, std::size_t size) {
    const char* data = reinterpret_cast<const char*>(bytes);
    sameEitherWay<detail::Socks5MethodParser>(data, size, "SOCKS5 method answer", 2);
    sameEitherWay<detail::Socks5AuthParser>(data, size, "SOCKS5 auth answer", 2);
    sameEitherWay<detail::Socks5ConnectReplyParser>(data, size, "SOCKS5 CONNECT reply", 4 + 1 + 255 + 2);
    detail::Socks5ConnectReplyParser a, b;
    a.feed(data, size);
    feedSplit(b, data, size);
    if (a.status() == ParseStatus::Complete) {
        require(a.replyCode() == b.replyCode() && a.boundPort() == b.boundPort() &&
                    a.boundAddress() == b.boundAddress() && a.boundName() == b.boundName(),
                "SOCKS5 CONNECT reply fields differ between splits");
    }
}

void httpReply(const std::uint8_t* bytes, std::size_t size) {
    const char* data = reinterpret_cast<const char*>(bytes);
    sameEitherWay<detail::HttpReplyParser>(data, size, "HTTP reply head", detail::HttpReplyParser::kMaxHeadBytes);
    detail::HttpReplyParser a, b;
    a.feed(data, size);
    feedSplit(b, data, size);
    if (a.status() == ParseStatus::Complete) {
        require(a.statusCode() == b.statusCode() && a.statusCode() >= 0 && a.statusCode() <= 999,
                "HTTP status differs between splits or is out of range");
        require(a.header("proxy-authenticate") == b.header("proxy-authenticate"), "HTTP headers differ between splits");
    }
}

}  // namespace simsock::fuzz
