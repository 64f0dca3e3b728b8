// One test per SocketError the simulated network can cause, each through the fault that causes it.
// The errors it cannot cause (proxy, SSL, engine-internal) are set through the protected API.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;
using sim::FaultSpec;
using sim::FaultTrigger;

class Errors : public SimFixture {};

const Events kLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                              "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};

Events with(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST_F(Errors, SocketAccessErrorOnAPrivilegedPort) {
    auto& c = make();
    EXPECT_FALSE(c.bind(HostAddress("127.0.0.1"), 80));
    EXPECT_EQ(events(), (Events{"bind{errorOccurred(SocketAccessError)}"}));
    net.setHostPrivileged("local", true);
    EXPECT_TRUE(c.bind(HostAddress("127.0.0.1"), 80));
}

TEST_F(Errors, SocketResourceErrorWhenDescriptorsRunOut) {
    net.injectFault(FaultSpec::descriptorExhaustion("local"));
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(events(), with(kLiteralStart, {"connectToHost{stateChanged(UnconnectedState)}",
                                             "connectToHost{errorOccurred(SocketResourceError)}"}));
}

TEST_F(Errors, SocketTimeoutErrorWhenSynsAreDropped) {
    net.injectFault(FaultSpec::dropSyn("local", kPort));
    auto& c = make();
    c.setConnectTimeoutMs(1000);
    auto t0 = net.loop().nowNs();
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(SocketTimeoutError)"}));
    // One address, tried twice, each attempt with its own 1 s timer.
    EXPECT_EQ(net.loop().nowNs() - t0, 2'000'000'000);
}

TEST_F(Errors, DefaultConnectTimeoutIsThirtySecondsPerAttempt) {
    net.injectFault(FaultSpec::dropSyn("local", kPort));
    auto& c = make();
    auto t0 = net.loop().nowNs();
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(net.loop().nowNs() - t0, 60'000'000'000);
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
}

TEST_F(Errors, WaitForConnectedTimeoutEmitsNoError) {
    net.injectFault(FaultSpec::dropSyn("local", kPort));
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_FALSE(c.waitForConnected(500));
    EXPECT_EQ(events(), with(kLiteralStart, {"waitForConnected{stateChanged(UnconnectedState)}"}));
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
    runFor(120'000);
    EXPECT_EQ(events().size(), 4u);  // the abandoned attempt stays silent
}

TEST_F(Errors, NetworkErrorFromAnOsLevelConnectTimeout) {
    net.injectFault(FaultSpec::connectTimeout("local", kPort, 100'000'000));
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(NetworkError)"}));
}

TEST_F(Errors, NetworkErrorInsideTheCallWhenTheNetworkIsUnreachable) {
    auto& c = make();
    c.connectToHost("10.200.0.1", kPort);
    EXPECT_EQ(events(), with(kLiteralStart, {"connectToHost{stateChanged(UnconnectedState)}",
                                             "connectToHost{errorOccurred(NetworkError)}"}));
    EXPECT_EQ(c.errorString(), "Network unreachable");
}

TEST_F(Errors, NetworkErrorWhenTheHostIsUnreachable) {
    ASSERT_TRUE(net.addHost("far", {HostAddress("10.0.0.2")}));
    net.injectFault(FaultSpec::hostUnreachable("far", 50'000'000));
    auto& c = make();
    c.connectToHost("10.0.0.2", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(NetworkError)"}));
    EXPECT_EQ(c.errorString(), "Host unreachable");
}

TEST_F(Errors, AddressInUseErrorFromAReservedPort) {
    net.injectFault(FaultSpec::addressInUse("local", 9600));
    auto& c = make();
    EXPECT_FALSE(c.bind(HostAddress("127.0.0.1"), 9600));
    EXPECT_EQ(events(), (Events{"bind{errorOccurred(AddressInUseError)}"}));
}

TEST_F(Errors, SocketAddressNotAvailableError) {
    auto& c = make();
    EXPECT_FALSE(c.bind(HostAddress("10.99.0.1"), 0));
    EXPECT_EQ(events(), (Events{"bind{errorOccurred(SocketAddressNotAvailableError)}"}));
}

TEST_F(Errors, HostNotFoundErrorFromALookupFailure) {
    net.dns().setRecord("db.example", {HostAddress("127.0.0.1")});
    net.injectFault(FaultSpec::lookupFailure("db.example"));
    auto& c = make();
    c.connectToHost("db.example", kPort);
    runFor(100);
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                "errorOccurred(HostNotFoundError)"}));
}

TEST_F(Errors, RemoteHostClosedErrorFromAPeerCloseFault) {
    net.injectFault(FaultSpec::closeConnection("local", kPort), FaultTrigger::onAccept("local", kPort));
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()",
                                     "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                     "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
}

TEST_F(Errors, RemoteHostClosedErrorFromAPeerResetFault) {
    net.injectFault(FaultSpec::resetConnection("local", kPort), FaultTrigger::onAccept("local", kPort));
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()",
                                     "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                     "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
}

TEST_F(Errors, DatagramTooLargeErrorBelowTheProtocolLimitFromAFault) {
    net.injectFault(FaultSpec::datagramLimit("local", 1000));
    auto& u = make<UdpSocket>("u");
    EXPECT_EQ(u.writeDatagram(std::string(1000, 'a'), HostAddress("127.0.0.1"), 9100), 1000);
    EXPECT_EQ(u.writeDatagram(std::string(1001, 'a'), HostAddress("127.0.0.1"), 9100), -1);
    EXPECT_EQ(events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(1000)}",
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
    auto& s = make<ExposedSocket>("x");
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
    EXPECT_TRUE(events("x").empty());  // setting an error emits nothing
    s.setSocketState(S::ListeningState);
    EXPECT_EQ(events("x"), (Events{"stateChanged(ListeningState)"}));
    EXPECT_EQ(s.state(), S::ListeningState);
}

}  // namespace
}  // namespace simsock::testing
