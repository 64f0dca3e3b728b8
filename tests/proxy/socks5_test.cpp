// SOCKS5 through a scripted fake proxy on the sim (PROXY-SEMANTICS §2-§10): the bytes Qt sends, the
// hidden handshake, the §6 error table, the retry counts, authentication, and the tunnel.
#include "proxy_fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

// Greeting and the target 127.0.0.1:5000 by address.
const std::string kGreeting = bytes({0x05, 0x01, 0x00});
const std::string kRequest = bytes({0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x13, 0x88});
const std::string kMethodNone = bytes({0x05, 0x00});
const std::string kSuccess = bytes({0x05, 0x00, 0x00, 0x01, 192, 0, 2, 1, 0x03, 0xE8});  // BND 192.0.2.1:1000

std::string reply(int code) { return bytes({0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0}); }

class Socks5 : public ProxyFixture {
protected:
    void SetUp() override { ASSERT_TRUE(proxy.listening()); }
    /// The script of a proxy that accepts and answers the CONNECT by address with `answer`.
    void answerConnect(const std::string& answer) {
        proxy.setScript({{3, kMethodNone}, {3 + kRequest.size(), answer}});
    }
};

TEST_F(Socks5, ByAddressTheTraceIsTheDirectOneAndConnectedComesAfterTheHandshake) {
    answerConnect(kSuccess);
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    EXPECT_EQ(events(), kByAddressCall);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), kGreeting + kRequest);
    EXPECT_EQ(c.peerAddress(), HostAddress("127.0.0.1"));
    EXPECT_EQ(c.peerPort(), kTargetPort);
    EXPECT_EQ(c.peerName(), "127.0.0.1");
    EXPECT_EQ(c.localAddress(), HostAddress("192.0.2.1"));  // BND.ADDR, whatever it is
    EXPECT_EQ(c.localPort(), 1000);
    EXPECT_NE(c.socketDescriptor(), -1);
    EXPECT_TRUE(c.isValid());
}

TEST_F(Socks5, ByNameTheProxyResolvesAndThereIsNoHostFound) {
    const std::string name = "nonexistent.invalid";
    std::string request = bytes({0x05, 0x01, 0x00, 0x03, static_cast<int>(name.size())}) + name + bytes({0x13, 0x88});
    proxy.setScript({{3, kMethodNone}, {3 + request.size(), kSuccess}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost(name, kTargetPort);
    EXPECT_EQ(events(), kByNameCall);
    EXPECT_EQ(c.state(), S::ConnectingState);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(2), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.received(), kGreeting + request);
    EXPECT_TRUE(c.peerAddress().isNull());
    EXPECT_EQ(c.peerName(), name);
    EXPECT_EQ(c.peerPort(), kTargetPort);
}

TEST_F(Socks5, AMethodAnswerIn100msPiecesIsReassembled) {
    proxy.setScript({{3, bytes({0x05}), false, 100}, {3, bytes({0x00}), false, 100}, {3 + kRequest.size(), kSuccess}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
}

TEST_F(Socks5, ProxyPortClosedIsProxyConnectionRefused) {
    auto& c = make();
    c.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", kProxyPort + 1));
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyConnectionRefusedError)"}));
    EXPECT_EQ(c.errorString(), "Connection to proxy refused");
}

TEST_F(Socks5, ProxyHostNotFound) {
    auto& c = make();
    c.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "proxy.invalid", kProxyPort));
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyNotFoundError)"}));
    EXPECT_EQ(c.errorString(), "Proxy host not found");
}

TEST_F(Socks5, ClosingOnAcceptAfterTheGreetingOrAfterTheRequestIsProxyConnectionClosed) {
    for (std::vector<ProxyStep> script : {std::vector<ProxyStep>{{0, "", true}},
                                          std::vector<ProxyStep>{{3, "", true}},
                                          std::vector<ProxyStep>{{3, kMethodNone}, {3 + kRequest.size(), "", true}}}) {
        FakeProxy p(net, 0);
        p.setScript(script);
        trace.clear();
        auto& c = make();
        c.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", p.port()));
        c.connectToHost("127.0.0.1", kTargetPort);
        runUntil([&] { return c.state() == S::UnconnectedState; });
        EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyConnectionClosedError)"}));
        EXPECT_EQ(c.errorString(), "Connection to proxy closed prematurely");
        EXPECT_EQ(p.connections(), 1u);
    }
}

TEST_F(Socks5, AWrongVersionByteIsAProtocolErrorWithoutRetry) {
    proxy.setScript({{3, bytes({0x04, 0x00})}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyProtocolError)"}));
    EXPECT_EQ(c.errorString(), "SOCKS version 5 protocol error");
    EXPECT_EQ(proxy.connections(), 1u);
}

TEST_F(Socks5, AMethodNotOfferedIsSocketAccessErrorRetriedOnce) {
    proxy.setScript({{3, bytes({0x05, 0x02})}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(SocketAccessError)"}));
    EXPECT_EQ(c.errorString(), "Proxy authentication failed: Socks5 host did not support authentication method.");
    EXPECT_EQ(proxy.connections(), 2u);
}

TEST_F(Socks5, ByNameGeneralFailureAndNotAllowedAreHostNotFoundWithoutRetry) {
    for (int code : {0x01, 0x02, 0x04}) {
        FakeProxy p(net, 0);
        p.setScript({{3, kMethodNone}, {3 + 5 + 7 + 2, reply(code)}});
        trace.clear();
        auto& c = make();
        c.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", p.port()));
        c.connectToHost("example.org", kTargetPort);
        runUntil([&] { return c.state() == S::UnconnectedState; });
        EXPECT_EQ(eventsFrom(2), (Events{"stateChanged(UnconnectedState)", "errorOccurred(HostNotFoundError)"}));
        EXPECT_EQ(c.errorString(), "Host not found");
        EXPECT_EQ(p.connections(), 1u);
    }
}

TEST_F(Socks5, ByNameRefusedIsConnectionRefused) {
    proxy.setScript({{3, kMethodNone}, {3 + 5 + 7 + 2, reply(0x05)}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("example.org", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(2), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(proxy.connections(), 1u);
}

// §7: the greeting answered 0xFF, the handler asked with a null authenticator.
TEST_F(Socks5, NeedsAuthAndTheHandlerGivesNothing) {
    proxy.setScript({{3, bytes({0x05, 0xFF})}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    int asked = 0;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy& p, Authenticator* a) {
        ++asked;
        EXPECT_TRUE(a->isNull());
        EXPECT_EQ(a->realm(), "");
        EXPECT_EQ(p.type(), NetworkProxy::Socks5Proxy);
        EXPECT_EQ(c.state(), S::ConnectingState);
    });
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(UnconnectedState)",
                                     "errorOccurred(ProxyAuthenticationRequiredError)"}));
    EXPECT_EQ(c.errorString(), "Proxy authentication failed");
    EXPECT_EQ(proxy.connections(), 1u);
}

TEST_F(Socks5, CredentialsFromTheHandlerGoOutOnANewConnection) {
    const std::string subneg = bytes({0x01, 1, 'u', 1, 'p'});
    proxy.setScriptFor(0, {{3, bytes({0x05, 0xFF})}});
    proxy.setScriptFor(1, {{3, bytes({0x05, 0x02})}, {3 + 5, bytes({0x01, 0x00})}, {3 + 5 + kRequest.size(), kSuccess}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy&, Authenticator* a) {
        a->setUser("u");
        a->setPassword("p");
    });
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(ConnectedState)", "connected()"}));
    ASSERT_EQ(proxy.connections(), 2u);
    EXPECT_EQ(proxy.received(0), kGreeting);
    EXPECT_EQ(proxy.received(1), bytes({0x05, 0x01, 0x02}) + subneg + kRequest);
    EXPECT_EQ(c.proxy().user(), "");  // not written back into the socket's proxy
}

TEST_F(Socks5, CorrectCredentialsInTheProxyConnectSilently) {
    proxy.setScript({{3, bytes({0x05, 0x02})}, {3 + 5, bytes({0x01, 0x00})}, {3 + 5 + kRequest.size(), kSuccess}});
    auto& c = client(NetworkProxy::Socks5Proxy, "u", "p");
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.received(), bytes({0x05, 0x01, 0x02, 0x01, 1, 'u', 1, 'p'}) + kRequest);
}

TEST_F(Socks5, RejectedCredentialsAskTheHandlerWithANullAuthenticator) {
    proxy.setScript({{3, bytes({0x05, 0x02})}, {3 + 5, bytes({0x01, 0x01})}});
    auto& c = client(NetworkProxy::Socks5Proxy, "u", "wrong");
    bool wasNull = false;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy& p, Authenticator* a) {
        wasNull = a->isNull();
        EXPECT_EQ(p.password(), "wrong");
    });
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_TRUE(wasNull);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(UnconnectedState)",
                                     "errorOccurred(ProxyAuthenticationRequiredError)"}));
    EXPECT_EQ(proxy.connections(), 1u);
}

// §8: a proxy that accepts and never answers.
TEST_F(Socks5, ASilentProxyTimesOutAfterTwoAttemptsOf30Seconds) {
    auto& c = client(NetworkProxy::Socks5Proxy);
    const auto start = net.loop().nowNs();
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; }, 200'000);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(SocketTimeoutError)"}));
    EXPECT_EQ(c.errorString(), "Connection timed out");
    EXPECT_EQ((net.loop().nowNs() - start) / 1'000'000'000, 60);
    EXPECT_EQ(proxy.connections(), 2u);
}

TEST_F(Socks5, WaitForConnectedAgainstASilentProxyEmitsNoError) {
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    EXPECT_FALSE(c.waitForConnected(5000));
    EXPECT_EQ(eventsFrom(3), (Events{"waitForConnected{stateChanged(UnconnectedState)}"}));
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
    EXPECT_EQ(c.errorString(), "Socket operation timed out");
    // The second attempt was started and dropped at once, but its SYN had left (abort does not take back a
    // SYN on the wire), so the proxy saw a second connection, as PROXY-SEMANTICS §8 observed.
    runFor(100);
    EXPECT_EQ(proxy.connections(), 2u);
    EXPECT_EQ(events().size(), 4u);
}

TEST_F(Socks5, WaitForConnectedDrivesTheHandshake) {
    answerConnect(kSuccess);
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    EXPECT_TRUE(c.waitForConnected(5000));
    EXPECT_EQ(eventsFrom(3), (Events{"waitForConnected{stateChanged(ConnectedState)}", "waitForConnected{connected()}"}));
}

// §9
TEST_F(Socks5, AbortBeforeAndDuringTheHandshake) {
    for (std::int64_t ms : {0, 50}) {
        FakeProxy p(net, 0);
        trace.clear();
        auto& c = make();
        c.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", p.port()));
        c.connectToHost("127.0.0.1", kTargetPort);
        runFor(ms);
        c.abort();
        EXPECT_EQ(eventsFrom(3), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                         "abort{readChannelFinished()}"}));
        EXPECT_FALSE(c.isOpen());
        EXPECT_EQ(c.error(), SocketError::UnknownSocketError);
        runFor(100);
        EXPECT_EQ(events().size(), 6u);
    }
}

TEST_F(Socks5, DisconnectDuringTheHandshakeClosesAfterConnected) {
    answerConnect(kSuccess);
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    c.disconnectFromHost();
    EXPECT_EQ(events().size(), 3u);
    EXPECT_EQ(c.state(), S::ConnectingState);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "stateChanged(ClosingState)",
                                     "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.error(), SocketError::UnknownSocketError);
    EXPECT_TRUE(c.isOpen());
}

// §10
TEST_F(Socks5, TheTunnelCarriesDataBothWaysAndTheTargetsClose) {
    answerConnect(kSuccess + "early");
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.bytesAvailable() == 5; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "readyRead(5)"}));
    EXPECT_EQ(c.readAll(), "early");
    trace.clear();
    EXPECT_EQ(c.write("ping"), 4);
    runUntil([&] { return proxy.received().size() == kGreeting.size() + kRequest.size() + 4; });
    EXPECT_EQ(proxy.received().substr(kGreeting.size() + kRequest.size()), "ping");
    proxy.socket().write("pong");
    runUntil([&] { return c.bytesAvailable() == 4; });
    EXPECT_EQ(events(), (Events{"bytesWritten(4)", "readyRead(4)"}));
    EXPECT_EQ(c.readAll(), "pong");
    trace.clear();
    proxy.socket().disconnectFromHost();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.errorString(), "Remote host closed connection###");
    EXPECT_TRUE(c.isOpen());
}

TEST_F(Socks5, DisconnectOnceConnectedIsSynchronous) {
    answerConnect(kSuccess);
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::ConnectedState; });
    trace.clear();
    c.disconnectFromHost();
    EXPECT_EQ(events(), (Events{"disconnectFromHost{stateChanged(ClosingState)}",
                                "disconnectFromHost{stateChanged(UnconnectedState)}",
                                "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"}));
}

TEST_F(Socks5, BlockingWaitsOnceConnectedEmitInsideThemselves) {
    answerConnect(kSuccess);
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    ASSERT_TRUE(c.waitForConnected(5000));
    trace.clear();
    c.write("abc");
    EXPECT_TRUE(c.waitForBytesWritten(5000));
    EXPECT_EQ(events(), (Events{"waitForBytesWritten{bytesWritten(3)}"}));
    runFor(10);
    proxy.socket().write("xyz");
    trace.clear();
    EXPECT_TRUE(c.waitForReadyRead(5000));
    EXPECT_EQ(events(), (Events{"waitForReadyRead{readyRead(3)}"}));
}

// §6 by address: every reply code, its error and string; non-Proxy errors are retried once (§5).
struct ReplyRow {
    int code;
    const char* error;
    const char* text;
};

class Socks5Reply : public Socks5, public ::testing::WithParamInterface<ReplyRow> {};

TEST_P(Socks5Reply, ByAddressFailsAfterTwoProxyConnections) {
    const ReplyRow row = GetParam();
    answerConnect(reply(row.code));
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", std::string("errorOccurred(") + row.error + ")"}));
    EXPECT_EQ(c.errorString(), row.text);
    EXPECT_EQ(proxy.connections(), 2u);
    EXPECT_EQ(proxy.received(1), kGreeting + kRequest);
    EXPECT_TRUE(c.isOpen());
    EXPECT_FALSE(c.isValid());
}

INSTANTIATE_TEST_SUITE_P(
    Table, Socks5Reply,
    ::testing::Values(ReplyRow{0x01, "NetworkError", "General SOCKSv5 server failure"},
                      ReplyRow{0x02, "SocketAccessError", "Connection not allowed by SOCKSv5 server"},
                      ReplyRow{0x03, "NetworkError", "Network unreachable"},
                      ReplyRow{0x04, "HostNotFoundError", "Host not found"},
                      ReplyRow{0x05, "ConnectionRefusedError", "Connection refused"},
                      ReplyRow{0x06, "NetworkError", "TTL expired"},
                      ReplyRow{0x07, "UnsupportedSocketOperationError", "SOCKSv5 command not supported"},
                      ReplyRow{0x08, "UnsupportedSocketOperationError", "Address type not supported"},
                      ReplyRow{0x09, "UnknownSocketError", "Unknown SOCKSv5 proxy error code 0x               9"}));

}  // namespace
}  // namespace simsock::testing
