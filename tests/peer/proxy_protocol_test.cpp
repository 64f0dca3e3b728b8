// The proxy peer's parsers on hostile input: truncated, oversized, wrong versions, no port. Each gives
// NeedMore or Bad, never reads past its input, and never accepts more than kMaxProxyHead bytes.
#include <gtest/gtest.h>

#include <string>

#include "proxy_protocol.h"
#include "simsock/peer/proxy_peer.h"

namespace simsock::peer::detail {
namespace {

std::string raw(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

TEST(ProxyProtocolTest, Socks5GreetingNeedsAllItsMethods) {
    Socks5Greeting g;
    std::size_t used = 0;
    EXPECT_EQ(parseSocks5Greeting(raw({5}), g, used), Parse::NeedMore);
    EXPECT_EQ(parseSocks5Greeting(raw({5, 2, 0}), g, used), Parse::NeedMore);
    EXPECT_EQ(parseSocks5Greeting(raw({4, 1, 0}), g, used), Parse::Bad);
    EXPECT_EQ(parseSocks5Greeting(raw({5, 0}), g, used), Parse::Bad);
    ASSERT_EQ(parseSocks5Greeting(raw({5, 2, 0, 2, 9}), g, used), Parse::Done);
    EXPECT_EQ(used, 4u);
    EXPECT_EQ(g.methods, (std::vector<std::uint8_t>{0, 2}));
}

TEST(ProxyProtocolTest, Socks5CredentialsAndRequest) {
    Socks5Credentials c;
    std::size_t used = 0;
    EXPECT_EQ(parseSocks5Credentials(raw({1, 3, 'a', 'b'}), c, used), Parse::NeedMore);
    EXPECT_EQ(parseSocks5Credentials(raw({2, 0, 0}), c, used), Parse::Bad);
    ASSERT_EQ(parseSocks5Credentials(raw({1, 1, 'u', 2, 'p', 'w'}), c, used), Parse::Done);
    EXPECT_EQ(c.user, "u");
    EXPECT_EQ(c.password, "pw");
    Socks5Request q;
    EXPECT_EQ(parseSocks5Request(raw({5, 1, 0, 3, 200, 'x'}), q, used), Parse::NeedMore);
    EXPECT_EQ(parseSocks5Request(raw({5, 1, 0, 9, 0, 0, 0}), q, used), Parse::Bad);
    ASSERT_EQ(parseSocks5Request(raw({5, 1, 0, 1, 10, 0, 0, 2, 0x1F, 0x40}), q, used), Parse::Done);
    EXPECT_EQ(q.host, "10.0.0.2");
    EXPECT_EQ(q.port, 8000);
    ASSERT_EQ(parseSocks5Request(raw({5, 1, 0, 3, 3, 'a', '.', 'b', 0, 80}), q, used), Parse::Done);
    EXPECT_EQ(q.host, "a.b");
    EXPECT_EQ(used, 10u);
    EXPECT_EQ(socks5Reply(0, "192.0.2.1", 1000), raw({5, 0, 0, 1, 192, 0, 2, 1, 3, 0xE8}));
}

TEST(ProxyProtocolTest, HttpHeadsAreBoundedAndChecked) {
    HttpRequest q;
    std::size_t used = 0;
    EXPECT_EQ(parseHttpHead("CONNECT a:1 HTTP/1.1\r\n", q, used), Parse::NeedMore);
    EXPECT_EQ(parseHttpHead(std::string(kMaxProxyHead + 1, 'x'), q, used), Parse::Bad);
    EXPECT_EQ(parseHttpHead("CONNECT a HTTP/1.1\r\n\r\n", q, used), Parse::Bad);
    EXPECT_EQ(parseHttpHead("CONNECT a:99999 HTTP/1.1\r\n\r\n", q, used), Parse::Bad);
    EXPECT_EQ(parseHttpHead("\xff\xfe \x80 x\r\n\r\n", q, used), Parse::Bad);
    const std::string head = "CONNECT name.invalid:443 HTTP/1.1\r\nproxy-authorization:  Basic dTpw \r\n\r\nrest";
    ASSERT_EQ(parseHttpHead(head, q, used), Parse::Done);
    EXPECT_EQ(used, head.size() - 4);
    EXPECT_EQ(q.host, "name.invalid");
    EXPECT_EQ(q.port, 443);
    EXPECT_TRUE(q.hasProxyAuthorization);
    EXPECT_EQ(q.proxyAuthorization, "Basic dTpw");
    EXPECT_EQ(basicCredentials("u", "p"), "Basic dTpw");
    EXPECT_EQ(basicCredentials("user", "pass"), "Basic dXNlcjpwYXNz");
    EXPECT_EQ(httpResponse(407, "X: y\r\n"), "HTTP/1.1 407 Proxy Authentication Required\r\nX: y\r\nContent-Length: 0\r\n\r\n");
}

TEST(ProxyProtocolTest, FaultTableSpellsEveryFault) {
    for (const auto& row : proxyFaults()) {
        EXPECT_EQ(parseProxyFault(row.name), row.fault);
        EXPECT_EQ(&proxyFaultInfo(row.fault), &row);
    }
    EXPECT_EQ(parseProxyFault("nonsense"), std::nullopt);
}

}  // namespace
}  // namespace simsock::peer::detail
