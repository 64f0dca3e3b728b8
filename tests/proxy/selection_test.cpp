// Which proxy a socket uses (PROXY-SEMANTICS §1): explicit, the application proxy skipped for loopback,
// NoProxy overriding it, and the capability errors.
#include "proxy_fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Selection : public ProxyFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(target.listen(HostAddress("127.0.0.1"), kTargetPort));
        ASSERT_TRUE(proxy.listening());
    }
    TcpServer target{net};
};

TEST_F(Selection, LoopbackDestinationsSkipTheApplicationProxy) {
    NetworkProxy::setApplicationProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort + 1));  // dead
    for (const char* host : {"127.0.0.1", "localhost"}) {
        trace.clear();
        auto& c = make();
        c.connectToHost(host, kTargetPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
        runUntil([&] { return c.state() != S::ConnectingState && c.state() != S::HostLookupState; });
        EXPECT_EQ(c.state(), S::ConnectedState) << host;
        EXPECT_EQ(c.proxy().type(), NetworkProxy::DefaultProxy);
    }
    EXPECT_EQ(proxy.connections(), 0u);
}

TEST_F(Selection, ANonLoopbackNameGoesThroughTheApplicationProxy) {
    NetworkProxy::setApplicationProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort));
    auto& c = make();
    c.connectToHost("example.org", 80);
    EXPECT_EQ(events(), kByNameCall);
    runFor(100);
    EXPECT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), bytes({0x05, 0x01, 0x00}));
    EXPECT_EQ(c.proxy().type(), NetworkProxy::DefaultProxy);
}

TEST_F(Selection, NoProxyOverridesTheApplicationProxyAndLooksTheNameUp) {
    NetworkProxy::setApplicationProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort));
    auto& c = make();
    c.setProxy(NetworkProxy::NoProxy);
    c.connectToHost("nonexistent.invalid", 80);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(c.error(), SocketError::HostNotFoundError);
    EXPECT_EQ(proxy.connections(), 0u);
}

TEST_F(Selection, AnExplicitProxyIsUsedForLoopbackToo) {
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runFor(100);
    EXPECT_EQ(proxy.connections(), 1u);
}

TEST_F(Selection, ABoundTcpSocketStillConnectsThroughItsProxy) {
    auto& c = client(NetworkProxy::Socks5Proxy);
    ASSERT_TRUE(c.bind(HostAddress("127.0.0.1"), 0));
    c.connectToHost("127.0.0.1", kTargetPort);
    runFor(100);
    EXPECT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), bytes({0x05, 0x01, 0x00}));
    EXPECT_EQ(c.state(), S::ConnectingState);
}

TEST_F(Selection, WithoutHostNameLookupTheNameIsResolvedFirstAndSentAsAnAddress) {
    proxy.setScript({{3, bytes({0x05, 0x00})}, {13, bytes({0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0})}});
    auto& c = make();
    NetworkProxy p(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort);
    p.setCapabilities(p.capabilities() & ~NetworkProxy::HostNameLookupCapability);
    c.setProxy(p);
    c.connectToHost("localhost", kTargetPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    runUntil([&] { return c.state() != S::ConnectingState && c.state() != S::HostLookupState; });
    EXPECT_EQ(eventsFrom(1), (Events{"stateChanged(ConnectingState)", "hostFound()", "stateChanged(ConnectedState)",
                                     "connected()"}));
    EXPECT_EQ(proxy.received(), bytes({0x05, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x13, 0x88}));
}

TEST_F(Selection, AProxyWithoutTunnelingFailsInsideTheCallWithoutAStateChange) {
    for (auto type : {NetworkProxy::HttpCachingProxy, NetworkProxy::FtpCachingProxy}) {
        trace.clear();
        auto& c = make();
        c.setProxy(NetworkProxy(type, "127.0.0.1", kProxyPort));
        c.connectToHost("127.0.0.1", kTargetPort);
        EXPECT_EQ(events(), (Events{"connectToHost{errorOccurred(UnsupportedSocketOperationError)}"}));
        EXPECT_EQ(c.errorString(), "Operation on socket is not supported");
        EXPECT_EQ(c.state(), S::UnconnectedState);
        EXPECT_FALSE(c.isOpen());
    }
}

TEST_F(Selection, AnHttpProxyOnAUdpSocket) {
    auto& u = make<UdpSocket>("u");
    u.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "127.0.0.1", kProxyPort));
    u.connectToHost("127.0.0.1", kTargetPort);
    EXPECT_EQ(events("u"), (Events{"connectToHost{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(u.errorString(), "Operation on socket is not supported");
    EXPECT_EQ(u.state(), S::UnconnectedState);
    EXPECT_FALSE(u.isOpen());
    trace.clear();
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(u.error(), SocketError::UnsupportedSocketOperationError);
    EXPECT_EQ(u.errorString(), "Operation on socket is not supported");
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), kTargetPort), -1);
    EXPECT_EQ(u.error(), SocketError::UnsupportedSocketOperationError);
    EXPECT_TRUE(events("u").empty());
    EXPECT_EQ(u.state(), S::UnconnectedState);
}

TEST_F(Selection, AnHttpApplicationProxyBreaksUdp) {
    NetworkProxy::setApplicationProxy(NetworkProxy(NetworkProxy::HttpProxy, "127.0.0.1", kProxyPort));
    auto& u = make<UdpSocket>("u");
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(u.errorString(), "Operation on socket is not supported");
    EXPECT_TRUE(events("u").empty());
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), kTargetPort), -1);
    EXPECT_EQ(events("u"), (Events{"writeDatagram{errorOccurred(UnsupportedSocketOperationError)}",
                                   "writeDatagram{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(u.errorString(), "The proxy type is invalid for this operation");
}

}  // namespace
}  // namespace simsock::testing
