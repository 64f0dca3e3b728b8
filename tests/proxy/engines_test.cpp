// The proxy layer on every registered engine (sim and epoll): the same client code, the same scripted fake
// proxy (a TcpServer of the same backend on 127.0.0.1) and the same expected trace. Only the cases a real
// kernel runs quickly: no 30 s timeouts (those are asserted on the sim, socks5_test.cpp and http_test.cpp).
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "fake_proxy.h"
#include "simsock/engines.h"

namespace simsock::testing {
namespace {

using Events = std::vector<std::string>;
using S = SocketState;

const std::string kEngGreeting = bytes({0x05, 0x01, 0x00});
const std::string kEngSocksRequest = bytes({0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x13, 0x88});
const std::string kEngSocksOk = bytes({0x05, 0x00, 0x00, 0x01, 192, 0, 2, 1, 0x03, 0xE8});
const std::string kEngHttpRequest =
    "CONNECT 127.0.0.1:5000 HTTP/1.1\r\nProxy-Connection: keep-alive\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0\r\n\r\n";
const Events kEngByAddress{"connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                           "connectToHost{hostFound()}"};

std::unique_ptr<Backend> makeProxyBackend(const std::string& name) {
    auto backend = BackendRegistry::instance().create(name, BackendOptions{7});
    if (!backend) throw std::runtime_error("engine " + name + " is not registered");
    return backend;
}

class ProxyEngines : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override { ASSERT_TRUE(proxy.listening()); }
    void TearDown() override {
        recorders.clear();
        sockets.clear();
    }
    TcpSocket& client(NetworkProxy::ProxyType type, const std::string& user = {}, const std::string& password = {}) {
        auto s = std::make_unique<TcpSocket>(*backend);
        s->setObjectName("c");
        s->setProxy(NetworkProxy(type, "127.0.0.1", proxy.port(), user, password));
        auto& ref = *s;
        recorders.push_back(std::make_unique<TraceRecorder>(ref, trace));
        sockets.push_back(std::move(s));
        return ref;
    }
    void waitFor(const std::function<bool()>& pred) { ASSERT_TRUE(backend->loop().runUntil(pred, 5000)); }
    /// Connects c to 127.0.0.1:5000 through the proxy and waits until it leaves Connecting.
    void connectAndSettle(TcpSocket& c) {
        c.connectToHost("127.0.0.1", 5000);
        EXPECT_EQ(events(), kEngByAddress);
        waitFor([&] { return c.state() != S::ConnectingState; });
    }
    Events events() const { return trace.compact("c"); }
    Events eventsFrom(std::size_t from) const {
        auto all = events();
        return Events(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end());
    }

    std::unique_ptr<Backend> backend = makeProxyBackend(GetParam());
    FakeProxy proxy{*backend, 0};
    Trace trace;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

INSTANTIATE_TEST_SUITE_P(Engines, ProxyEngines, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(ProxyEngines, Socks5ConnectsAndCarriesDataThenTheTargetCloses) {
    proxy.setScript({{3, bytes({0x05, 0x00})}, {3 + kEngSocksRequest.size(), kEngSocksOk + "hi"}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    connectAndSettle(c);
    waitFor([&] { return c.bytesAvailable() == 2; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "readyRead(2)"}));
    EXPECT_EQ(proxy.received(), kEngGreeting + kEngSocksRequest);
    EXPECT_EQ(c.localAddress(), HostAddress("192.0.2.1"));
    EXPECT_EQ(c.localPort(), 1000);
    EXPECT_EQ(c.readAll(), "hi");
    trace.clear();
    proxy.socket().disconnectFromHost();
    waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.errorString(), "Remote host closed connection###");
}

TEST_P(ProxyEngines, Socks5RefusedIsRetriedOnceByAddress) {
    proxy.setScript({{3, bytes({0x05, 0x00})}, {3 + kEngSocksRequest.size(), bytes({0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0})}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(proxy.connections(), 2u);
}

TEST_P(ProxyEngines, Socks5NeedsAuthAndANewConnectionCarriesTheCredentials) {
    proxy.setScriptFor(0, {{3, bytes({0x05, 0xFF})}});
    proxy.setScriptFor(1, {{3, bytes({0x05, 0x02})}, {8, bytes({0x01, 0x00})}, {8 + kEngSocksRequest.size(), kEngSocksOk}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.proxyAuthenticationRequired.connect([](const NetworkProxy&, Authenticator* a) {
        a->setUser("u");
        a->setPassword("p");
    });
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(ConnectedState)", "connected()"}));
    ASSERT_EQ(proxy.connections(), 2u);
    EXPECT_EQ(proxy.received(1), bytes({0x05, 0x01, 0x02, 0x01, 1, 'u', 1, 'p'}) + kEngSocksRequest);
}

TEST_P(ProxyEngines, Socks5ProtocolErrorAndClosedPrematurely) {
    proxy.setScriptFor(0, {{3, bytes({0x04, 0x00})}});
    auto& c = client(NetworkProxy::Socks5Proxy);
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyProtocolError)"}));
    trace.clear();
    proxy.setScript({{3, "", true}});
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyConnectionClosedError)"}));
}

TEST_P(ProxyEngines, HttpConnectsAfterAKeptAlive407WithCredentials) {
    const std::string challenge = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\n"
                                  "Content-Length: 4\r\n\r\nbody";
    const std::string withAuth = kEngHttpRequest.substr(0, kEngHttpRequest.size() - 2) +
                                 "Proxy-Authorization: Basic dTpw\r\n\r\n";
    proxy.setScript({{kEngHttpRequest.size(), challenge},
                     {kEngHttpRequest.size() + withAuth.size(), "HTTP/1.1 200 Connection established\r\n\r\n"}});
    auto& c = client(NetworkProxy::HttpProxy);
    c.proxyAuthenticationRequired.connect([](const NetworkProxy&, Authenticator* a) {
        EXPECT_EQ(a->realm(), "fake");
        a->setUser("u");
        a->setPassword("p");
    });
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"proxyAuthenticationRequired()", "stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(proxy.connections(), 1u);
    EXPECT_EQ(proxy.received(), kEngHttpRequest + withAuth);
    EXPECT_EQ(c.localAddress(), HostAddress("127.0.0.1"));
    trace.clear();
    proxy.socket().disconnectFromHost();
    waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(c.errorString(), "Remote host closed");
}

TEST_P(ProxyEngines, HttpStatusesAndRefusedProxyPort) {
    proxy.setScript({{kEngHttpRequest.size(), "HTTP/1.1 403 Forbidden\r\n\r\n"}});
    auto& c = client(NetworkProxy::HttpProxy);
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(SocketAccessError)"}));
    EXPECT_EQ(c.errorString(), "Proxy denied connection");
    EXPECT_EQ(proxy.connections(), 2u);
    TcpServer closed(*backend);
    ASSERT_TRUE(closed.listen(HostAddress("127.0.0.1"), 0));
    const auto deadPort = closed.serverPort();
    closed.close();
    trace.clear();
    c.setProxy(NetworkProxy(NetworkProxy::HttpProxy, "127.0.0.1", deadPort));
    connectAndSettle(c);
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(UnconnectedState)", "errorOccurred(ProxyConnectionRefusedError)"}));
}

TEST_P(ProxyEngines, AbortAndDisconnectDuringTheHandshake) {
    auto& c = client(NetworkProxy::Socks5Proxy);
    c.connectToHost("127.0.0.1", 5000);
    waitFor([&] { return proxy.connections() == 1 && proxy.received().size() == 3; });
    trace.clear();
    c.abort();
    EXPECT_EQ(events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                "abort{readChannelFinished()}"}));
    proxy.setScript({{3, bytes({0x05, 0x00})}, {3 + kEngSocksRequest.size(), kEngSocksOk}});
    trace.clear();
    c.connectToHost("127.0.0.1", 5000);
    c.disconnectFromHost();
    waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "stateChanged(ClosingState)",
                                     "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
}

TEST_P(ProxyEngines, UdpThroughASocks5Relay) {
    UdpSocket relay(*backend);
    ASSERT_TRUE(relay.bind(HostAddress("127.0.0.1"), 0));
    const auto rp = relay.localPort();
    const std::string associate = bytes({0x05, 0x03, 0x00, 0x01, 0, 0, 0, 0, 0, 0});
    proxy.setScript({{3, bytes({0x05, 0x00})},
                     {3 + associate.size(), bytes({0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, rp >> 8, rp & 0xFF})}});
    UdpSocket u(*backend);
    u.setProxy(NetworkProxy(NetworkProxy::Socks5Proxy, "127.0.0.1", proxy.port()));
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(proxy.received(), bytes({0x05, 0x01, 0x00}) + associate);
    EXPECT_EQ(u.writeDatagram("abcd", HostAddress("127.0.0.1"), 5000), 4);
    waitFor([&] { return relay.hasPendingDatagrams(); });
    char buf[64] = {};
    EXPECT_EQ(relay.readDatagram(buf, sizeof buf), 14);
    EXPECT_EQ(std::string(buf, 14), bytes({0, 0, 0, 0x01, 127, 0, 0, 1, 0x13, 0x88}) + "abcd");
    relay.writeDatagram(bytes({0, 0, 0, 0x01, 10, 0, 0, 9, 0, 53}) + "pong", HostAddress("127.0.0.1"), u.localPort());
    waitFor([&] { return u.hasPendingDatagrams(); });
    HostAddress from;
    std::uint16_t port = 0;
    EXPECT_EQ(u.readDatagram(buf, sizeof buf, &from, &port), 4);
    EXPECT_EQ(std::string(buf, 4), "pong");
    EXPECT_EQ(from, HostAddress("10.0.0.9"));
    EXPECT_EQ(port, 53);
}

}  // namespace
}  // namespace simsock::testing
