// EpollEngine over TCP on loopback: connect/accept/echo, refusal, a full send buffer, resets, adoption,
// notification discipline and descriptor hygiene.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "epoll_test_support.h"

namespace simsock::epoll {
namespace {

using test::connectPair;
using test::CountingReceiver;
using test::kSoonMs;

std::string readAll(EpollLoop& loop, EpollEngine& e, CountingReceiver& events, std::size_t want) {
    std::string got;
    e.setReadNotificationEnabled(true);
    for (int i = 0; i < 100 && got.size() < want; ++i) {
        const int before = events.reads;
        EXPECT_TRUE(loop.runUntil([&] { return events.reads > before; }, kSoonMs));
        char buf[4096];
        const IoResult r = e.read(buf, sizeof buf);
        if (r.error != 0 || r.eof) break;
        got.append(buf, static_cast<std::size_t>(r.bytes));
    }
    return got;
}

class EpollTcp : public ::testing::TestWithParam<HostAddress> {};

TEST_P(EpollTcp, ConnectAcceptEchoAndOrderlyClose) {
    EpollLoop loop;
    const HostAddress address = GetParam();
    auto p = connectPair(loop, address);
    EXPECT_EQ(p->clientEvents.connections <= 1, true);
    EXPECT_EQ(p->client->peerAddress(), address);
    EXPECT_EQ(p->client->peerPort(), p->listener->localPort());
    EXPECT_EQ(p->server->localAddress(), address);
    EXPECT_EQ(p->server->localPort(), p->listener->localPort());
    EXPECT_EQ(p->server->peerPort(), p->client->localPort());
    EXPECT_EQ(p->server->protocol(), address.protocol());

    const IoResult w = p->client->write("hello", 5);
    EXPECT_EQ(w.bytes, 5);
    EXPECT_EQ(w.error, 0);
    EXPECT_EQ(readAll(loop, *p->server, p->serverEvents, 5), "hello");
    EXPECT_EQ(p->server->write("hello", 5).bytes, 5);
    EXPECT_EQ(readAll(loop, *p->client, p->clientEvents, 5), "hello");

    p->client->close();
    const int before = p->serverEvents.reads;
    EXPECT_TRUE(loop.runUntil([&] { return p->serverEvents.reads > before; }, kSoonMs));
    char buf[16];
    const IoResult eof = p->server->read(buf, sizeof buf);
    EXPECT_EQ(eof.bytes, 0);
    EXPECT_EQ(eof.error, 0);
    EXPECT_TRUE(eof.eof);
}

INSTANTIATE_TEST_SUITE_P(Loopback, EpollTcp, ::testing::Values(test::v4Loopback(), test::v6Loopback()),
                         [](const auto& info) { return info.param.protocol() == NetworkLayerProtocol::IPv4Protocol ? std::string("IPv4") : std::string("IPv6"); });

TEST(EpollEngineTcp, ConnectionNotificationComesOnceFromTheLoop) {
    EpollLoop loop;
    auto listener = test::makeListener(loop, test::v4Loopback());
    EpollEngine client(loop, SocketType::TcpSocket);
    CountingReceiver events;
    client.setReceiver(&events);
    ASSERT_EQ(client.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    const int rc = client.connect(test::v4Loopback(), listener->localPort());
    EXPECT_EQ(events.connections, 0);  // never inside connect()
    if (rc == EINPROGRESS) {
        EXPECT_TRUE(loop.runUntil([&] { return events.connections == 1; }, kSoonMs));
    } else {
        EXPECT_EQ(rc, 0);
    }
    EXPECT_EQ(client.connectResult(), 0);
    EXPECT_EQ(client.connectResult(), 0);
    EXPECT_FALSE(loop.runUntil([] { return false; }, 20));
    EXPECT_EQ(events.connections, rc == EINPROGRESS ? 1 : 0);
    EXPECT_EQ(events.writes, 0);  // write notifications were never enabled
}

TEST(EpollEngineTcp, AcceptWithNothingPendingIsEagain) {
    EpollLoop loop;
    auto listener = test::makeListener(loop, test::v4Loopback());
    int err = 0;
    EXPECT_EQ(listener->accept(err), -1);
    EXPECT_EQ(err, EAGAIN);
}

TEST(EpollEngineTcp, ConnectToAClosedPortIsRefused) {
    EpollLoop loop;
    // A bound, non-listening socket owns the port, so nobody else can take it during the test.
    EpollEngine holder(loop, SocketType::TcpSocket);
    ASSERT_EQ(holder.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    ASSERT_EQ(holder.bind(test::v4Loopback(), 0, BindFlag::DontShareAddress), 0);
    EpollEngine client(loop, SocketType::TcpSocket);
    CountingReceiver events;
    client.setReceiver(&events);
    ASSERT_EQ(client.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    const int rc = client.connect(test::v4Loopback(), holder.localPort());
    if (rc == EINPROGRESS) {
        EXPECT_TRUE(loop.runUntil([&] { return events.connections == 1; }, kSoonMs));
        EXPECT_EQ(client.connectResult(), ECONNREFUSED);
        EXPECT_EQ(client.connectResult(), ECONNREFUSED);
    } else {
        EXPECT_EQ(rc, ECONNREFUSED);
    }
}

TEST(EpollEngineTcp, FullSendBufferGivesEagainThenWriteNotification) {
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->setOption(SocketOption::SendBufferSizeSocketOption, 4096), 0);
    EXPECT_EQ(p->server->setOption(SocketOption::ReceiveBufferSizeSocketOption, 4096), 0);
    std::vector<char> chunk(65536, 'x');
    IoResult last;
    std::int64_t total = 0;
    for (int i = 0; i < 4096; ++i) {
        last = p->client->write(chunk.data(), chunk.size());
        if (last.error != 0) break;
        total += last.bytes;
    }
    EXPECT_EQ(last.bytes, 0);
    EXPECT_EQ(last.error, EAGAIN);
    EXPECT_FALSE(last.eof);
    EXPECT_GT(total, 0);
    EXPECT_LT(total, 64 * 1024 * 1024);

    p->client->setWriteNotificationEnabled(true);
    EXPECT_FALSE(loop.runUntil([&] { return p->clientEvents.writes > 0; }, 20));
    // Drain the peer as it becomes readable; room appears and the engine says so.
    std::int64_t drained = 0;
    p->serverEvents.onRead = [&] {
        char buf[65536];
        for (int i = 0; i < 1024; ++i) {
            const IoResult r = p->server->read(buf, sizeof buf);
            if (r.bytes <= 0) break;
            drained += r.bytes;
        }
    };
    p->server->setReadNotificationEnabled(true);
    EXPECT_TRUE(loop.runUntil([&] { return p->clientEvents.writes > 0; }, kSoonMs));
    EXPECT_GT(drained, 0);
}

// The peer closes with SO_LINGER{1,0}: an RST instead of a FIN.
void resetFromServer(test::TcpPair& p) {
    const linger hard{1, 0};
    ASSERT_EQ(::setsockopt(static_cast<int>(p.server->descriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
    p.server->close();
}

TEST(EpollEngineTcp, PeerResetIsEconnresetOnReadThenEpipeOnWrite) {
    ::signal(SIGPIPE, SIG_DFL);  // a SIGPIPE would end this test process
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    resetFromServer(*p);
    p->client->setReadNotificationEnabled(true);
    EXPECT_TRUE(loop.runUntil([&] { return p->clientEvents.reads > 0; }, kSoonMs));
    char buf[16];
    const IoResult r = p->client->read(buf, sizeof buf);
    EXPECT_EQ(r.bytes, 0);
    EXPECT_EQ(r.error, ECONNRESET);
    EXPECT_FALSE(r.eof);
    const IoResult w = p->client->write("x", 1);
    EXPECT_EQ(w.bytes, 0);
    EXPECT_EQ(w.error, EPIPE);
}

TEST(EpollEngineTcp, WriteAfterResetReportsItWithoutSigpipe) {
    ::signal(SIGPIPE, SIG_DFL);
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    resetFromServer(*p);
    p->client->setReadNotificationEnabled(true);
    EXPECT_TRUE(loop.runUntil([&] { return p->clientEvents.reads > 0; }, kSoonMs));
    // The first write reports the pending reset, every later one the broken pipe.
    const IoResult first = p->client->write("x", 1);
    EXPECT_EQ(first.bytes, 0);
    EXPECT_EQ(first.error, ECONNRESET);
    const IoResult second = p->client->write("x", 1);
    EXPECT_EQ(second.bytes, 0);
    EXPECT_EQ(second.error, EPIPE);
}

TEST(EpollEngineTcp, NotificationsNeverComeFromInsideEngineMethods) {
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("abc", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return p->server->bytesAvailable() == 3; }, kSoonMs));
    p->server->setReadNotificationEnabled(true);
    p->server->setWriteNotificationEnabled(true);
    EXPECT_EQ(p->serverEvents.reads, 0);
    EXPECT_EQ(p->serverEvents.writes, 0);
    loop.processEvents();
    EXPECT_EQ(p->serverEvents.reads, 1);
    EXPECT_EQ(p->serverEvents.writes, 1);
    loop.processEvents();  // level-triggered: still readable and writable
    EXPECT_EQ(p->serverEvents.reads, 2);
    EXPECT_EQ(p->serverEvents.writes, 2);
    p->server->setWriteNotificationEnabled(false);
    loop.processEvents();
    EXPECT_EQ(p->serverEvents.reads, 3);
    EXPECT_EQ(p->serverEvents.writes, 2);
}

TEST(EpollEngineTcp, AfterAWholeWriteTheWriteNotificationIsInjectedWithoutEpollOut) {
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    const int fd = static_cast<int>(p->client->descriptor());
    EXPECT_EQ(p->client->write("a", 1).bytes, 1);  // went out whole: the buffer has room
    p->clientEvents.onWrite = [&] { p->client->setWriteNotificationEnabled(false); };
    p->client->setWriteNotificationEnabled(true);
    EXPECT_EQ(loop.watchedEvents(fd) & EPOLLOUT, 0u);
    EXPECT_EQ(p->clientEvents.writes, 0);  // never inside the engine method
    loop.processEvents();
    EXPECT_EQ(p->clientEvents.writes, 1);
    EXPECT_EQ(loop.watchedEvents(fd) & EPOLLOUT, 0u);
    // A receiver that stays enabled gets the kernel's level-triggered notifications from then on.
    p->clientEvents.onWrite = nullptr;
    p->client->setWriteNotificationEnabled(true);
    loop.processEvents();
    EXPECT_EQ(p->clientEvents.writes, 2);
    EXPECT_EQ(loop.watchedEvents(fd) & EPOLLOUT, static_cast<std::uint32_t>(EPOLLOUT));
    loop.processEvents();
    EXPECT_EQ(p->clientEvents.writes, 3);
    p->client->setWriteNotificationEnabled(false);
    EXPECT_EQ(loop.watchedEvents(fd) & EPOLLOUT, 0u);
    loop.processEvents();
    EXPECT_EQ(p->clientEvents.writes, 3);
}

TEST(EpollEngineTcp, AnInjectedWriteNotificationIsDroppedByClose) {
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("a", 1).bytes, 1);
    p->client->setWriteNotificationEnabled(true);
    p->client->close();
    ASSERT_EQ(p->client->initialize(NetworkLayerProtocol::IPv4Protocol), 0);  // may reuse the number
    p->client->setWriteNotificationEnabled(false);
    loop.processEvents();
    EXPECT_EQ(p->clientEvents.writes, 0);
}

TEST(EpollEngineTcp, NothingIsNotifiedAfterClose) {
    EpollLoop loop;
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("abc", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return p->server->bytesAvailable() == 3; }, kSoonMs));
    p->server->setReadNotificationEnabled(true);
    p->server->setWriteNotificationEnabled(true);
    p->server->close();
    EXPECT_FALSE(p->server->isValid());
    EXPECT_EQ(p->server->descriptor(), -1);
    EXPECT_FALSE(p->server->isReadNotificationEnabled());
    loop.processEvents();
    EXPECT_EQ(p->serverEvents.reads, 0);
    EXPECT_EQ(p->serverEvents.writes, 0);
    EXPECT_EQ(p->server->read(nullptr, 0).error, EBADF);
}

TEST(EpollEngineTcp, ClosingFromInsideReadNotificationSuppressesTheWriteNotification) {
    EpollLoop loop;
    loop.setDispatchOrder(DispatchOrder::Unix);  // read before write
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("abc", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return p->server->bytesAvailable() == 3; }, kSoonMs));
    p->serverEvents.onRead = [&] { p->server->close(); };
    p->server->setReadNotificationEnabled(true);
    p->server->setWriteNotificationEnabled(true);
    loop.processEvents();
    EXPECT_EQ(p->serverEvents.reads, 1);
    EXPECT_EQ(p->serverEvents.writes, 0);
}

TEST(EpollEngineTcp, ClosingFromInsideWriteNotificationSuppressesTheReadNotificationUnderGlib) {
    EpollLoop loop;  // Glib, the default: write before read
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("abc", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return p->server->bytesAvailable() == 3; }, kSoonMs));
    p->serverEvents.onWrite = [&] { p->server->close(); };
    p->server->setReadNotificationEnabled(true);
    p->server->setWriteNotificationEnabled(true);
    loop.processEvents();
    EXPECT_EQ(p->serverEvents.writes, 1);
    EXPECT_EQ(p->serverEvents.reads, 0);
}

TEST(EpollEngineTcp, DestroyingFromInsideReadNotificationIsSafe) {
    EpollLoop loop;
    loop.setDispatchOrder(DispatchOrder::Unix);  // read before write
    auto p = connectPair(loop, test::v4Loopback());
    EXPECT_EQ(p->client->write("abc", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return p->server->bytesAvailable() == 3; }, kSoonMs));
    p->serverEvents.onRead = [&] { p->server.reset(); };
    p->server->setReadNotificationEnabled(true);
    p->server->setWriteNotificationEnabled(true);
    loop.processEvents();
    EXPECT_EQ(p->server, nullptr);
    EXPECT_EQ(p->serverEvents.reads, 1);
    EXPECT_EQ(p->serverEvents.writes, 0);
}

TEST(EpollEngineTcp, DualStackSocketAcceptsIPv4AndReportsAny) {
    EpollLoop loop;
    auto listener = test::makeListener(loop, HostAddress(HostAddress::SpecialAddress::Any));
    EXPECT_EQ(listener->protocol(), NetworkLayerProtocol::AnyIPProtocol);
    EXPECT_EQ(listener->localAddress(), HostAddress(HostAddress::SpecialAddress::Any));
    EpollEngine client(loop, SocketType::TcpSocket);
    CountingReceiver events;
    client.setReceiver(&events);
    ASSERT_EQ(client.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    const int rc = client.connect(test::v4Loopback(), listener->localPort());
    if (rc == EINPROGRESS) {
        EXPECT_TRUE(loop.runUntil([&] { return events.connections == 1; }, kSoonMs));
    }
    EXPECT_EQ(client.connectResult(), 0);
    int err = -1;
    std::intptr_t fd = -1;
    EXPECT_TRUE(loop.runUntil([&] { return (fd = listener->accept(err)) >= 0; }, kSoonMs));
    EpollEngine server(loop, SocketType::TcpSocket);
    ASSERT_EQ(server.adoptDescriptor(fd), 0);
    EXPECT_EQ(server.protocol(), NetworkLayerProtocol::IPv6Protocol);
    EXPECT_EQ(server.peerAddress(), HostAddress("::ffff:127.0.0.1"));
}

TEST(EpollEngineTcp, AdoptsASocketpairAndMakesItNonBlocking) {
    EpollLoop loop;
    int sv[2] = {-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    EpollEngine a(loop, SocketType::TcpSocket);
    ASSERT_EQ(a.adoptDescriptor(sv[0]), 0);
    EXPECT_TRUE(a.isValid());
    EXPECT_EQ(a.descriptor(), sv[0]);
    EXPECT_EQ(a.protocol(), NetworkLayerProtocol::UnknownNetworkLayerProtocol);
    EXPECT_NE(::fcntl(sv[0], F_GETFL) & O_NONBLOCK, 0);
    EXPECT_NE(::fcntl(sv[0], F_GETFD) & FD_CLOEXEC, 0);
    char buf[8];
    const IoResult empty = a.read(buf, sizeof buf);
    EXPECT_EQ(empty.error, EAGAIN);
    EXPECT_EQ(::write(sv[1], "pair", 4), 4);
    CountingReceiver events;
    a.setReceiver(&events);
    a.setReadNotificationEnabled(true);
    EXPECT_TRUE(loop.runUntil([&] { return events.reads == 1; }, kSoonMs));
    EXPECT_EQ(a.bytesAvailable(), 4);
    const IoResult r = a.read(buf, sizeof buf);
    EXPECT_EQ(r.bytes, 4);
    EXPECT_EQ(std::string(buf, 4), "pair");
    EXPECT_EQ(a.write("back", 4).bytes, 4);
    EXPECT_EQ(::read(sv[1], buf, sizeof buf), 4);
    EXPECT_EQ(a.localAddress(), HostAddress());
    EXPECT_EQ(a.localPort(), 0);
    a.close();
    EXPECT_EQ(::fcntl(sv[0], F_GETFD), -1);  // the engine owned and closed it
    ::close(sv[1]);
}

TEST(EpollEngineTcp, AdoptRejectsWrongTypesAndNonSockets) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::TcpSocket);
    EXPECT_EQ(e.adoptDescriptor(-1), EBADF);
    const int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(udp, 0);
    EXPECT_EQ(e.adoptDescriptor(udp), EPROTOTYPE);
    EXPECT_EQ(::fcntl(udp, F_GETFL) & O_NONBLOCK, 0);  // untouched, still the caller's
    ::close(udp);
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    EXPECT_EQ(e.adoptDescriptor(pipeFds[0]), ENOTSOCK);
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    EXPECT_FALSE(e.isValid());
}

TEST(EpollEngineTcp, OperationsWithoutASocketReportEbadf) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::TcpSocket);
    EXPECT_EQ(e.bind(test::v4Loopback(), 0, BindFlag::DefaultForPlatform), EBADF);
    EXPECT_EQ(e.connect(test::v4Loopback(), 1), EBADF);
    EXPECT_EQ(e.listen(1), EBADF);
    EXPECT_EQ(e.write("x", 1).error, EBADF);
    int err = 0;
    EXPECT_EQ(e.accept(err), -1);
    EXPECT_EQ(err, EBADF);
    EXPECT_EQ(e.bytesAvailable(), 0);
    EXPECT_EQ(e.pendingDatagramSize(), -1);
    EXPECT_EQ(e.localPort(), 0);
    EXPECT_TRUE(e.peerAddress().isNull());
}

TEST(EpollEngineTcp, BindingTwiceIsEinvalAndAPortInUseIsEaddrinuse) {
    EpollLoop loop;
    auto listener = test::makeListener(loop, test::v4Loopback());
    EXPECT_EQ(listener->bind(test::v4Loopback(), 0, BindFlag::DefaultForPlatform), EINVAL);
    EpollEngine other(loop, SocketType::TcpSocket);
    ASSERT_EQ(other.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(other.bind(test::v4Loopback(), listener->localPort(), BindFlag::DefaultForPlatform), EADDRINUSE);
}

TEST(EpollEngineTcp, NoDescriptorLeaksOverAThousandConnectCloseCycles) {
    EpollLoop loop;
    auto listener = test::makeListener(loop, test::v4Loopback(), 128);
    const int before = test::openFdCount();
    ASSERT_GT(before, 0);
    int accepted = 0;
    for (int i = 0; i < 1000; ++i) {
        EpollEngine client(loop, SocketType::TcpSocket);
        ASSERT_EQ(client.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
        client.setReadNotificationEnabled(true);
        const int rc = client.connect(test::v4Loopback(), listener->localPort());
        ASSERT_TRUE(rc == 0 || rc == EINPROGRESS) << rc;
        loop.processEvents();
        int err = 0;
        for (std::intptr_t fd; (fd = listener->accept(err)) >= 0;) {
            ::close(static_cast<int>(fd));
            ++accepted;
        }
        client.close();
    }
    EXPECT_GT(accepted, 0);
    int err = 0;
    for (std::intptr_t fd; (fd = listener->accept(err)) >= 0;) ::close(static_cast<int>(fd));
    EXPECT_EQ(test::openFdCount(), before);
}

}  // namespace
}  // namespace simsock::epoll
