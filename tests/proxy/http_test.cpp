// HTTP CONNECT through a scripted fake proxy on the sim (PROXY-SEMANTICS §4-§7): the exact request, the
// status table, 407 with and without a challenge, keep-alive versus close retries, Basic credentials and
// the silent retry with the proxy's own credentials.
#include "proxy_fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

const std::string kHttpRequest =
    "CONNECT 127.0.0.1:5000 HTTP/1.1\r\nProxy-Connection: keep-alive\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0\r\n\r\n";
// base64("u:p")
const std::string kHttpAuthRequest =
    "CONNECT 127.0.0.1:5000 HTTP/1.1\r\nProxy-Connection: keep-alive\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0\r\n"
    "Proxy-Authorization: Basic dTpw\r\n\r\n";
const std::string kHttpOk = "HTTP/1.1 200 Connection established\r\n\r\n";
const std::string kHttp407 = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\n"
                         "Content-Length: 4\r\n\r\nbody";
const std::string kHttp407Close = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\n"
                              "Connection: close\r\n\r\n";

class Http : public ProxyFixture {
protected:
    void SetUp() override { ASSERT_TRUE(proxy.listening()); }
    TcpSocket& connectByAddress(const std::string& user = {}, const std::string& password = {}) {
        auto& c = client(NetworkProxy::HttpProxy, user, password);
        c.connectToHost("127.0.0.1", kTargetPort);
        return c;
    }
};

TEST_F(Http, TwoHundredOpensTheTunnelWithTheDirectTrace) {
    proxy.setScript({{kHttpRequest.size(), kHttpOk}});
    auto& c = connectByAddress();
    EXPECT_EQ(events(), kByAddressCall);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.received(), kHttpRequest);
    EXPECT_EQ(c.peerAddress(), HostAddress("127.0.0.1"));
    EXPECT_EQ(c.localAddress(), HostAddress("127.0.0.1"));  // the proxy connection's local end
    EXPECT_EQ(c.localPort(), proxy.socket().peerPort());
}

TEST_F(Http, ByNameTheRequestCarriesTheNameAndHostHasNoPort) {
    const std::string request = "CONNECT nonexistent.invalid:5000 HTTP/1.1\r\nProxy-Connection: keep-alive\r\n"
                                "Host: nonexistent.invalid\r\nUser-Agent: Mozilla/5.0\r\n\r\n";
    proxy.setScript({{request.size(), kHttpOk}});
    auto& c = client(NetworkProxy::HttpProxy);
    c.connectToHost("nonexistent.invalid", kTargetPort);
    EXPECT_EQ(events(), kByNameCall);
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(2), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.received(), request);
    EXPECT_TRUE(c.peerAddress().isNull());
}

TEST_F(Http, CredentialsAreNeverSentBeforeThe407) {
    proxy.setScript({{kHttpRequest.size(), kHttpOk}});
    auto& c = connectByAddress("u", "p");
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(proxy.received(), kHttpRequest);
}

struct StatusRow {
    int status;
    const char* error;
    const char* text;
    std::size_t connections;
};

class HttpStatus : public Http, public ::testing::WithParamInterface<StatusRow> {};

TEST_P(HttpStatus, FinalStatusesMapToQtsErrors) {
    const StatusRow row = GetParam();
    proxy.setScript({{kHttpRequest.size(), "HTTP/1.1 " + std::to_string(row.status) + " Whatever\r\n\r\n"}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", std::string("errorOccurred(") + row.error + ")"}));
    EXPECT_EQ(c.errorString(), row.text);
    EXPECT_EQ(proxy.connections(), row.connections);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HttpStatus,
    ::testing::Values(StatusRow{403, "SocketAccessError", "Proxy denied connection", 2},
                      StatusRow{405, "SocketAccessError", "Proxy denied connection", 2},
                      StatusRow{404, "HostNotFoundError", "Host not found", 2},
                      StatusRow{503, "ConnectionRefusedError", "Connection refused", 2},
                      StatusRow{401, "ProxyProtocolError", "Error communicating with HTTP proxy", 1},
                      StatusRow{500, "ProxyProtocolError", "Error communicating with HTTP proxy", 1},
                      StatusRow{502, "ProxyProtocolError", "Error communicating with HTTP proxy", 1}));

TEST_F(Http, GarbageIsNoHttpResponse) {
    proxy.setScript({{kHttpRequest.size(), "SSH-2.0-OpenSSH_9.2\r\n"}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyProtocolError)"}));
    EXPECT_EQ(c.errorString(), "Did not receive HTTP response from proxy");
}

TEST_F(Http, AHeadOverTheLimitIsNoHttpResponse) {
    proxy.setScript({{kHttpRequest.size(), "HTTP/1.1 200 OK\r\nX: " + std::string(1024 * 1024, 'x') + "\r\n\r\n"}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(c.error(), SocketError::ProxyProtocolError);
    EXPECT_EQ(c.errorString(), "Did not receive HTTP response from proxy");
}

TEST_F(Http, AKeptAlive407WithAnOversizedBodyIsAProtocolError) {
    proxy.setScript({{kHttpRequest.size(), "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                                           "realm=\"fake\"\r\nContent-Length: 99999999999999999999\r\n\r\n"}});
    auto& c = connectByAddress();
    int asked = 0;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy&, Authenticator*) { ++asked; });
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(asked, 0);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyProtocolError)"}));
    EXPECT_EQ(c.errorString(), "Error communicating with HTTP proxy");
}

TEST_F(Http, ClosedPrematurely) {
    proxy.setScript({{kHttpRequest.size(), "", true}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyConnectionClosedError)"}));
    EXPECT_EQ(c.errorString(), "Proxy connection closed prematurely");
    EXPECT_EQ(proxy.connections(), 1u);
}

TEST_F(Http, ProxyPortClosedAndProxyNotFound) {
    auto& c = make();
    c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "127.0.0.1", kProxyPort + 1));
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(c.error(), SocketError::ProxyConnectionRefusedError);
    EXPECT_EQ(c.errorString(), "Proxy connection refused");
    c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "proxy.invalid", kProxyPort));
    c.connectToHost("127.0.0.1", kTargetPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(c.error(), SocketError::ProxyNotFoundError);
    EXPECT_EQ(c.errorString(), "Proxy server not found");
}

TEST_F(Http, A407WithoutChallengeIsAParseError) {
    proxy.setScript({{kHttpRequest.size(), "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyProtocolError)"}));
    EXPECT_EQ(c.errorString(), "Error parsing authentication request from proxy");
}

TEST_F(Http, A407AsksTheHandlerWithTheRealmAndAnEmptyAnswerFails) {
    proxy.setScript({{kHttpRequest.size(), kHttp407}});
    auto& c = connectByAddress();
    int asked = 0;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy& p, Authenticator* a) {
        ++asked;
        EXPECT_FALSE(a->isNull());
        EXPECT_EQ(a->realm(), "fake");
        EXPECT_EQ(a->user(), "");
        EXPECT_EQ(p.type(), NetworkProxy::HttpProxy);
    });
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(UnconnectedState)",
                                     "errorOccurred(ProxyAuthenticationRequiredError)"}));
    EXPECT_EQ(c.errorString(), "Authentication required");
    EXPECT_EQ(proxy.connections(), 1u);
}

TEST_F(Http, AKeptAlive407IsRetriedOnTheSameConnection) {
    proxy.setScript({{kHttpRequest.size(), kHttp407}, {kHttpRequest.size() + kHttpAuthRequest.size(), kHttpOk}});
    auto& c = connectByAddress();
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy&, Authenticator* a) {
        a->setUser("u");
        a->setPassword("p");
    });
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), kHttpRequest + kHttpAuthRequest);
}

TEST_F(Http, AClosing407IsRetriedOnANewConnection) {
    int round = 0;
    for (const std::string& answer : {kHttp407Close, std::string("HTTP/1.0 407 Proxy Authentication Required\r\n"
                                                             "Proxy-Authenticate: Basic realm=\"fake\"\r\n\r\n")}) {
        const std::string name = "c" + std::to_string(round++);
        FakeProxy p(net, 0);
        p.setScriptFor(0, {{kHttpRequest.size(), answer, true}});
        p.setScriptFor(1, {{kHttpAuthRequest.size(), kHttpOk}});
        auto& c = make(name);
        c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "127.0.0.1", p.port()));
        c.proxyAuthenticationRequired.connect([&](const NetworkProxy&, Authenticator* a) {
            a->setUser("u");
            a->setPassword("p");
        });
        c.connectToHost("127.0.0.1", kTargetPort);
        runUntil([&] { return c.state() != S::ConnectingState; });
        EXPECT_EQ(eventsFrom(3, name),
                  (Events{"proxyAuthenticationRequired()", "stateChanged(ConnectedState)", "connected()"}));
        ASSERT_EQ(p.connections(), 2u);
        EXPECT_EQ(p.received(0), kHttpRequest);
        EXPECT_EQ(p.received(1), kHttpAuthRequest);
    }
}

TEST_F(Http, TheProxysCredentialsGoOutSilentlyAfterTheFirst407) {
    proxy.setScript({{kHttpRequest.size(), kHttp407}, {kHttpRequest.size() + kHttpAuthRequest.size(), kHttpOk}});
    auto& c = connectByAddress("u", "p");
    runUntil([&] { return c.state() != S::ConnectingState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.received(), kHttpRequest + kHttpAuthRequest);
}

TEST_F(Http, RejectedProxyCredentialsAskTheHandlerOnce) {
    proxy.setScript({{kHttpRequest.size(), kHttp407}, {kHttpRequest.size() + kHttpAuthRequest.size(), kHttp407}});
    auto& c = connectByAddress("u", "p");
    int asked = 0;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy& p, Authenticator* a) {
        ++asked;
        EXPECT_EQ(p.user(), "u");
        EXPECT_EQ(a->user(), "");
        EXPECT_EQ(a->realm(), "fake");
    });
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(UnconnectedState)",
                                     "errorOccurred(ProxyAuthenticationRequiredError)"}));
}

TEST_F(Http, TheTargetsCloseThroughTheTunnel) {
    proxy.setScript({{kHttpRequest.size(), kHttpOk}});
    auto& c = connectByAddress();
    runUntil([&] { return c.state() == S::ConnectedState; });
    trace.clear();
    proxy.socket().disconnectFromHost();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.errorString(), "Remote host closed");
}

TEST_F(Http, ASilentProxyTimesOutAfter60Seconds) {
    auto& c = connectByAddress();
    const auto start = net.loop().nowNs();
    runUntil([&] { return c.state() == S::UnconnectedState; }, 200'000);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(SocketTimeoutError)"}));
    EXPECT_EQ((net.loop().nowNs() - start) / 1'000'000'000, 60);
    EXPECT_EQ(proxy.connections(), 2u);
}

}  // namespace
}  // namespace simsock::testing
