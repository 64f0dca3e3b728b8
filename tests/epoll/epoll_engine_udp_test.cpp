// EpollEngine over UDP on loopback: datagrams, empty datagrams, size limits, connected UDP.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "epoll_test_support.h"

namespace simsock::epoll {
namespace {

using test::CountingReceiver;
using test::kSoonMs;

class EpollUdp : public ::testing::TestWithParam<HostAddress> {};

TEST_P(EpollUdp, SendAndReceiveADatagramWithItsSender) {
    EpollLoop loop;
    const HostAddress address = GetParam();
    auto a = test::makeUdp(loop, address);
    auto b = test::makeUdp(loop, address);
    CountingReceiver events;
    a->setReceiver(&events);
    a->setReadNotificationEnabled(true);
    EXPECT_FALSE(a->hasPendingDatagrams());
    EXPECT_EQ(a->pendingDatagramSize(), -1);
    const IoResult w = b->writeDatagram("abc", 3, address, a->localPort());
    EXPECT_EQ(w.bytes, 3);
    EXPECT_EQ(w.error, 0);
    EXPECT_TRUE(loop.runUntil([&] { return events.reads == 1; }, kSoonMs));
    EXPECT_TRUE(a->hasPendingDatagrams());
    EXPECT_EQ(a->pendingDatagramSize(), 3);
    char buf[16];
    DatagramHeader header;
    const IoResult r = a->readDatagram(buf, sizeof buf, &header);
    EXPECT_EQ(r.bytes, 3);
    EXPECT_EQ(r.error, 0);
    EXPECT_FALSE(r.eof);
    EXPECT_EQ(std::string(buf, 3), "abc");
    EXPECT_EQ(header.senderAddress, address);
    EXPECT_EQ(header.senderPort, b->localPort());
    EXPECT_FALSE(a->hasPendingDatagrams());
    const IoResult none = a->readDatagram(buf, sizeof buf, &header);
    EXPECT_EQ(none.bytes, 0);
    EXPECT_EQ(none.error, EAGAIN);
}

INSTANTIATE_TEST_SUITE_P(Loopback, EpollUdp, ::testing::Values(test::v4Loopback(), test::v6Loopback()),
                         [](const auto& info) { return info.param.protocol() == NetworkLayerProtocol::IPv4Protocol ? std::string("IPv4") : std::string("IPv6"); });

TEST(EpollEngineUdp, AnEmptyDatagramIsPendingWithSizeZero) {
    EpollLoop loop;
    auto a = test::makeUdp(loop, test::v4Loopback());
    auto b = test::makeUdp(loop, test::v4Loopback());
    CountingReceiver events;
    a->setReceiver(&events);
    a->setReadNotificationEnabled(true);
    EXPECT_EQ(b->writeDatagram("", 0, test::v4Loopback(), a->localPort()).bytes, 0);
    EXPECT_TRUE(loop.runUntil([&] { return events.reads == 1; }, kSoonMs));
    EXPECT_TRUE(a->hasPendingDatagrams());
    EXPECT_EQ(a->pendingDatagramSize(), 0);
    char buf[4];
    DatagramHeader header;
    const IoResult r = a->readDatagram(buf, sizeof buf, &header);
    EXPECT_EQ(r.bytes, 0);
    EXPECT_EQ(r.error, 0);
    EXPECT_FALSE(r.eof);
    EXPECT_EQ(header.senderPort, b->localPort());
    EXPECT_FALSE(a->hasPendingDatagrams());
    EXPECT_EQ(a->pendingDatagramSize(), -1);
}

// One probe receives every queued datagram into the engine; a receiver that reads one per notification
// must still hear of each, in order, as it would while they waited in the kernel.
TEST(EpollEngineUdp, DatagramsKeptByOneProbeAreAnnouncedUntilEachIsRead) {
    EpollLoop loop;
    auto a = test::makeUdp(loop, test::v4Loopback());
    auto b = test::makeUdp(loop, test::v4Loopback());
    auto c = test::makeUdp(loop, test::v4Loopback());
    CountingReceiver events;
    std::vector<std::string> got;
    std::vector<std::uint16_t> senders;
    events.onRead = [&] {
        char buf[8];
        DatagramHeader header;
        EXPECT_EQ(a->bytesAvailable(), 2);
        const IoResult r = a->readDatagram(buf, sizeof buf, &header);
        ASSERT_EQ(r.bytes, 2);
        got.emplace_back(buf, 2);
        senders.push_back(header.senderPort);
    };
    a->setReceiver(&events);
    for (const char* d : {"d0", "d1", "d2"}) EXPECT_EQ(b->writeDatagram(d, 2, test::v4Loopback(), a->localPort()).bytes, 2);
    EXPECT_EQ(c->writeDatagram("d3", 2, test::v4Loopback(), a->localPort()).bytes, 2);
    EXPECT_EQ(a->pendingDatagramSize(), 2);  // reads notifications still off: nothing announced yet
    loop.processEvents();
    EXPECT_EQ(events.reads, 0);
    a->setReadNotificationEnabled(true);
    EXPECT_TRUE(loop.runUntil([&] { return got.size() == 4; }, kSoonMs));
    EXPECT_EQ(got, (std::vector<std::string>{"d0", "d1", "d2", "d3"}));
    EXPECT_EQ(senders, (std::vector<std::uint16_t>{b->localPort(), b->localPort(), b->localPort(), c->localPort()}));
    EXPECT_EQ(events.reads, 4);
    loop.processEvents();
    EXPECT_EQ(events.reads, 4);  // all read: no more announcements
    EXPECT_FALSE(a->hasPendingDatagrams());
}

TEST(EpollEngineUdp, DatagramsOverTheIPv4LimitAreEmsgsize) {
    EpollLoop loop;
    auto a = test::makeUdp(loop, test::v4Loopback());
    auto b = test::makeUdp(loop, test::v4Loopback());
    std::vector<char> big(65508, 'z');
    const IoResult tooBig = b->writeDatagram(big.data(), big.size(), test::v4Loopback(), a->localPort());
    EXPECT_EQ(tooBig.bytes, 0);
    EXPECT_EQ(tooBig.error, EMSGSIZE);
    const IoResult max = b->writeDatagram(big.data(), 65507, test::v4Loopback(), a->localPort());
    EXPECT_EQ(max.bytes, 65507);
    EXPECT_EQ(max.error, 0);
    EXPECT_TRUE(loop.runUntil([&] { return a->pendingDatagramSize() == 65507; }, kSoonMs));
    std::vector<char> in(70000);
    EXPECT_EQ(a->readDatagram(in.data(), in.size(), nullptr).bytes, 65507);
}

TEST(EpollEngineUdp, AShortBufferTruncatesAndConsumesTheDatagram) {
    EpollLoop loop;
    auto a = test::makeUdp(loop, test::v4Loopback());
    auto b = test::makeUdp(loop, test::v4Loopback());
    EXPECT_EQ(b->writeDatagram("0123456789", 10, test::v4Loopback(), a->localPort()).bytes, 10);
    EXPECT_TRUE(loop.runUntil([&] { return a->pendingDatagramSize() == 10; }, kSoonMs));
    EXPECT_EQ(a->bytesAvailable(), 10);
    char buf[4];
    EXPECT_EQ(a->readDatagram(buf, sizeof buf, nullptr).bytes, 4);
    EXPECT_EQ(std::string(buf, 4), "0123");
    EXPECT_EQ(a->pendingDatagramSize(), -1);
}

TEST(EpollEngineUdp, ConnectedUdpIsImmediateAndReadsOneDatagram) {
    EpollLoop loop;
    auto a = test::makeUdp(loop, test::v4Loopback());
    auto b = test::makeUdp(loop, test::v4Loopback());
    CountingReceiver events;
    b->setReceiver(&events);
    EXPECT_EQ(b->connect(test::v4Loopback(), a->localPort()), 0);
    EXPECT_EQ(b->connectResult(), 0);
    EXPECT_EQ(b->peerPort(), a->localPort());
    EXPECT_EQ(b->write("one", 3).bytes, 3);
    EXPECT_EQ(b->write("two", 3).bytes, 3);
    EXPECT_TRUE(loop.runUntil([&] { return a->pendingDatagramSize() == 3; }, kSoonMs));
    char buf[16];
    EXPECT_EQ(a->read(buf, sizeof buf).bytes, 3);
    EXPECT_EQ(std::string(buf, 3), "one");
    EXPECT_TRUE(loop.runUntil([&] { return a->pendingDatagramSize() == 3; }, kSoonMs));
    EXPECT_EQ(a->read(buf, sizeof buf).bytes, 3);
    EXPECT_EQ(std::string(buf, 3), "two");
    EXPECT_EQ(events.connections, 0);  // a UDP connect never has an asynchronous outcome
}

TEST(EpollEngineUdp, OnlySharedBindsMayShareAPort) {
    EpollLoop loop;
    // DefaultForPlatform sets no SO_REUSEADDR (Qt on Unix): a second default bind is refused.
    auto a = test::makeUdp(loop, test::v4Loopback());
    EpollEngine b(loop, SocketType::UdpSocket);
    ASSERT_EQ(b.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(b.bind(test::v4Loopback(), a->localPort(), BindFlag::DefaultForPlatform), EADDRINUSE);
    EXPECT_EQ(b.bind(test::v4Loopback(), a->localPort(), BindFlag::ShareAddress), EADDRINUSE);
    // Both sides asking to share may.
    EpollEngine c(loop, SocketType::UdpSocket);
    ASSERT_EQ(c.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    ASSERT_EQ(c.bind(test::v4Loopback(), 0, BindFlag::ShareAddress), 0);
    EpollEngine d(loop, SocketType::UdpSocket);
    ASSERT_EQ(d.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(d.bind(test::v4Loopback(), c.localPort(), BindFlag::ShareAddress), 0);
    EXPECT_EQ(d.localPort(), c.localPort());
    EpollEngine e(loop, SocketType::UdpSocket);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(e.bind(test::v4Loopback(), c.localPort(), BindFlag::DontShareAddress), EADDRINUSE);
}

}  // namespace
}  // namespace simsock::epoll
