// SEMANTICS.md, "Connect": every ordering asserted whole, with return values.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Connect : public SimFixture {};

TEST_F(Connect, LiteralAddressEmitsLookupConnectingAndHostFoundInsideTheCall) {
    auto& c = make();
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
    auto& c = make();
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(eventsFrom(1), (Events{"stateChanged(ConnectingState)", "hostFound()", "stateChanged(ConnectedState)",
                                     "connected()"}));
    EXPECT_EQ(c.peerName(), "localhost");
}

TEST_F(Connect, CachedNameBehavesLikeALiteral) {
    auto& c = make();
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    runUntil([&] { return c.state() == S::ConnectedState; });
    c.abort();
    trace.clear();
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"}));
}

TEST_F(Connect, RefusedGoesUnconnectedBeforeTheErrorWithoutDisconnected) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kClosedPort);
    runFor(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                "stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(c.error(), SocketError::ConnectionRefusedError);
    EXPECT_TRUE(c.isOpen());
    EXPECT_EQ(c.state(), S::UnconnectedState);
}

TEST_F(Connect, HostNotFound) {
    auto& c = make();
    c.connectToHost("nosuch.invalid", kPort);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    runFor(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(HostNotFoundError)"}));
    EXPECT_EQ(c.error(), SocketError::HostNotFoundError);
}

TEST_F(Connect, EmptyHostNameIsHostNotFound) {
    auto& c = make();
    c.connectToHost("", kPort);
    runFor(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(HostNotFoundError)"}));
}

TEST_F(Connect, SeveralAddressesAreTriedInOrderSilently) {
    // "localhost" gives 127.0.0.1 then ::1; only ::1 listens here, so the first try is refused.
    TcpServer v6(net);
    ASSERT_TRUE(v6.listen(HostAddress("::1"), 6000));
    auto& c = make();
    c.connectToHost("localhost", 6000);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                                "hostFound()", "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerAddress(), HostAddress("::1"));
}

TEST_F(Connect, AllAddressesFailingReportsTheLastError) {
    auto& c = make();
    c.connectToHost("localhost", kClosedPort);
    runFor(1000);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                                "hostFound()", "stateChanged(UnconnectedState)",
                                "errorOccurred(ConnectionRefusedError)"}));
}

TEST_F(Connect, ConnectWhileConnectingOrConnectedIsAnOperationError) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    trace.clear();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(events(), (Events{"connectToHost{errorOccurred(OperationError)}"}));
    EXPECT_EQ(c.state(), S::ConnectingState);
    runUntil([&] { return c.state() == S::ConnectedState; });
    trace.clear();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(events(), (Events{"connectToHost{errorOccurred(OperationError)}"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_F(Connect, ReconnectingFromInsideTheErrorHandlerWorks) {
    auto& c = make();
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
    auto& c = make();
    EXPECT_TRUE(c.bind(HostAddress("127.0.0.1"), 7000));
    EXPECT_EQ(c.localPort(), 7000);
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(events(), (Events{"bind{stateChanged(BoundState)}", "connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.localPort(), 7000);
    runUntil([&] { return !accepted.empty(); });
    EXPECT_EQ(peer().peerPort(), 7000);
}

TEST_F(Connect, SetSocketDescriptorOnAConnectedDescriptorEmitsOnlyTheState) {
    auto listener = net.createEngine(SocketType::TcpSocket);
    ASSERT_EQ(listener->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    ASSERT_EQ(listener->bind(HostAddress("127.0.0.1"), 7100, BindMode()), 0);
    ASSERT_EQ(listener->listen(5), 0);
    auto& client = make("client");
    client.connectToHost("127.0.0.1", 7100);
    runUntil([&] { return client.state() == S::ConnectedState; });
    int err = 0;
    std::intptr_t fd = -1;
    runUntil([&] { return (fd = listener->accept(err)) >= 0; });
    auto& c = make();
    EXPECT_TRUE(c.setSocketDescriptor(fd));
    EXPECT_EQ(events(), (Events{"setSocketDescriptor{stateChanged(ConnectedState)}"}));
    EXPECT_EQ(c.socketDescriptor(), fd);
    EXPECT_EQ(c.state(), S::ConnectedState);
    EXPECT_EQ(c.peerPort(), client.localPort());
    EXPECT_TRUE(c.isOpen());
    listener->close();
}

TEST_F(Connect, SetSocketDescriptorRejectsAnUnknownDescriptor) {
    auto& c = make();
    EXPECT_FALSE(c.setSocketDescriptor(987654));
    EXPECT_EQ(events(), (Events{"setSocketDescriptor{errorOccurred(UnsupportedSocketOperationError)}"}));
    EXPECT_EQ(c.socketDescriptor(), -1);
}

TEST_F(Connect, UnsupportedProxyFailsWithProxyNotFound) {
    auto& c = make();
    c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "proxy.example", 3128));
    c.connectToHost("127.0.0.1", kPort);
    runFor(100);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(ProxyNotFoundError)"}));
    EXPECT_EQ(c.proxy().type(), NetworkProxy::HttpProxy);
}

TEST_F(Connect, NoProxyIsServed) {
    auto& c = make();
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
    ASSERT_TRUE(net.addHost("srv", {HostAddress("10.0.0.2")}));
    ASSERT_TRUE(net.setCurrentHost("srv"));
    TcpServer wrong(net);  // listens on "srv", but adopts on whatever host is current later
    ASSERT_TRUE(wrong.listen(HostAddress("10.0.0.2"), 8080));
    ASSERT_TRUE(net.setCurrentHost("local"));
    std::vector<SocketError> errors;
    wrong.acceptError.connect([&](SocketError e) { errors.push_back(e); });
    auto& c = make();
    c.connectToHost("10.0.0.2", 8080);
    runFor(100);
    EXPECT_EQ(errors, (std::vector<SocketError>{SocketError::UnsupportedSocketOperationError}));
    EXPECT_FALSE(wrong.hasPendingConnections());
}

}  // namespace
}  // namespace simsock::testing
