// SEMANTICS.md, "Connect": every ordering asserted whole, with return values.
// Written with the GoogleTest kit (<simsock/testing.h>).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using S = SocketState;

/// A network (seed 42) whose host "local" has a server on 127.0.0.1:5000 (and nothing on 5001), and a
/// client socket "c" made by each test.
class Connect : public ::testing::Test {
protected:
    static constexpr std::uint16_t kPort = 5000;
    static constexpr std::uint16_t kClosedPort = 5001;

    void SetUp() override { server = &net.listen("server", "local", HostAddress("127.0.0.1"), kPort); }
    /// The events of c.
    Events events() const { return net.events("c"); }
    /// The events of c from index from on.
    Events eventsFrom(std::size_t from) { return net.trace().eventsFrom(from, "c"); }
    void runUntil(const std::function<bool()>& pred) { ASSERT_TRUE(net.runUntil(pred)); }

    SimNet net{42};
    Listener* server = nullptr;
};

TEST_F(Connect, LiteralAddressEmitsLookupConnectingAndHostFoundInsideTheCall) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"}));
    EXPECT_EQ(c.state(), S::ConnectingState);
    EXPECT_TRUE(c.isOpen());
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerAddress(), HostAddress("127.0.0.1"));
    EXPECT_EQ(c.peerPort(), kPort);
    EXPECT_EQ(c.peerName(), "127.0.0.1");
    EXPECT_NE(c.localPort(), 0);
    EXPECT_TRUE(c.isValid());
}

TEST_F(Connect, NameNeedingLookupEmitsOnlyHostLookupInsideTheCall) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(eventsFrom(1), (Events{"stateChanged(ConnectingState)", "hostFound()", "stateChanged(ConnectedState)",
                                     "connected()"}));
    EXPECT_EQ(c.peerName(), "localhost");
}

TEST_F(Connect, CachedNameBehavesLikeALiteral) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    runUntil([&] { return c.state() == S::ConnectedState; });
    c.abort();
    net.trace().clear();
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"}));
}

TEST_F(Connect, RefusedGoesUnconnectedBeforeTheErrorWithoutDisconnected) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kClosedPort);
    net.advance(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                "stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(c.error(), SocketError::ConnectionRefusedError);
    EXPECT_TRUE(c.isOpen());
    EXPECT_EQ(c.state(), S::UnconnectedState);
}

TEST_F(Connect, HostNotFound) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("nosuch.invalid", kPort);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    net.advance(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(HostNotFoundError)"}));
    EXPECT_EQ(c.error(), SocketError::HostNotFoundError);
}

TEST_F(Connect, EmptyHostNameIsHostNotFound) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("", kPort);
    net.advance(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(HostNotFoundError)"}));
}

TEST_F(Connect, SeveralAddressesAreTriedInOrderSilently) {
    // "localhost" gives 127.0.0.1 then ::1; only ::1 listens here, so the first try is refused.
    TcpServer v6(net.host());
    ASSERT_TRUE(v6.listen(HostAddress("::1"), 6000));
    auto& c = net.tcpSocket("c");
    c.connectToHost("localhost", 6000);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                                "hostFound()", "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerAddress(), HostAddress("::1"));
}

TEST_F(Connect, AllAddressesFailingReportsTheLastError) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("localhost", kClosedPort);
    net.advance(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                                "hostFound()", "stateChanged(UnconnectedState)",
                                "errorOccurred(ConnectionRefusedError)"}));
}

TEST_F(Connect, ConnectWhileConnectingOrConnectedIsAnOperationError) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    net.trace().clear();
    c.connectToHost("127.0.0.1", kPort);
    // SEMANTICS.md "(a warning)": Qt's qWarning text comes first, on the warning channel.
    const Events rejected = {"connectToHost{warning(\"QAbstractSocket::connectToHost() called when already looking up "
                             "or connecting/connected to \\\"127.0.0.1\\\"\")}",
                             "connectToHost{errorOccurred(OperationError)}"};
    EXPECT_EQ(events(), rejected);
    EXPECT_EQ(c.state(), S::ConnectingState);
    runUntil([&] { return c.state() == S::ConnectedState; });
    net.trace().clear();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(events(), rejected);
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_F(Connect, ReconnectingFromInsideTheErrorHandlerWorks) {
    auto& c = net.tcpSocket("c");
    bool retried = false;
    c.errorOccurred.connect([&](SocketError) {
        if (retried) return;
        retried = true;
        c.connectToHost("127.0.0.1", kPort);
    });
    c.connectToHost("127.0.0.1", kClosedPort);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(eventsFrom(3),
              (Events{"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)",
                      "connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                      "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerPort(), kPort);
}

TEST_F(Connect, BindThenConnect) {
    auto& c = net.tcpSocket("c");
    EXPECT_TRUE(c.bind(HostAddress("127.0.0.1"), 7000));
    EXPECT_EQ(c.localPort(), 7000);
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(events(), (Events{"bind{stateChanged(BoundState)}", "connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.localPort(), 7000);
    runUntil([&] { return server->count() == 1; });
    EXPECT_EQ(server->accepted(0).peerPort(), 7000);
}

TEST_F(Connect, SetSocketDescriptorOnAConnectedDescriptorEmitsOnlyTheState) {
    auto listener = net.network().createEngine(SocketType::TcpSocket);
    ASSERT_EQ(listener->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    ASSERT_EQ(listener->bind(HostAddress("127.0.0.1"), 7100, BindMode()), 0);
    ASSERT_EQ(listener->listen(5), 0);
    auto& client = net.tcpSocket("client");
    client.connectToHost("127.0.0.1", 7100);
    runUntil([&] { return client.state() == S::ConnectedState; });
    int err = 0;
    std::intptr_t fd = -1;
    runUntil([&] { return (fd = listener->accept(err)) >= 0; });
    auto& c = net.tcpSocket("c");
    EXPECT_TRUE(c.setSocketDescriptor(fd));
    EXPECT_EQ(events(), (Events{"setSocketDescriptor{stateChanged(ConnectedState)}"}));
    EXPECT_EQ(c.socketDescriptor(), fd);
    EXPECT_EQ(c.state(), S::ConnectedState);
    EXPECT_EQ(c.peerPort(), client.localPort());
    EXPECT_TRUE(c.isOpen());
    listener->close();
}

TEST_F(Connect, SetSocketDescriptorRejectsAnUnknownDescriptor) {
    auto& c = net.tcpSocket("c");
    EXPECT_FALSE(c.setSocketDescriptor(987654));
    EXPECT_EQ(events(), (Events{"setSocketDescriptor{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(c.socketDescriptor(), -1);
}

TEST_F(Connect, AProxyWhoseHostDoesNotResolveIsProxyNotFound) {
    // PROXY-SEMANTICS §6: by address the direct trace up to hostFound, then the Proxy… error, not retried.
    auto& c = net.tcpSocket("c");
    c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "proxy.example", 3128));
    c.connectToHost("127.0.0.1", kPort);
    net.advance(100);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                "stateChanged(UnconnectedState)", "errorOccurred(ProxyNotFoundError)"}));
    EXPECT_EQ(c.errorString(), "Proxy server not found");
    EXPECT_EQ(c.proxy().type(), NetworkProxy::HttpProxy);
}

TEST_F(Connect, NoProxyIsServed) {
    auto& c = net.tcpSocket("c");
    c.setProxy(NetworkProxy::NoProxy);
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(events().back(), "connected()");
}

}  // namespace
}  // namespace simsock::testing

namespace simsock::testing {
namespace {

// A server whose backend cannot adopt what it accepted reports it instead of losing the connection.
TEST_F(Connect, ServerReportsAConnectionItCannotAdopt) {
    ASSERT_TRUE(net.network().addHost("srv", {HostAddress("10.0.0.2")}));
    ASSERT_TRUE(net.network().setCurrentHost("srv"));
    TcpServer wrong(net.network());  // listens on "srv", but adopts on whatever host is current later
    ASSERT_TRUE(wrong.listen(HostAddress("10.0.0.2"), 8080));
    ASSERT_TRUE(net.network().setCurrentHost("local"));
    std::vector<SocketError> errors;
    wrong.acceptError.connect([&](SocketError e) { errors.push_back(e); });
    auto& c = net.tcpSocket("c");
    c.connectToHost("10.0.0.2", 8080);
    net.advance(100);
    EXPECT_EQ(errors, (std::vector<SocketError>{SocketError::UnsupportedSocketOperationError}));
    EXPECT_FALSE(wrong.hasPendingConnections());
}

}  // namespace
}  // namespace simsock::testing
