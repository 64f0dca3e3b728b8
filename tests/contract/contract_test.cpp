// The contract every engine must pass: the same client code, the same peers (a TcpServer and UDP
// sockets on 127.0.0.1 of the same backend), and the same expected compact trace on every registered
// engine (the suite is instantiated once per name in BackendRegistry after registerEngines()).
// Only loopback addresses are used; every wait is bounded.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "simsock/engines.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using Events = std::vector<std::string>;
using S = SocketState;

// The engine named by the test's parameter; the seed matters to the sim only.
std::unique_ptr<Backend> makeBackend(const std::string& name) {
    auto backend = BackendRegistry::instance().create(name, BackendOptions{11});
    if (!backend) throw std::runtime_error("engine " + name + " is not registered");
    return backend;
}

class Contract : public ::testing::TestWithParam<std::string> {
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

    std::unique_ptr<Backend> backend = makeBackend(GetParam());
    TcpServer server{*backend};
    std::uint16_t port = 0;
    Trace trace;
    std::vector<std::unique_ptr<TcpSocket>> accepted;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

INSTANTIATE_TEST_SUITE_P(Engines, Contract, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

const Events kLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                              "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};
Events with(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST_P(Contract, ConnectToALiteralAddress) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    EXPECT_EQ(this->events(), kLiteralStart);
    this->waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()"}));
    EXPECT_EQ(c.peerPort(), this->port);
}

TEST_P(Contract, RefusedConnect) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->closedPort());
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(),
              with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_TRUE(c.isOpen());
}

TEST_P(Contract, HostNotFoundForAnInvalidName) {
    auto& c = this->make();
    c.connectToHost("nosuch.invalid", this->port);
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                      "errorOccurred(HostNotFoundError)"}));
}

TEST_P(Contract, RemoteCloseWithData) {
    auto& c = this->connectedClient();
    this->accepted[0]->write("hello");
    this->accepted[0]->disconnectFromHost();
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"readyRead(5)", "errorOccurred(RemoteHostClosedError)",
                                      "stateChanged(ClosingState)", "stateChanged(UnconnectedState)",
                                      "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.readAll(), "hello");
}

TEST_P(Contract, DisconnectWithPendingDataDrains) {
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

TEST_P(Contract, AbortAndClose) {
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

TEST_P(Contract, WaitForConnectedOnARefusedConnect) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->closedPort());
    EXPECT_FALSE(c.waitForConnected(5000));
    EXPECT_EQ(this->events(), with(kLiteralStart, {"waitForConnected{stateChanged(UnconnectedState)}",
                                                   "waitForConnected{errorOccurred(ConnectionRefusedError)}"}));
}

TEST_P(Contract, WaitForDisconnectedOnRemoteClose) {
    auto& c = this->connectedClient();
    this->accepted[0]->disconnectFromHost();
    EXPECT_TRUE(c.waitForDisconnected(5000));
    EXPECT_EQ(this->events(), (Events{"waitForDisconnected{errorOccurred(RemoteHostClosedError)}",
                                      "waitForDisconnected{stateChanged(ClosingState)}",
                                      "waitForDisconnected{stateChanged(UnconnectedState)}",
                                      "waitForDisconnected{readChannelFinished()}",
                                      "waitForDisconnected{disconnected()}"}));
}

TEST_P(Contract, WaitForReadyReadTimesOutAndStaysConnected) {
    auto& c = this->connectedClient();
    EXPECT_FALSE(c.waitForReadyRead(50));
    EXPECT_EQ(this->events(), (Events{"waitForReadyRead{errorOccurred(SocketTimeoutError)}"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_P(Contract, UdpBindWriteAndOversizedDatagram) {
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

TEST_P(Contract, UdpConnectIsSynchronous) {
    auto& r = this->template make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 0));
    auto& u = this->template make<UdpSocket>("u");
    u.connectToHost("127.0.0.1", r.localPort());
    EXPECT_EQ(this->events("u"), with(kLiteralStart, {"connectToHost{stateChanged(ConnectedState)}",
                                                      "connectToHost{connected()}"}));
    EXPECT_EQ(u.write("abc"), 3);
    EXPECT_EQ(this->events("u").back(), "write{bytesWritten(3)}");
}

TEST_P(Contract, OptionsRoundTrip) {
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


TEST_P(Contract, NameLookupThenConnect) {
    auto& c = this->make();
    c.connectToHost("localhost", this->port, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(this->events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    this->waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(this->events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                                      "hostFound()", "stateChanged(ConnectedState)", "connected()"}));
    // The answer is cached now: a second connect finds the host inside the call.
    c.abort();
    this->trace.clear();
    c.connectToHost("localhost", this->port, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(this->events(), kLiteralStart);
}

TEST_P(Contract, EmptyHostNameIsHostNotFound) {
    auto& c = this->make();
    c.connectToHost("", this->port);
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), (Events{"connectToHost{stateChanged(HostLookupState)}", "stateChanged(UnconnectedState)",
                                      "errorOccurred(HostNotFoundError)"}));
}

TEST_P(Contract, ConnectWhileConnectingIsAnOperationError) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    this->trace.clear();
    c.connectToHost("127.0.0.1", this->port);
    // SEMANTICS.md: "(a warning)": Qt's qWarning text comes first, on the warning channel.
    EXPECT_EQ(this->events(), (Events{"connectToHost{warning(\"QAbstractSocket::connectToHost() called when already "
                                      "looking up or connecting/connected to \\\"127.0.0.1\\\"\")}",
                                      "connectToHost{errorOccurred(OperationError)}"}));
    EXPECT_EQ(c.state(), S::ConnectingState);
}

TEST_P(Contract, ReconnectFromTheErrorHandler) {
    auto& c = this->make();
    bool retried = false;
    c.errorOccurred.connect([&](SocketError) {
        if (!retried) {
            retried = true;
            c.connectToHost("127.0.0.1", this->port);
        }
    });
    c.connectToHost("127.0.0.1", this->closedPort());
    this->waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(UnconnectedState)",
                                                   "errorOccurred(ConnectionRefusedError)",
                                                   "connectToHost{stateChanged(HostLookupState)}",
                                                   "connectToHost{stateChanged(ConnectingState)}",
                                                   "connectToHost{hostFound()}", "stateChanged(ConnectedState)",
                                                   "connected()"}));
}

TEST_P(Contract, BindThenConnect) {
    auto& c = this->make();
    EXPECT_TRUE(c.bind(HostAddress("127.0.0.1"), 0));
    c.connectToHost("127.0.0.1", this->port);
    this->waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(this->events(), with({"bind{stateChanged(BoundState)}"},
                                   with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()"})));
}

TEST_P(Contract, ConnectTimeoutWhenTheBacklogIsFull) {
    TcpServer busy(*this->backend);
    busy.setListenBacklogSize(1);
    busy.pauseAccepting();
    ASSERT_TRUE(busy.listen(HostAddress("127.0.0.1"), 0));
    std::vector<std::unique_ptr<TcpSocket>> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.push_back(std::make_unique<TcpSocket>(*this->backend));
        fillers.back()->setConnectTimeoutMs(5000);
        fillers.back()->connectToHost("127.0.0.1", busy.serverPort());
    }
    this->backend->loop().runUntil([] { return false; }, 200);
    auto& c = this->make();
    c.setConnectTimeoutMs(300);
    c.connectToHost("127.0.0.1", busy.serverPort());
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(UnconnectedState)",
                                                   "errorOccurred(SocketTimeoutError)"}));
    fillers.clear();
}

TEST_P(Contract, DisconnectWhileConnectingFinishesTheConnectFirst) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    c.disconnectFromHost();
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()",
                                                   "stateChanged(ClosingState)", "stateChanged(UnconnectedState)",
                                                   "readChannelFinished()", "disconnected()"}));
}

TEST_P(Contract, AbortWhileConnectingAndAfterARefusal) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    this->trace.clear();
    c.abort();
    EXPECT_EQ(this->events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                      "abort{readChannelFinished()}"}));
    auto& d = this->make("d");
    d.connectToHost("127.0.0.1", this->closedPort());
    this->waitFor([&] { return d.state() == S::UnconnectedState; });
    this->trace.clear();
    d.abort();
    EXPECT_EQ(this->events("d"), (Events{"abort{aboutToClose()}"}));
}

TEST_P(Contract, DisconnectInsideConnectedAndAbortInsideReadyRead) {
    auto& c = this->make();
    c.connected.connect([&] { c.disconnectFromHost(); });
    c.connectToHost("127.0.0.1", this->port);
    this->waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()",
                                                   "disconnectFromHost{stateChanged(ClosingState)}",
                                                   "disconnectFromHost{stateChanged(UnconnectedState)}",
                                                   "disconnectFromHost{readChannelFinished()}",
                                                   "disconnectFromHost{disconnected()}"}));
    auto& d = this->make("d");
    d.readyRead.connect([&] { d.abort(); });
    d.connectToHost("127.0.0.1", this->port);
    this->waitFor([&] { return d.state() == S::ConnectedState && this->accepted.size() == 2; });
    this->trace.clear();
    this->accepted[1]->write("x");
    this->waitFor([&] { return d.state() == S::UnconnectedState; });
    EXPECT_EQ(this->events("d"), (Events{"readyRead(1)", "abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                         "abort{readChannelFinished()}", "abort{disconnected()}"}));
}

TEST_P(Contract, WritingWhileConnectingAndFlush) {
    auto& c = this->make();
    c.connectToHost("127.0.0.1", this->port);
    EXPECT_EQ(c.write("early"), 5);
    this->waitFor([&] { return c.bytesToWrite() == 0; });
    EXPECT_EQ(this->events(), with(kLiteralStart, {"stateChanged(ConnectedState)", "connected()", "bytesWritten(5)"}));
    this->trace.clear();
    c.write("abc");
    EXPECT_TRUE(c.flush());
    EXPECT_EQ(this->events(), (Events{"flush{bytesWritten(3)}"}));
}

TEST_P(Contract, ReadBufferLimitOfTenWithHalfReads) {
    auto& c = this->connectedClient();
    c.setReadBufferSize(10);
    std::string got;
    c.readyRead.connect([&] { got += c.read(5); });
    this->accepted[0]->write(std::string(100, 'x'));
    this->waitFor([&] { return got.size() == 5; });
    // QT-DETAILS.md §2: the partial read leaves 5 buffered, and only emptying the buffer resumes reading.
    this->backend->loop().runUntil([] { return false; }, 100);
    EXPECT_EQ(this->events(), Events(1, "readyRead(10)"));
    EXPECT_EQ(c.bytesAvailable(), 5);
    EXPECT_EQ(c.readAll(), "xxxxx");
    this->waitFor([&] { return got.size() == 10; });
    EXPECT_EQ(this->events(), Events(2, "readyRead(10)"));
}

TEST_P(Contract, UdpOneReadyReadPerDatagramAndTemporaryError) {
    auto& r = this->template make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 0));
    std::vector<std::string> got;
    r.readyRead.connect([&] {
        while (r.hasPendingDatagrams()) got.push_back(r.receiveDatagram().data);
    });
    auto& s = this->template make<UdpSocket>("s");
    s.writeDatagram("one", HostAddress("127.0.0.1"), r.localPort());
    this->waitFor([&] { return got.size() == 1; });
    s.writeDatagram("two", HostAddress("127.0.0.1"), r.localPort());
    this->waitFor([&] { return got.size() == 2; });
    EXPECT_EQ(this->events("r"), (Events{"bind{stateChanged(BoundState)}", "readyRead(3)", "readyRead(3)"}));
    this->trace.clear();
    char buf[4];
    EXPECT_EQ(r.readDatagram(buf, sizeof buf), -1);
    EXPECT_EQ(this->events("r"), (Events{"readDatagram{errorOccurred(TemporaryError)}"}));
    this->trace.clear();
    r.close();
    EXPECT_EQ(this->events("r"), (Events{"close{stateChanged(ClosingState)}", "close{stateChanged(UnconnectedState)}",
                                         "close{readChannelFinished()}", "close{disconnected()}"}));
}

TEST_P(Contract, UdpAddressInUse) {
    auto& a = this->template make<UdpSocket>("a");
    ASSERT_TRUE(a.bind(HostAddress("127.0.0.1"), 0));
    auto& b = this->template make<UdpSocket>("b");
    EXPECT_FALSE(b.bind(HostAddress("127.0.0.1"), a.localPort()));
    EXPECT_EQ(this->events("b"), (Events{"bind{errorOccurred(AddressInUseError)}"}));
    EXPECT_FALSE(a.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(this->events("a").back(), "bind{errorOccurred(UnknownSocketError)}");
}

TEST_P(Contract, SetSocketDescriptorOfAnAcceptedConnection) {
    auto listener = this->backend->createEngine(SocketType::TcpSocket);
    ASSERT_EQ(listener->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    ASSERT_EQ(listener->bind(HostAddress("127.0.0.1"), 0, BindMode()), 0);
    ASSERT_EQ(listener->listen(5), 0);
    auto& client = this->make("client");
    client.connectToHost("127.0.0.1", listener->localPort());
    this->waitFor([&] { return client.state() == S::ConnectedState; });
    int err = 0;
    std::intptr_t fd = -1;
    this->waitFor([&] { return (fd = listener->accept(err)) >= 0; });
    auto& c = this->make();
    EXPECT_TRUE(c.setSocketDescriptor(fd));
    EXPECT_EQ(this->events(), (Events{"setSocketDescriptor{stateChanged(ConnectedState)}"}));
    EXPECT_EQ(c.peerPort(), client.localPort());
    listener->close();
}

}  // namespace
}  // namespace simsock
