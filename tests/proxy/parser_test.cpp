// The reply parsers (core/src/proxy): every reply fed whole and byte by byte, reply codes, truncation,
// wrong versions, oversized fields, non-ASCII status lines and a header block far over the limit.
#include <gtest/gtest.h>

#include <string>

#include "fake_proxy.h"
#include "proxy/http_reply_parser.h"
#include "proxy/socks5_reply_parser.h"

namespace simsock::testing {
namespace {

using detail::HttpReplyParser;
using detail::ParseStatus;
using detail::Socks5AuthParser;
using detail::Socks5ConnectReplyParser;
using detail::Socks5MethodParser;

// Feeds s in pieces of `piece` bytes; returns the bytes consumed in total.
template <class P>
std::size_t feedInPieces(P& p, const std::string& s, std::size_t piece) {
    std::size_t used = 0;
    for (std::size_t at = 0; at < s.size(); at += piece) {
        const std::size_t n = std::min(piece, s.size() - at);
        const std::size_t took = p.feed(s.data() + at, n);
        used += took;
        if (took < n) break;
    }
    return used;
}

TEST(Socks5MethodParser, ReadsTheMethodAndLeavesTheRest) {
    Socks5MethodParser p;
    const std::string s = bytes({0x05, 0x02, 0x01, 0x02});
    EXPECT_EQ(p.feed(s.data(), s.size()), 2u);
    EXPECT_EQ(p.status(), ParseStatus::Complete);
    EXPECT_EQ(p.method(), 0x02);
}

TEST(Socks5MethodParser, OneByteAtATimeAndTruncated) {
    Socks5MethodParser p;
    EXPECT_EQ(p.feed("\x05", 1), 1u);
    EXPECT_EQ(p.status(), ParseStatus::Incomplete);
    EXPECT_EQ(p.feed("", 0), 0u);
    EXPECT_EQ(p.status(), ParseStatus::Incomplete);
    const std::string ff = bytes({0xFF});
    EXPECT_EQ(p.feed(ff.data(), 1), 1u);
    EXPECT_EQ(p.status(), ParseStatus::Complete);
    EXPECT_EQ(p.method(), 0xFF);
}

TEST(Socks5MethodParser, AWrongVersionIsMalformed) {
    Socks5MethodParser p;
    EXPECT_EQ(p.feed("\x04\x00", 2), 1u);
    EXPECT_EQ(p.status(), ParseStatus::Malformed);
    EXPECT_EQ(p.feed("\x05\x00", 2), 0u);  // nothing more is consumed
}

TEST(Socks5AuthParser, AcceptedRejectedAndWrongVersion) {
    Socks5AuthParser ok;
    EXPECT_EQ(ok.feed("\x01\x00", 2), 2u);
    EXPECT_EQ(ok.status(), ParseStatus::Complete);
    EXPECT_TRUE(ok.accepted());
    Socks5AuthParser no;
    EXPECT_EQ(no.feed("\x01\x02xyz", 5), 2u);
    EXPECT_EQ(no.status(), ParseStatus::Complete);
    EXPECT_FALSE(no.accepted());
    Socks5AuthParser bad;
    EXPECT_EQ(bad.feed("\x05\x00", 2), 1u);
    EXPECT_EQ(bad.status(), ParseStatus::Malformed);
}

TEST(Socks5ConnectReplyParser, IPv4SuccessInEverySplit) {
    const std::string s = bytes({0x05, 0x00, 0x00, 0x01, 192, 0, 2, 1, 0x03, 0xE8}) + "tunnel";
    for (std::size_t piece = 1; piece <= s.size(); ++piece) {
        Socks5ConnectReplyParser p;
        EXPECT_EQ(feedInPieces(p, s, piece), 10u) << piece;
        EXPECT_EQ(p.status(), ParseStatus::Complete);
        EXPECT_EQ(p.replyCode(), 0);
        EXPECT_EQ(p.boundAddress(), HostAddress("192.0.2.1"));
        EXPECT_EQ(p.boundPort(), 1000);
    }
}

TEST(Socks5ConnectReplyParser, IPv6AndNameAddresses) {
    std::string v6 = bytes({0x05, 0x00, 0x00, 0x04});
    v6 += std::string(15, '\0') + bytes({1, 0x00, 0x50});
    Socks5ConnectReplyParser a;
    EXPECT_EQ(a.feed(v6.data(), v6.size()), v6.size());
    EXPECT_EQ(a.status(), ParseStatus::Complete);
    EXPECT_EQ(a.boundAddress(), HostAddress("::1"));
    EXPECT_EQ(a.boundPort(), 80);

    const std::string name = bytes({0x05, 0x00, 0x00, 0x03, 4}) + "host" + bytes({0x00, 0x16});
    Socks5ConnectReplyParser b;
    EXPECT_EQ(b.feed(name.data(), name.size()), name.size());
    EXPECT_EQ(b.status(), ParseStatus::Complete);
    EXPECT_TRUE(b.boundAddress().isNull());
    EXPECT_EQ(b.boundName(), "host");
    EXPECT_EQ(b.boundPort(), 22);

    // The longest name a length octet allows, fed in two pieces.
    const std::string longest = bytes({0x05, 0x00, 0x00, 0x03, 255}) + std::string(255, 'n') + bytes({0, 1});
    Socks5ConnectReplyParser c;
    EXPECT_EQ(feedInPieces(c, longest, 100), longest.size());
    EXPECT_EQ(c.status(), ParseStatus::Complete);
    EXPECT_EQ(c.boundName().size(), 255u);
}

TEST(Socks5ConnectReplyParser, EveryFailureCodeCompletesAfterThreeBytes) {
    for (int code = 1; code <= 255; ++code) {
        Socks5ConnectReplyParser p;
        const std::string s = bytes({0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
        EXPECT_EQ(p.feed(s.data(), s.size()), 3u);
        EXPECT_EQ(p.status(), ParseStatus::Complete);
        EXPECT_EQ(p.replyCode(), code);
    }
}

TEST(Socks5ConnectReplyParser, MalformedReplies) {
    for (const std::string& s : {bytes({0x04, 0x00, 0x00}), bytes({0x05, 0x00, 0x01}), bytes({0x05, 0x00, 0x00, 0x02, 0}),
                                 bytes({0x05, 0x00, 0x00, 0x00, 0})}) {
        Socks5ConnectReplyParser p;
        p.feed(s.data(), s.size());
        EXPECT_EQ(p.status(), ParseStatus::Malformed);
    }
}

TEST(Socks5ConnectReplyParser, TruncatedStaysIncomplete) {
    const std::string s = bytes({0x05, 0x00, 0x00, 0x01, 10, 0, 0});
    Socks5ConnectReplyParser p;
    EXPECT_EQ(p.feed(s.data(), s.size()), s.size());
    EXPECT_EQ(p.status(), ParseStatus::Incomplete);
}

TEST(HttpReplyParser, StatusHeadersAndTheRestLeftInEverySplit) {
    const std::string head = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\n"
                             "Content-Length: 3\r\n\r\n";
    const std::string s = head + "abc";
    for (std::size_t piece = 1; piece <= s.size(); ++piece) {
        HttpReplyParser p;
        EXPECT_EQ(feedInPieces(p, s, piece), head.size()) << piece;
        EXPECT_EQ(p.status(), ParseStatus::Complete);
        EXPECT_EQ(p.statusCode(), 407);
        EXPECT_EQ(p.majorVersion(), 1);
        EXPECT_EQ(p.minorVersion(), 1);
        EXPECT_EQ(p.header("proxy-authenticate"), "Basic realm=\"fake\"");
        EXPECT_EQ(p.header("CONTENT-LENGTH"), "3");
        EXPECT_EQ(p.header("connection"), std::nullopt);
    }
}

TEST(HttpReplyParser, EveryStatusCodeAndBareLineFeeds) {
    for (int code = 100; code <= 599; ++code) {
        HttpReplyParser p;
        const std::string s = "HTTP/1.0 " + std::to_string(code) + "\n\n";
        EXPECT_EQ(p.feed(s.data(), s.size()), s.size());
        EXPECT_EQ(p.status(), ParseStatus::Complete);
        EXPECT_EQ(p.statusCode(), code);
        EXPECT_EQ(p.minorVersion(), 0);
    }
}

TEST(HttpReplyParser, NonAsciiReasonIsAccepted) {
    HttpReplyParser p;
    const std::string s = "HTTP/1.1 200 \xC3\xA9t\xFF\x80\r\n\r\n";
    EXPECT_EQ(p.feed(s.data(), s.size()), s.size());
    EXPECT_EQ(p.status(), ParseStatus::Complete);
    EXPECT_EQ(p.statusCode(), 200);
}

TEST(HttpReplyParser, GarbageIsMalformed) {
    for (const std::string& s : {std::string("SSH-2.0-OpenSSH\r\n"), std::string("HTTP/1.1 2x0 OK\r\n"),
                                 std::string("HTTP/1.1 200OK\r\n"), std::string("\x05\x00\r\n", 4),
                                 std::string("HTTP/1.1 200 OK\r\nno colon here\r\n"),
                                 std::string("HTTP/1.1 200 OK\r\n: empty name\r\n")}) {
        HttpReplyParser p;
        p.feed(s.data(), s.size());
        EXPECT_EQ(p.status(), ParseStatus::Malformed) << s;
    }
}

TEST(HttpReplyParser, TruncatedStaysIncomplete) {
    HttpReplyParser p;
    const std::string s = "HTTP/1.1 200 Connection established\r\nVia: x\r\n";
    EXPECT_EQ(p.feed(s.data(), s.size()), s.size());
    EXPECT_EQ(p.status(), ParseStatus::Incomplete);
}

TEST(HttpReplyParser, AOneMebibyteHeaderIsMalformedAtTheLimit) {
    HttpReplyParser p;
    std::string s = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(1024 * 1024, 'a') + "\r\n\r\n";
    const std::size_t used = feedInPieces(p, s, 4096);
    EXPECT_EQ(p.status(), ParseStatus::Malformed);
    EXPECT_LE(used, HttpReplyParser::kMaxHeadBytes);
}

TEST(HttpReplyParser, TooManyHeaderLinesAreMalformed) {
    HttpReplyParser p;
    std::string s = "HTTP/1.1 200 OK\r\n";
    for (std::size_t i = 0; i <= HttpReplyParser::kMaxHeaders; ++i) s += "A: b\r\n";
    s += "\r\n";
    p.feed(s.data(), s.size());
    EXPECT_EQ(p.status(), ParseStatus::Malformed);
}

}  // namespace
}  // namespace simsock::testing
