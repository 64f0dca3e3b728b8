// Issue 11 §1 on every engine: the corners where simsock once differed from Qt 6.4 (SEMANTICS.md):
// connected UDP after ICMP port unreachable, connectToHost(host, 0), abort() while a SYN is on the wire,
// and a reset noticed while a large write is queued under each dispatch order.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "simsock/engines.h"
#include "simsock/simsock.h"

namespace simsock::qt_exact {
namespace {

using Events = std::vector<std::string>;
using S = SocketState;

class QtExact : public ::testing::TestWithParam<std::string> {
protected:
    void TearDown() override {
        recorders.clear();
        sockets.clear();
    }
    std::unique_ptr<Backend> makeBackend(BackendOptions options = BackendOptions{11}) const {
        auto b = BackendRegistry::instance().create(GetParam(), options);
        if (!b) throw std::runtime_error("engine " + GetParam() + " is not registered");
        return b;
    }
    template <typename T>
    T& make(const std::string& name) {
        auto s = std::make_unique<T>(*backend);
        s->setObjectName(name);
        auto& ref = *s;
        recorders.push_back(std::make_unique<TraceRecorder>(ref, trace));
        sockets.push_back(std::move(s));
        return ref;
    }
    void waitFor(const std::function<bool()>& pred) { ASSERT_TRUE(backend->loop().runUntil(pred, 5000)); }
    Events events(const std::string& name) const { return trace.compact(name); }

    std::unique_ptr<Backend> backend = makeBackend();
    Trace trace;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

INSTANTIATE_TEST_SUITE_P(Engines, QtExact, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

const Events kQtExactLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                                     "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};

Events qtExactWith(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

TEST_P(QtExact, ConnectedUdpSwallowsTheRefusalOnTheNextWrite) {
    std::uint16_t closed = 0;
    {
        UdpSocket probe(*backend);
        ASSERT_TRUE(probe.bind(HostAddress("127.0.0.1"), 0));
        closed = probe.localPort();
    }
    auto& u = make<UdpSocket>("u");
    u.connectToHost("127.0.0.1", closed);
    trace.clear();
    EXPECT_EQ(u.write("x"), 1);
    EXPECT_EQ(events("u"), (Events{"write{bytesWritten(1)}"}));
    // The ICMP port unreachable is announced as readable with nothing to read.
    waitFor([&] { return events("u").size() == 2; });
    EXPECT_EQ(events("u"), (Events{"write{bytesWritten(1)}", "readyRead(0)"}));
    EXPECT_EQ(u.bytesAvailable(), 0);
    trace.clear();
    // The queued ECONNREFUSED goes to this send: -1, no signal, error() unchanged.
    EXPECT_EQ(u.write("y"), -1);
    EXPECT_EQ(events("u"), Events{});
    EXPECT_EQ(u.error(), SocketError::UnknownSocketError);
    EXPECT_EQ(u.state(), S::ConnectedState);
    EXPECT_EQ(u.write("z"), 1);
    EXPECT_EQ(events("u"), (Events{"write{bytesWritten(1)}"}));
    EXPECT_EQ(u.state(), S::ConnectedState);
}

TEST_P(QtExact, ConnectToPortZeroIsRefusedFromTheLoop) {
    auto& c = make<TcpSocket>("c");
    c.connectToHost("127.0.0.1", 0);
    EXPECT_EQ(events("c"), kQtExactLiteralStart);
    EXPECT_EQ(c.state(), S::ConnectingState);
    waitFor([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events("c"), qtExactWith(kQtExactLiteralStart, {"stateChanged(UnconnectedState)",
                                                             "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(c.error(), SocketError::ConnectionRefusedError);
    EXPECT_TRUE(c.isOpen());
}

TEST_P(QtExact, AbortWhileConnectingDoesNotTakeBackTheSyn) {
    TcpServer server(*backend);
    ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 0));
    auto& c = make<TcpSocket>("c");
    c.connectToHost("127.0.0.1", server.serverPort());
    c.abort();
    EXPECT_EQ(events("c"), qtExactWith(kQtExactLiteralStart, {"abort{aboutToClose()}",
                                                             "abort{stateChanged(UnconnectedState)}",
                                                             "abort{readChannelFinished()}"}));
    // The listener still accepts the connection, then sees it reset.
    waitFor([&] { return server.hasPendingConnections(); });
    std::unique_ptr<TcpSocket> a = server.nextPendingConnection();
    ASSERT_TRUE(a);
    a->setObjectName("a");
    TraceRecorder recordA(*a, trace);
    waitFor([&] { return a->state() == S::UnconnectedState; });
    EXPECT_EQ(events("a"), (Events{"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                   "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(events("c").size(), kQtExactLiteralStart.size() + 3);
}


// SEMANTICS.md, Close: the peer resets while megabytes are still queued, so the socket is readable and
// writable at once. The bytesWritten before the reset depend on the kernel's buffers and are left out.
Events qtExactWithoutBytesWritten(const Events& all) {
    Events out;
    for (const auto& e : all)
        if (e.rfind("bytesWritten(", 0) != 0) out.push_back(e);
    return out;
}

class QtExactDispatch : public QtExact {
protected:
    /// Runs the large write against a peer that stops reading and then resets; returns the client.
    TcpSocket& resetWithLargeWriteQueued(DispatchOrder order) {
        recorders.clear();
        sockets.clear();
        backend = makeBackend(BackendOptions{11, order});
        EXPECT_EQ(backend->loop().dispatchOrder(), order);
        server = std::make_unique<TcpServer>(*backend);
        EXPECT_TRUE(server->listen(HostAddress("127.0.0.1"), 0));
        auto& c = make<TcpSocket>("c");
        c.connectToHost("127.0.0.1", server->serverPort());
        waitFor([&] { return c.state() == S::ConnectedState && server->hasPendingConnections(); });
        peer = server->nextPendingConnection();
        peer->setReadBufferSize(1);  // stops reading, so the kernel buffers fill and the write stays queued
        trace.clear();
        const std::int64_t size = 32 * 1024 * 1024;
        EXPECT_EQ(c.write(std::string(static_cast<std::size_t>(size), 'x')), size);
        backend->loop().runUntil([] { return false; }, 200);
        EXPECT_GT(c.bytesToWrite(), 0);
        peer->abort();  // RST
        waitFor([&] { return c.state() == S::UnconnectedState; });
        return c;
    }
    void TearDown() override {
        QtExact::TearDown();
        peer.reset();
        server.reset();
    }

    std::unique_ptr<TcpServer> server;
    std::unique_ptr<TcpSocket> peer;
};

INSTANTIATE_TEST_SUITE_P(Engines, QtExactDispatch, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(QtExactDispatch, GlibIsTheDefault) {
    EXPECT_EQ(BackendOptions{}.dispatch, DispatchOrder::Glib);
    EXPECT_EQ(makeBackend()->loop().dispatchOrder(), DispatchOrder::Glib);
}

TEST_P(QtExactDispatch, ResetWithALargeWriteQueuedUnderGlibTakesTheWritePath) {
    auto& c = resetWithLargeWriteQueued(DispatchOrder::Glib);
    EXPECT_EQ(qtExactWithoutBytesWritten(events("c")),
              (Events{"errorOccurred(RemoteHostClosedError)", "aboutToClose()", "stateChanged(UnconnectedState)",
                      "readChannelFinished()", "disconnected()"}));
    EXPECT_FALSE(c.isOpen());
    EXPECT_EQ(c.error(), SocketError::RemoteHostClosedError);
}

TEST_P(QtExactDispatch, ResetWithALargeWriteQueuedUnderUnixTakesTheReadPath) {
    auto& c = resetWithLargeWriteQueued(DispatchOrder::Unix);
    EXPECT_EQ(qtExactWithoutBytesWritten(events("c")),
              (Events{"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                      "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_TRUE(c.isOpen());
    EXPECT_EQ(c.error(), SocketError::RemoteHostClosedError);
}


// Issue 11 §1.7: Qt's qWarning texts, emitted through AbstractSocket::warning and recorded as events.
TEST_P(QtExact, WarningsForADeviceNeverOpened) {
    auto& t = make<TcpSocket>("t");
    EXPECT_EQ(t.write("x"), -1);
    char buf[4];
    EXPECT_EQ(t.read(buf, sizeof buf), -1);
    EXPECT_EQ(t.readAll(), "");
    EXPECT_EQ(t.peek(buf, sizeof buf), -1);
    EXPECT_EQ(t.readLine(buf, sizeof buf), -1);
    EXPECT_FALSE(t.waitForBytesWritten(10));
    EXPECT_FALSE(t.waitForDisconnected(10));
    EXPECT_FALSE(t.waitForReadyRead(10));  // silent in Qt
    EXPECT_EQ(events("t"),
              (Events{"write{warning(\"QIODevice::write (TcpSocket): device not open\")}",
                      "read{warning(\"QIODevice::read (TcpSocket): device not open\")}",
                      "readAll{warning(\"QIODevice::read (TcpSocket): device not open\")}",
                      "peek{warning(\"QIODevice::peek (TcpSocket): device not open\")}",
                      "readLine{warning(\"QIODevice::readLine (TcpSocket): device not open\")}",
                      "waitForBytesWritten{warning(\"QAbstractSocket::waitForBytesWritten() is not allowed in "
                      "UnconnectedState\")}",
                      "waitForDisconnected{warning(\"QAbstractSocket::waitForDisconnected() is not allowed in "
                      "UnconnectedState\")}"}));
    EXPECT_EQ(t.error(), SocketError::UnknownSocketError);
}

TEST_P(QtExact, WarningsForAnUnboundUdpSocketSetNoError) {
    auto& u = make<UdpSocket>("u");
    char buf[4];
    EXPECT_FALSE(u.hasPendingDatagrams());
    EXPECT_EQ(u.pendingDatagramSize(), -1);
    EXPECT_EQ(u.readDatagram(buf, sizeof buf), -1);
    EXPECT_FALSE(u.receiveDatagram().isValid());
    const std::string tail = "() called on a QUdpSocket when not in QUdpSocket::BoundState\")}";
    EXPECT_EQ(events("u"), (Events{"hasPendingDatagrams{warning(\"QUdpSocket::hasPendingDatagrams" + tail,
                                   "pendingDatagramSize{warning(\"QUdpSocket::pendingDatagramSize" + tail,
                                   "readDatagram{warning(\"QUdpSocket::readDatagram" + tail,
                                   "receiveDatagram{warning(\"QUdpSocket::receiveDatagram" + tail}));
    EXPECT_EQ(u.error(), SocketError::UnknownSocketError);
    // Bound, it is open for datagrams but not as a device (QT-DETAILS §9).
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    trace.clear();
    EXPECT_EQ(u.readAll(), "");
    EXPECT_EQ(events("u"), (Events{"readAll{warning(\"QIODevice::read (UdpSocket): device not open\")}"}));
}

TEST_P(QtExact, WarningsWhileConnected) {
    TcpServer server(*backend);
    ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 0));
    auto& c = make<TcpSocket>("c");
    c.connectToHost("127.0.0.1", server.serverPort());
    waitFor([&] { return c.state() == S::ConnectedState; });
    trace.clear();
    char buf[4];
    EXPECT_EQ(c.read(buf, -1), -1);
    EXPECT_EQ(c.readLine(buf, 1), -1);
    EXPECT_EQ(c.write(buf, -1), -1);
    c.connectToHost("127.0.0.1", server.serverPort());
    EXPECT_EQ(events("c"),
              (Events{"read{warning(\"QIODevice::read (TcpSocket): Called with maxSize < 0\")}",
                      "readLine{warning(\"QIODevice::readLine (TcpSocket): Called with maxSize < 2\")}",
                      "write{warning(\"QIODevice::write (TcpSocket): Called with maxSize < 0\")}",
                      "connectToHost{warning(\"QAbstractSocket::connectToHost() called when already looking up or "
                      "connecting/connected to \\\"127.0.0.1\\\"\")}",
                      "connectToHost{errorOccurred(OperationError)}"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_P(QtExact, AWarningReachesItsHandlerWithTheText) {
    auto s = std::make_unique<TcpSocket>(*backend);
    std::vector<std::string> got;
    s->warning.connect([&](const std::string& text) { got.push_back(text); });
    EXPECT_EQ(s->write("x"), -1);
    EXPECT_EQ(got, (std::vector<std::string>{"QIODevice::write (TcpSocket): device not open"}));
    // Without a handler nothing happens beyond the refusal (the default is silent).
    TcpSocket quiet(*backend);
    EXPECT_EQ(quiet.write("x"), -1);
}


// Issue 11 §1.4: Qt keeps its native engine, unbound, after a failed UDP bind; it answers -1 and warns.
TEST_P(QtExact, UdpBytesAvailableAfterAFailedBindIsMinusOne) {
    auto& a = make<UdpSocket>("a");
    ASSERT_TRUE(a.bind(HostAddress("127.0.0.1"), 0));
    auto& b = make<UdpSocket>("b");
    EXPECT_EQ(b.bytesAvailable(), 0);
    EXPECT_FALSE(b.bind(HostAddress("127.0.0.1"), a.localPort()));
    EXPECT_EQ(b.bytesAvailable(), -1);
    EXPECT_EQ(events("b"), (Events{"bind{errorOccurred(AddressInUseError)}",
                                   "bytesAvailable{warning(\"QNativeSocketEngine::bytesAvailable() was called in "
                                   "QAbstractSocket::UnconnectedState\")}"}));
    EXPECT_EQ(b.state(), S::UnconnectedState);
    // A bind that succeeds replaces the unbound engine.
    EXPECT_TRUE(b.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(b.bytesAvailable(), 0);
}


// Issue 11 §1.6: simsock keeps options set before the OS socket exists (Qt drops them: README behaviour notes).
TEST_P(QtExact, OptionsSetBeforeTheSocketExistsAreKeptAndApplied) {
    TcpServer server(*backend);
    ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 0));
    auto& c = make<TcpSocket>("c");
    EXPECT_EQ(c.socketOption(SocketOption::LowDelayOption), std::nullopt);  // Qt: invalid as well
    c.setSocketOption(SocketOption::LowDelayOption, 1);
    EXPECT_EQ(c.socketOption(SocketOption::LowDelayOption), 1);  // Qt: invalid
    c.connectToHost("127.0.0.1", server.serverPort());
    waitFor([&] { return c.state() == S::ConnectedState; });
    EXPECT_EQ(c.socketOption(SocketOption::LowDelayOption), 1);  // Qt: 0, the value was dropped
    EXPECT_EQ(c.socketOption(SocketOption::KeepAliveOption), 0);
    auto& u = make<UdpSocket>("u");
    u.setSocketOption(SocketOption::MulticastTtlOption, 5);
    EXPECT_EQ(u.socketOption(SocketOption::MulticastTtlOption), 5);  // Qt: invalid
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(u.socketOption(SocketOption::MulticastTtlOption), 5);  // Qt: 1, not applied
    EXPECT_EQ(events("u"), (Events{"bind{stateChanged(BoundState)}"}));  // no signal, no warning
}

}  // namespace
}  // namespace simsock::qt_exact
