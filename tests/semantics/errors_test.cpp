// One test per SocketError the simulated network can cause, each through the fault that causes it.
// The proxy errors are caused in tests/proxy/; those no network here causes (SSL, engine-internal,
// ProxyConnectionTimeoutError, which Qt never reports either) are set through the protected API.
// Written with the GoogleTest kit (<simsock/testing.h>): each fault is one of its calls.
#include <gtest/gtest.h>

#include <string>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using S = SocketState;

constexpr std::uint16_t kPort = 5000;

/// A network (seed 42) whose host "local" has a server listening on 127.0.0.1:5000.
class Errors : public ::testing::Test {
protected:
    void SetUp() override { net.listen("server", "local", HostAddress("127.0.0.1"), kPort); }

    SimNet net{42};
};

const Events kLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                              "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};

Events with(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST_F(Errors, SocketAccessErrorOnAPrivilegedPort) {
    auto& c = net.tcpSocket("c");
    EXPECT_FALSE(c.bind(HostAddress("127.0.0.1"), 80));
    EXPECT_EQ(net.events("c"), (Events{"bind{errorOccurred(SocketAccessError)}"}));
    net.network().setHostPrivileged("local", true);
    EXPECT_TRUE(c.bind(HostAddress("127.0.0.1"), 80));
}

TEST_F(Errors, SocketResourceErrorWhenDescriptorsRunOut) {
    net.exhaustDescriptors("local");
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"connectToHost{stateChanged(UnconnectedState)}",
                                             "connectToHost{errorOccurred(SocketResourceError)}"}));
}

TEST_F(Errors, SocketTimeoutErrorWhenSynsAreDropped) {
    net.dropSyn("local", kPort);
    auto& c = net.tcpSocket("c");
    c.setConnectTimeoutMs(1000);
    auto t0 = net.nowNs();
    c.connectToHost("127.0.0.1", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.events("c"),
              with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(SocketTimeoutError)"}));
    // One address, tried twice, each attempt with its own 1 s timer.
    EXPECT_EQ(net.nowNs() - t0, 2'000'000'000);
}

TEST_F(Errors, DefaultConnectTimeoutIsThirtySecondsPerAttempt) {
    net.dropSyn("local", kPort);
    auto& c = net.tcpSocket("c");
    auto t0 = net.nowNs();
    c.connectToHost("127.0.0.1", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.nowNs() - t0, 60'000'000'000);
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
}

TEST_F(Errors, WaitForConnectedTimeoutEmitsNoError) {
    net.dropSyn("local", kPort);
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_FALSE(c.waitForConnected(500));
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"waitForConnected{stateChanged(UnconnectedState)}"}));
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
    net.advance(120'000);
    EXPECT_EQ(net.events("c").size(), 4u);  // the abandoned attempt stays silent
}

TEST_F(Errors, NetworkErrorFromAnOsLevelConnectTimeout) {
    net.inject(sim::FaultKind::ConnectTimeout, FaultArgs().host("local").port(kPort).delayMs(100));
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(NetworkError)"}));
}

TEST_F(Errors, NetworkErrorInsideTheCallWhenTheNetworkIsUnreachable) {
    auto& c = net.tcpSocket("c");
    c.connectToHost("10.200.0.1", kPort);
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"connectToHost{stateChanged(UnconnectedState)}",
                                                    "connectToHost{errorOccurred(NetworkError)}"}));
    EXPECT_EQ(c.errorString(), "Network unreachable");
}

TEST_F(Errors, NetworkErrorWhenTheHostIsUnreachable) {
    net.addHost("far", "10.0.0.2");
    net.inject("host-unreachable", FaultArgs().host("far").delayMs(50));
    auto& c = net.tcpSocket("c");
    c.connectToHost("10.0.0.2", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(NetworkError)"}));
    EXPECT_EQ(c.errorString(), "Host unreachable");
}

TEST_F(Errors, AddressInUseErrorFromAReservedPort) {
    net.addressInUse("local", 9600);
    auto& c = net.tcpSocket("c");
    EXPECT_FALSE(c.bind(HostAddress("127.0.0.1"), 9600));
    EXPECT_EQ(net.events("c"), (Events{"bind{errorOccurred(AddressInUseError)}"}));
}

TEST_F(Errors, SocketAddressNotAvailableError) {
    auto& c = net.tcpSocket("c");
    EXPECT_FALSE(c.bind(HostAddress("10.99.0.1"), 0));
    EXPECT_EQ(net.events("c"), (Events{"bind{errorOccurred(SocketAddressNotAvailableError)}"}));
}

TEST_F(Errors, HostNotFoundErrorFromALookupFailure) {
    net.network().dns().setRecord("db.example", {HostAddress("127.0.0.1")});
    net.lookupFailure("db.example");
    auto& c = net.tcpSocket("c");
    c.connectToHost("db.example", kPort);
    net.advance(100);
    EXPECT_EQ(net.events("c"), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                       "errorOccurred(HostNotFoundError)"}));
}

TEST_F(Errors, RemoteHostClosedErrorFromAPeerCloseFault) {
    net.closeOnAccept("local", kPort);
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.trace().eventsFrom(3, "c"),
              (Events{"stateChanged(ConnectedState)", "connected()", "errorOccurred(RemoteHostClosedError)",
                      "stateChanged(ClosingState)", "stateChanged(UnconnectedState)", "readChannelFinished()",
                      "disconnected()"}));
}

TEST_F(Errors, RemoteHostClosedErrorFromAPeerResetFault) {
    net.resetOnAccept("local", kPort);
    auto& c = net.tcpSocket("c");
    c.connectToHost("127.0.0.1", kPort);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(net.trace().eventsFrom(3, "c"),
              (Events{"stateChanged(ConnectedState)", "connected()", "errorOccurred(RemoteHostClosedError)",
                      "stateChanged(ClosingState)", "stateChanged(UnconnectedState)", "readChannelFinished()",
                      "disconnected()"}));
}

TEST_F(Errors, DatagramTooLargeErrorBelowTheProtocolLimitFromAFault) {
    net.datagramLimit("local", 1000);
    auto& u = net.udpSocket("u");
    EXPECT_EQ(u.writeDatagram(std::string(1000, 'a'), HostAddress("127.0.0.1"), 9100), 1000);
    EXPECT_EQ(u.writeDatagram(std::string(1001, 'a'), HostAddress("127.0.0.1"), 9100), -1);
    EXPECT_EQ(net.events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(1000)}",
                                   "writeDatagram{errorOccurred(DatagramTooLargeError)}"}));
}

// The errors no network can cause here: set through the protected API, and readable back.
class ExposedSocket : public TcpSocket {
public:
    using TcpSocket::TcpSocket;
    using AbstractSocket::setErrorString;
    using AbstractSocket::setSocketError;
    using AbstractSocket::setSocketState;
};

TEST_F(Errors, ErrorsNoNetworkCanCauseAreSettable) {
    auto& s = net.socket<ExposedSocket>("x");
    for (auto e : {SocketError::ProxyAuthenticationRequiredError, SocketError::SslHandshakeFailedError,
                   SocketError::UnfinishedSocketOperationError, SocketError::ProxyConnectionRefusedError,
                   SocketError::ProxyConnectionClosedError, SocketError::ProxyConnectionTimeoutError,
                   SocketError::ProxyProtocolError, SocketError::SslInternalError,
                   SocketError::SslInvalidUserDataError}) {
        s.setSocketError(e);
        EXPECT_EQ(s.error(), e);
    }
    s.setErrorString("custom");
    EXPECT_EQ(s.errorString(), "custom");
    EXPECT_TRUE(net.events("x").empty());  // setting an error emits nothing
    s.setSocketState(S::ListeningState);
    EXPECT_EQ(net.events("x"), (Events{"stateChanged(ListeningState)"}));
    EXPECT_EQ(s.state(), S::ListeningState);
}

}  // namespace
}  // namespace simsock::testing
