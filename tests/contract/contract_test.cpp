// The contract every engine must pass: the same client code, the same peers (a TcpServer and UDP
// sockets on 127.0.0.1 of the same backend), and the same expected compact trace on sim and epoll.
// Only loopback addresses are used; every wait is bounded.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "simsock/epoll/epoll_backend.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using Events = std::vector<std::string>;
using S = SocketState;

struct SimEngineKind {
    static std::unique_ptr<Backend> make() { return std::make_unique<sim::Network>(11); }
};
struct EpollEngineKind {
    static std::unique_ptr<Backend> make() { return std::make_unique<epoll::EpollBackend>(); }
};

template <typename Kind>
class Contract : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 0));
        port = server.serverPort();
        server.newConnection.connect([this] {
            while (auto s = server.nextPendingConnection()) accepted.push_back(std::move(s));
        });
    }
    void TearDown() override {
        recorders.clear();
        sockets.clear();
        accepted.clear();
        server.close();
    }
    template <typename T = TcpSocket>
    T& make(const std::string& name = "c") {
        auto s = std::make_unique<T>(*backend);
        s->setObjectName(name);
        auto& ref = *s;
        recorders.push_back(std::make_unique<TraceRecorder>(ref, trace));
        sockets.push_back(std::move(s));
        return ref;
    }
    void waitFor(const std::function<bool()>& pred) { ASSERT_TRUE(backend->loop().runUntil(pred, 5000)); }
    /// A port on 127.0.0.1 with nobody listening: bind a server, note its port, close it.
    std::uint16_t closedPort() {
        TcpServer s(*backend);
        EXPECT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
        auto p = s.serverPort();
        s.close();
        return p;
    }
    TcpSocket& connectedClient() {
        auto& c = make();
        c.connectToHost("127.0.0.1", port);
        waitFor([&] { return c.state() == S::ConnectedState && !accepted.empty(); });
        trace.clear();
        return c;
    }
    Events events(const std::string& name = "c") const { return trace.compact(name); }

    std::unique_ptr<Backend> backend = Kind::make();
    TcpServer server{*backend};
    std::uint16_t port = 0;
    Trace trace;
    std::vector<std::unique_ptr<TcpSocket>> accepted;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

using Engines = ::testing::Types<SimEngineKind, EpollEngineKind>;
class EngineNames {
public:
    template <typename T>
    static std::string GetName(int) {
        return std::is_same_v<T, SimEngineKind> ? "sim" : "epoll";
    }
};
TYPED_TEST_SUITE(Contract, Engines, EngineNames);

const Events kLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                              "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};
Events with(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TYPED_TEST(Contract, ConnectToALiteralAddress) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    EXPECT_EQ(this->events(), kLiteralStart);
    this->waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerPort(), this->port);
}

TYPED_TEST(Contract, RefusedConnect) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->closedPort());
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(),
              with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_TRUE(c.isOpen());
}

TYPED_TEST(Contract, HostNotFoundForAnInvalidName) {
    auto& c = this->make();
    c.connectToHost("nosuch.invalid", this->port);
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                      "errorOccurred(HostNotFoundError)"}));
}

TYPED_TEST(Contract, RemoteCloseWithData) {
    auto& c = this->connectedClient();
    this->accepted[0]->write("hello");
    this->accepted[0]->disconnectFromHost();
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"readyRead(5)", "errorOccurred(RemoteHostClosedError)",
                                      "stateChanged(ClosingState)", "stateChanged(UnconnectedState)",
                                      "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.readAll(), "hello");
}

TYPED_TEST(Contract, DisconnectWithPendingDataDrains) {
    auto& c = this->connectedClient();
    c.write("abcdef");
    c.disconnectFromHost();
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"disconnectFromHost{stateChanged(ClosingState)}", "bytesWritten(6)",
                                      "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    auto& p = *this->accepted[0];
    this->waitFor([&] { return p.bytesAvailable() == 6; });
    EXPECT_EQ(p.readAll(), "abcdef");
}

TYPED_TEST(Contract, AbortAndClose) {
    auto& c = this->connectedClient();
    c.abort();
    EXPECT_EQ(this->events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                      "abort{readChannelFinished()}", "abort{disconnected()}"}));
    auto& d = this->make("d");
    d.connectToHost("127.0.0.1", this->port);
    this->waitFor([&] { return d.state() == S::ConnectedState; });
    this->trace.clear();
    d.close();
    EXPECT_EQ(this->events("d"), (Events{"close{aboutToClose()}", "close{stateChanged(ClosingState)}",
                                         "close{stateChanged(UnconnectedState)}", "close{readChannelFinished()}",
                                         "close{disconnected()}"}));
}

TYPED_TEST(Contract, WaitForConnectedOnARefusedConnect) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->closedPort());
    EXPECT_FALSE(c.waitForConnected(5000));
    EXPECT_EQ(this->events(), with(kLiteralStart, {"waitForConnected{stateChanged(UnconnectedState)}",
                                                   "waitForConnected{errorOccurred(ConnectionRefusedError)}"}));
}

TYPED_TEST(Contract, WaitForDisconnectedOnRemoteClose) {
    auto& c = this->connectedClient();
    this->accepted[0]->disconnectFromHost();
    EXPECT_TRUE(c.waitForDisconnected(5000));
    EXPECT_EQ(this->events(), (Events{"waitForDisconnected{errorOccurred(RemoteHostClosedError)}",
                                      "waitForDisconnected{stateChanged(ClosingState)}",
                                      "waitForDisconnected{stateChanged(UnconnectedState)}",
                                      "waitForDisconnected{readChannelFinished()}",
                                      "waitForDisconnected{disconnected()}"}));
}

TYPED_TEST(Contract, WaitForReadyReadTimesOutAndStaysConnected) {
    auto& c = this->connectedClient();
    EXPECT_FALSE(c.waitForReadyRead(50));
    EXPECT_EQ(this->events(), (Events{"waitForReadyRead{errorOccurred(SocketTimeoutError)}"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TYPED_TEST(Contract, UdpBindWriteAndOversizedDatagram) {
    auto& r = this->template make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 0));
    auto& u = this->template make<UdpSocket>("u");
    EXPECT_EQ(u.writeDatagram(std::string(65507, 'a'), HostAddress("127.0.0.1"), r.localPort()), 65507);
    EXPECT_EQ(u.writeDatagram(std::string(65508, 'a'), HostAddress("127.0.0.1"), r.localPort()), -1);
    EXPECT_EQ(this->events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(65507)}",
                                         "writeDatagram{errorOccurred(DatagramTooLargeError)}"}));
    this->waitFor([&] { return this->events("r").size() == 2; });
    EXPECT_EQ(r.pendingDatagramSize(), 65507);
    EXPECT_EQ(this->events("r"), (Events{"bind{stateChanged(BoundState)}", "readyRead(65507)"}));
}

TYPED_TEST(Contract, UdpConnectIsSynchronous) {
    auto& r = this->template make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 0));
    auto& u = this->template make<UdpSocket>("u");
    u.connectToHost("127.0.0.1", r.localPort());
    EXPECT_EQ(this->events("u"), with(kLiteralStart, {"connectToHost{stateChanged(ConnectedState)}",
                                                      "connectToHost{connected()}"}));
    EXPECT_EQ(u.write("abc"), 3);
    EXPECT_EQ(this->events("u").back(), "write{bytesWritten(3)}");
}

TYPED_TEST(Contract, OptionsRoundTrip) {
    auto& c = this->connectedClient();
    c.setSocketOption(SocketOption::LowDelayOption, 1);
    EXPECT_EQ(c.socketOption(SocketOption::LowDelayOption), 1);
    c.setSocketOption(SocketOption::KeepAliveOption, 1);
    EXPECT_EQ(c.socketOption(SocketOption::KeepAliveOption), 1);
    c.setSocketOption(SocketOption::SendBufferSizeSocketOption, 8192);
    EXPECT_EQ(c.socketOption(SocketOption::SendBufferSizeSocketOption), 16384);
    c.setSocketOption(SocketOption::ReceiveBufferSizeSocketOption, 8192);
    EXPECT_EQ(c.socketOption(SocketOption::ReceiveBufferSizeSocketOption), 16384);
}

}  // namespace
}  // namespace simsock
