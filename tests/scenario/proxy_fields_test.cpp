// The proxy fields of the format: proxy peers, a socket's proxy with credentials and capabilities,
// onProxyAuth and applicationProxy, read into the model and written back unchanged.
#include <gtest/gtest.h>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/scenario/writer.h"

namespace simsock::scenario {
namespace {

constexpr const char* kProxyFile = R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
  "peers": [
    {"name": "px", "kind": "socks5-proxy", "host": "server", "port": 1080, "auth": {"user": "u", "password": "p"},
     "bound": {"address": "192.0.2.1", "port": 1000}, "split": "100ms"},
    {"name": "hp", "kind": "http-proxy", "host": "server", "port": 3128,
     "auth": {"user": "u", "password": "p", "realm": "fake", "on407": "keep-alive", "wrongCredentials": 407},
     "fault": {"kind": "status", "code": 503}, "realServer": false}
  ],
  "sockets": [{"name": "c", "type": "tcp",
               "proxy": {"type": "HttpProxy", "host": "10.0.0.2", "port": 3128, "user": "u", "password": "p",
                         "capabilities": ["TunnelingCapability", "HostNameLookupCapability"]},
               "onProxyAuth": {"user": "a", "password": "b"}}],
  "applicationProxy": {"type": "Socks5Proxy", "host": "10.0.0.2", "port": 1080}})J";

TEST(ProxyFields, LoadIntoTheModel) {
    const Scenario s = loadScenarioText("t.json", kProxyFile);
    ASSERT_EQ(s.peers.size(), 2u);
    const peer::ProxySettings& px = s.peers[0].proxy;
    EXPECT_EQ(s.peers[0].kind, PeerSpec::Kind::Socks5Proxy);
    EXPECT_EQ(px.type, peer::ProxyKind::Socks5);
    EXPECT_EQ(px.port, 1080);
    EXPECT_EQ(px.user, "u");
    EXPECT_EQ(px.password, "p");
    EXPECT_EQ(px.boundAddress, "192.0.2.1");
    EXPECT_EQ(px.boundPort, 1000);
    EXPECT_EQ(px.splitDelayNs, 100'000'000);
    EXPECT_EQ(px.fault, peer::ProxyFault::None);
    EXPECT_TRUE(s.peers[0].realServer);
    const peer::ProxySettings& hp = s.peers[1].proxy;
    EXPECT_EQ(hp.type, peer::ProxyKind::Http);
    EXPECT_EQ(hp.realm, "fake");
    EXPECT_FALSE(hp.closeOn407);
    EXPECT_EQ(hp.wrongCredentialsStatus, 407);
    EXPECT_EQ(hp.fault, peer::ProxyFault::Status);
    EXPECT_EQ(hp.code, 503);
    EXPECT_FALSE(s.peers[1].realServer);
    ASSERT_TRUE(s.sockets[0].proxy);
    const NetworkProxy p = makeNetworkProxy(*s.sockets[0].proxy);
    EXPECT_EQ(p.type(), NetworkProxy::HttpProxy);
    EXPECT_EQ(p.user(), "u");
    EXPECT_EQ(p.password(), "p");
    EXPECT_EQ(p.capabilities(), NetworkProxy::TunnelingCapability | NetworkProxy::HostNameLookupCapability);
    ASSERT_TRUE(s.sockets[0].onProxyAuth);
    EXPECT_EQ(s.sockets[0].onProxyAuth->user, "a");
    EXPECT_EQ(s.sockets[0].onProxyAuth->password, "b");
    ASSERT_TRUE(s.applicationProxy);
    EXPECT_EQ(s.applicationProxy->type, NetworkProxy::Socks5Proxy);
    EXPECT_EQ(s.applicationProxy->port, 1080);
    // Without capabilities a proxy has its type's defaults.
    EXPECT_EQ(makeNetworkProxy(*s.applicationProxy).capabilities(), NetworkProxy::defaultCapabilities(NetworkProxy::Socks5Proxy));
}

TEST(ProxyFields, WrittenAndReadBackUnchanged) {
    const Scenario s = loadScenarioText("t.json", kProxyFile);
    const std::string written = writeScenario(s);
    const Scenario again = loadScenarioText("w.json", written);
    EXPECT_EQ(writeScenario(again), written);
    EXPECT_NE(written.find(R"("auth": {"user": "u", "password": "p", "realm": "fake", "on407": "keep-alive", "wrongCredentials": 407})"),
              std::string::npos) << written;
    EXPECT_NE(written.find(R"("capabilities": ["TunnelingCapability", "HostNameLookupCapability"])"), std::string::npos);
    EXPECT_NE(written.find(R"("applicationProxy": {"type": "Socks5Proxy", "host": "10.0.0.2", "port": 1080})"), std::string::npos);
}

}  // namespace
}  // namespace simsock::scenario
