// UDP through SOCKS5 (PROXY-SEMANTICS §11): a proxy that refuses UDP ASSOCIATE (0x07, as microsocks).
// The association is asked for blocking, inside the call; a failed writeDatagram still reports success.
#include "proxy_fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

const std::string kUdpGreeting = bytes({0x05, 0x01, 0x00});
const std::string kAssociate = bytes({0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0});

class Socks5Udp : public ProxyFixture {
protected:
    void SetUp() override {
        ASSERT_TRUE(proxy.listening());
        proxy.setScript({{3, bytes({0x05, 0x00})}, {3 + kAssociate.size(), bytes({0x05, 0x07, 0x00, 0x01, 0, 0, 0, 0, 0, 0})}});
        u.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort));
    }
    UdpSocket& u = make<UdpSocket>("u");
};

TEST_F(Socks5Udp, BindFailsInsideTheCall) {
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(events("u"), (Events{"bind{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(u.errorString(), "SOCKSv5 command not supported");
    EXPECT_EQ(u.state(), S::UnconnectedState);
    EXPECT_FALSE(u.isOpen());
    ASSERT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), kUdpGreeting + kAssociate);
}

TEST_F(Socks5Udp, WriteDatagramReportsTheErrorAndYetTheFullLength) {
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 0));
    trace.clear();
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), kTargetPort), 4);
    EXPECT_EQ(events("u"), (Events{"writeDatagram{errorOccurred(UnsupportedSocketOperationError)}",
                                   "writeDatagram{bytesWritten(4)}"}));
    EXPECT_EQ(u.error(), SocketError::UnsupportedSocketOperationError);
    EXPECT_EQ(proxy.connections(), 2u);  // the association is tried again
}

TEST_F(Socks5Udp, ConnectToHostByAddressFailsInsideTheCallInTheUsualOrder) {
    u.connectToHost("127.0.0.1", kTargetPort);
    EXPECT_EQ(events("u"), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                   "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                   "connectToHost{stateChanged(UnconnectedState)}",
                                   "connectToHost{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(u.write("x"), -1);
    EXPECT_EQ(u.errorString(), "Socket is not connected");
}

TEST_F(Socks5Udp, ConnectToHostByNameReversesTheOrder) {
    u.connectToHost("example.org", kTargetPort);
    EXPECT_EQ(events("u"), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                   "connectToHost{stateChanged(ConnectingState)}",
                                   "connectToHost{errorOccurred(UnsupportedSocketOperationError)}",
                                   "connectToHost{stateChanged(UnconnectedState)}"}));
    EXPECT_EQ(u.state(), S::UnconnectedState);
}

// The success path (RFC 1928 §7; not observed on Qt, PROXY-SEMANTICS §11): a relay at 127.0.0.1:7000.
class Socks5UdpRelay : public Socks5Udp {
protected:
    void SetUp() override {
        Socks5Udp::SetUp();
        ASSERT_TRUE(relay.bind(HostAddress("127.0.0.1"), 7000));
        grant(bytes({0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0x1B, 0x58}));  // BND 127.0.0.1:7000
    }
    void grant(const std::string& reply) { proxy.setScript({{3, bytes({0x05, 0x00})}, {3 + kAssociate.size(), reply}}); }
    /// The next datagram the relay receives, with its sender.
    std::string relayed(HostAddress* from = nullptr, std::uint16_t* port = nullptr) {
        runUntil([&] { return relay.hasPendingDatagrams(); });
        std::string buf(2048, '\0');
        const auto n = relay.readDatagram(buf.data(), static_cast<std::int64_t>(buf.size()), from, port);
        buf.resize(static_cast<std::size_t>(std::max<std::int64_t>(0, n)));
        return buf;
    }
    UdpSocket& relay = make<UdpSocket>("relay");
};

TEST_F(Socks5UdpRelay, BindAssociatesAndDatagramsTravelThroughTheRelay) {
    EXPECT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(events("u"), (Events{"bind{stateChanged(BoundState)}"}));
    EXPECT_EQ(proxy.received(), kUdpGreeting + kAssociate);
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), 6000), 4);
    HostAddress from;
    std::uint16_t fromPort = 0;
    EXPECT_EQ(relayed(&from, &fromPort), bytes({0, 0, 0, 0x01, 127, 0, 0, 1, 0x17, 0x70}) + "abcd");
    EXPECT_EQ(fromPort, u.localPort());
    // The relay answers on behalf of 10.0.0.9:53; a datagram from anyone else is dropped.
    UdpSocket& stranger = make<UdpSocket>("stranger");
    stranger.writeDatagram("junk", HostAddress("127.0.0.1"), u.localPort());
    runFor(10);
    relay.writeDatagram(bytes({0, 0, 0, 0x01, 10, 0, 0, 9, 0, 53}) + "pong", HostAddress("127.0.0.1"), u.localPort());
    runFor(10);
    ASSERT_TRUE(u.hasPendingDatagrams());
    char buf[16] = {};
    HostAddress sender;
    std::uint16_t senderPort = 0;
    EXPECT_EQ(u.readDatagram(buf, sizeof buf, &sender, &senderPort), 4);
    EXPECT_EQ(std::string(buf, 4), "pong");
    EXPECT_EQ(sender, HostAddress("10.0.0.9"));
    EXPECT_EQ(senderPort, 53);
}

TEST_F(Socks5UdpRelay, MalformedAndFragmentedRelayDatagramsAreDropped) {
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    const std::string good = bytes({0, 0, 0, 0x01, 10, 0, 0, 9, 0, 53}) + "ok";
    for (const std::string& bad : {std::string(), bytes({0, 0}), bytes({0, 0, 1, 0x01, 10, 0, 0, 9, 0, 53}) + "frag",
                                   bytes({0, 0, 0, 0x02, 1, 2, 3}), bytes({0, 0, 0, 0x01, 10, 0}),
                                   bytes({0, 0, 0, 0x03, 200, 'a'}), bytes({0, 0, 0, 0x04, 0, 0})})
        relay.writeDatagram(bad, HostAddress("127.0.0.1"), u.localPort());
    relay.writeDatagram(good, HostAddress("127.0.0.1"), u.localPort());
    runFor(10);
    char buf[16] = {};
    HostAddress from;
    EXPECT_EQ(u.readDatagram(buf, sizeof buf, &from), 2);
    EXPECT_EQ(std::string(buf, 2), "ok");
    EXPECT_EQ(from, HostAddress("10.0.0.9"));
    EXPECT_FALSE(u.hasPendingDatagrams());
}

TEST_F(Socks5UdpRelay, WriteDatagramOnAnUnboundSocketAssociatesFirst) {
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), 6000), 4) << u.errorString();
    EXPECT_EQ(events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(4)}"}));
    EXPECT_EQ(u.state(), S::BoundState);
    EXPECT_EQ(relayed(), bytes({0, 0, 0, 0x01, 127, 0, 0, 1, 0x17, 0x70}) + "abcd");
}

TEST_F(Socks5UdpRelay, ConnectedByNameTheHeaderCarriesTheName) {
    u.connectToHost("example.org", 53);
    EXPECT_EQ(u.state(), S::ConnectedState);
    EXPECT_TRUE(u.peerAddress().isNull());
    EXPECT_EQ(u.write("q"), 1);
    EXPECT_EQ(relayed(), bytes({0, 0, 0, 0x03, 11}) + "example.org" + bytes({0, 53}) + "q");
}

TEST_F(Socks5UdpRelay, AnAnyRelayAddressMeansTheProxysOwn) {
    grant(bytes({0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0x1B, 0x58}));
    EXPECT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(u.writeDatagram("x", HostAddress("127.0.0.1"), 6000), 1);
    EXPECT_EQ(relayed(), bytes({0, 0, 0, 0x01, 127, 0, 0, 1, 0x17, 0x70}) + "x");
}

TEST_F(Socks5Udp, ASilentProxyTimesTheBindOutAfterFiveSeconds) {
    proxy.setScript({});
    const auto start = net.loop().nowNs();
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ((net.loop().nowNs() - start) / 1'000'000, 5000);
    EXPECT_EQ(u.error(), SocketError::SocketTimeoutError);
    EXPECT_EQ(u.errorString(), "Network operation timed out");
}

}  // namespace
}  // namespace simsock::testing
