#include <cerrno>
#include <string>

#include "sim_test_util.h"

namespace simsock::sim::test {
namespace {


class TcpEngineTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(net.addHost("server", {kServer})); }
    Network net{1};
};

TEST_F(TcpEngineTest, LoopbackConnectTakesOneRoundTrip) {
    Endpoint l = makeListener(net, "local", kLo, 8080);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(c.engine->connect(kLo, 8080), EINPROGRESS);
    EXPECT_EQ(c.receiver->connects, 0);  // never inside the call
    EXPECT_EQ(finishConnect(net, c), 0);
    EXPECT_EQ(c.receiver->connectTimeNs, 20'000);  // loopback: 10 us each way
    EXPECT_EQ(c.engine->localAddress().toString(), "127.0.0.1");
    EXPECT_EQ(c.engine->localPort(), 32768);
    EXPECT_EQ(c.engine->peerAddress().toString(), "127.0.0.1");
    EXPECT_EQ(c.engine->peerPort(), 8080);
    Endpoint s = acceptOne(net, l);
    EXPECT_EQ(s.engine->descriptor(), 5);
    EXPECT_EQ(s.engine->localPort(), 8080);
    EXPECT_EQ(s.engine->peerPort(), 32768);
}

TEST_F(TcpEngineTest, ClientIsEstablishedBeforeTheServerAccepts) {
    Endpoint l = makeListener(net, "server", kServer, 80 + 8000);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), 0);
    EXPECT_EQ(c.receiver->connectTimeNs, 100'000);  // default link: 50 us each way
    EXPECT_EQ(c.engine->localAddress().toString(), "192.0.2.1");
    int err = 0;
    EXPECT_GE(l.engine->accept(err), 3);
    EXPECT_EQ(err, 0);
    EXPECT_EQ(l.engine->accept(err), -1);
    EXPECT_EQ(err, EAGAIN);
}

TEST_F(TcpEngineTest, RefusedAfterOneRoundTrip) {
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 81), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), ECONNREFUSED);
    EXPECT_EQ(c.receiver->connectTimeNs, 100'000);
    EXPECT_EQ(c.receiver->connects, 1);
    net.runForMs(100);
    EXPECT_EQ(c.receiver->connects, 1);  // once per connect
}

TEST_F(TcpEngineTest, UnknownNetworkIsUnreachableAtOnce) {
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(c.engine->connect(HostAddress("192.168.7.7"), 80), ENETUNREACH);
    net.runForMs(100);
    EXPECT_EQ(c.receiver->connects, 0);
}

TEST_F(TcpEngineTest, MissingHostOnAKnownNetworkIsHostUnreachableAfterArp) {
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(HostAddress("10.0.0.99"), 80), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), EHOSTUNREACH);
    EXPECT_EQ(c.receiver->connectTimeNs, 3'000'000'000);
}

TEST_F(TcpEngineTest, FullBacklogDropsTheSyn) {
    Endpoint l = makeListener(net, "server", kServer, 8080, 0);  // backlog 0 still queues one, as Linux
    Endpoint c1 = makeEndpoint(net, "local", SocketType::TcpSocket);
    Endpoint c2 = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c1.engine->connect(kServer, 8080), EINPROGRESS);
    ASSERT_EQ(c2.engine->connect(kServer, 8080), EINPROGRESS);
    net.runForMs(30'000);
    EXPECT_EQ(c1.receiver->connects, 1);
    EXPECT_EQ(c1.engine->connectResult(), 0);
    EXPECT_EQ(c2.receiver->connects, 0);
}

TEST_F(TcpEngineTest, ConnectTwiceGivesEalreadyThenEisconn) {
    Endpoint l = makeListener(net, "local", kLo, 8080);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kLo, 8080), EINPROGRESS);
    EXPECT_EQ(c.engine->connect(kLo, 8080), EALREADY);
    ASSERT_EQ(finishConnect(net, c), 0);
    EXPECT_EQ(c.engine->connect(kLo, 8080), EISCONN);
}

TEST_F(TcpEngineTest, DataArrivesInOrderWithReadNotification) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    p.server.engine->setReadNotificationEnabled(true);
    ASSERT_EQ(p.client.engine->write("hello", 5).bytes, 5);
    EXPECT_EQ(p.server.engine->bytesAvailable(), 0);
    net.simLoop().runUntil([&] { return p.server.receiver->reads > 0; }, 1000);
    EXPECT_EQ(p.server.receiver->reads, 1);
    EXPECT_EQ(p.server.engine->bytesAvailable(), 5);
    IoResult last;
    EXPECT_EQ(drain(*p.server.engine, &last), "hello");
    EXPECT_EQ(last.error, EAGAIN);
}

TEST_F(TcpEngineTest, BackPressureGivesPartialWritesThenEagainAndLosesNothing) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    ASSERT_EQ(l.engine->setOption(SocketOption::ReceiveBufferSizeSocketOption, 1000), 0);  // -> 2304
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->setOption(SocketOption::SendBufferSizeSocketOption, 1000), 0);  // -> 4608
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    Endpoint s = acceptOne(net, l);
    std::string payload;
    for (int i = 0; i < 100000; ++i) payload.push_back(static_cast<char>('a' + i % 26));
    IoResult w = c.engine->write(payload.data(), payload.size());
    EXPECT_EQ(w.bytes, 4608);
    EXPECT_EQ(c.engine->write(payload.data(), payload.size()).error, EAGAIN);
    net.runForMs(10);
    EXPECT_EQ(s.engine->bytesAvailable(), 2304);  // the receive window is full
    w = c.engine->write(payload.data() + 4608, payload.size() - 4608);
    EXPECT_EQ(w.bytes, 2304);  // the ACKed part of the send buffer is free again
    EXPECT_EQ(c.engine->write(payload.data(), 1).error, EAGAIN);
    net.runForMs(1000);
    EXPECT_EQ(s.engine->bytesAvailable(), 2304);  // an application that never reads stops the sender
    std::size_t sent = 4608 + 2304;
    std::string got;
    for (int round = 0; round < 200 && got.size() < payload.size(); ++round) {
        got += drain(*s.engine);
        for (;;) {
            const IoResult r = c.engine->write(payload.data() + sent, payload.size() - sent);
            if (r.bytes <= 0) break;
            sent += static_cast<std::size_t>(r.bytes);
        }
        net.runForMs(1);
    }
    EXPECT_EQ(sent, payload.size());
    EXPECT_EQ(got, payload);
}

TEST_F(TcpEngineTest, FinGivesDataThenEof) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.client.engine->write("bye", 3).bytes, 3);
    p.client.engine->close();
    EXPECT_FALSE(p.client.engine->isValid());
    net.runForMs(1);
    char buf[16];
    IoResult r = p.server.engine->read(buf, sizeof buf);
    EXPECT_EQ(r.bytes, 3);
    EXPECT_EQ(std::string(buf, 3), "bye");
    r = p.server.engine->read(buf, sizeof buf);
    EXPECT_EQ(r.bytes, 0);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.error, 0);
}

TEST_F(TcpEngineTest, CloseWithUnreadDataSendsRst) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.client.engine->write("abc", 3).bytes, 3);
    net.runForMs(1);
    ASSERT_EQ(p.server.engine->bytesAvailable(), 3);
    p.server.engine->close();  // 3 bytes unread: Linux sends RST, not FIN
    net.runForMs(1);
    char buf[16];
    IoResult r = p.client.engine->read(buf, sizeof buf);
    EXPECT_EQ(r.error, ECONNRESET);
    r = p.client.engine->read(buf, sizeof buf);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(p.client.engine->write("x", 1).error, EPIPE);
}

TEST_F(TcpEngineTest, DataBeforeRstStaysReadable) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.server.engine->write("xyz", 3).bytes, 3);
    p.server.engine->abort();
    net.runForMs(1);
    char buf[16];
    IoResult r = p.client.engine->read(buf, sizeof buf);
    EXPECT_EQ(r.bytes, 3);
    r = p.client.engine->read(buf, sizeof buf);
    EXPECT_EQ(r.error, ECONNRESET);
}

TEST_F(TcpEngineTest, WritingAfterPeerClosedEarnsRstThenEpipe) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    p.server.engine->close();
    net.runForMs(1);
    IoResult r;
    EXPECT_EQ(drain(*p.client.engine, &r), "");
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(p.client.engine->write("a", 1).bytes, 1);  // the peer only half-closed, as far as we know
    net.runForMs(1);
    EXPECT_EQ(p.client.engine->write("b", 1).error, EPIPE);
    EXPECT_EQ(p.client.engine->write("c", 1).error, EPIPE);
}

TEST_F(TcpEngineTest, NotificationsAreQueuedAndLevelTriggered) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.client.engine->write("12345", 5).bytes, 5);
    net.runForMs(1);
    p.server.receiver->disableOnNotify = false;  // a receiver that never consumes
    p.server.engine->setReadNotificationEnabled(true);
    EXPECT_EQ(p.server.receiver->reads, 0);
    net.simLoop().runUntil([&] { return p.server.receiver->reads >= 3; }, 0);
    EXPECT_EQ(p.server.receiver->reads, 3);  // again on each later turn while data is there
    p.server.engine->setReadNotificationEnabled(false);
    net.runForMs(1);
    EXPECT_EQ(p.server.receiver->reads, 3);
}

TEST_F(TcpEngineTest, NothingIsNotifiedAfterClose) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.client.engine->write("x", 1).bytes, 1);
    net.runForMs(1);
    p.server.engine->setReadNotificationEnabled(true);
    p.server.engine->setWriteNotificationEnabled(true);
    drain(*p.server.engine);
    p.server.engine->close();
    net.runForMs(10);
    EXPECT_EQ(p.server.receiver->reads, 0);
    EXPECT_EQ(p.server.receiver->writes, 0);
}

TEST_F(TcpEngineTest, WriteNotificationWhileSendBufferHasRoom) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    p.client.engine->setWriteNotificationEnabled(true);
    net.simLoop().processEvents();
    EXPECT_EQ(p.client.receiver->writes, 1);
}

TEST_F(TcpEngineTest, IdleConnectionForAnHourCostsNoEvents) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    p.client.engine->setReadNotificationEnabled(true);
    const std::uint64_t before = net.simLoop().eventsProcessed();
    EXPECT_FALSE(net.simLoop().runUntil([&] { return p.client.receiver->reads > 0; }, 3'600'000));
    EXPECT_EQ(net.simLoop().nowNs() >= 3'600'000'000'000, true);
    EXPECT_LE(net.simLoop().eventsProcessed() - before, 2u);
}

TEST_F(TcpEngineTest, Ipv6Connect) {
    ASSERT_TRUE(net.addHost("v6", {HostAddress("fd00::2")}));
    Endpoint l = makeListener(net, "v6", HostAddress("fd00::2"), 9000);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket, NetworkLayerProtocol::IPv6Protocol);
    ASSERT_EQ(c.engine->connect(HostAddress("fd00::2"), 9000), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), 0);
    EXPECT_EQ(c.engine->localAddress().toString(), "2001:db8::1");
    Endpoint c2 = makeEndpoint(net, "local", SocketType::TcpSocket, NetworkLayerProtocol::IPv6Protocol);
    Endpoint l2 = makeListener(net, "local", HostAddress("::1"), 9000);
    ASSERT_EQ(c2.engine->connect(HostAddress("::1"), 9000), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c2), 0);
    EXPECT_EQ(c2.engine->localAddress().toString(), "::1");
}

}  // namespace
}  // namespace simsock::sim::test
