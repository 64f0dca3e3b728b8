#include <cerrno>
#include <string>
#include <vector>

#include "sim_test_util.h"

namespace simsock::sim::test {
namespace {


Endpoint udpBound(Network& net, const std::string& host, const HostAddress& a, std::uint16_t port) {
    Endpoint e = makeEndpoint(net, host, SocketType::UdpSocket, a.protocol());
    EXPECT_EQ(e.engine->bind(a, port, BindFlag::DefaultForPlatform), 0);
    return e;
}

TEST(UdpEngineTest, DatagramCarriesSenderAddress) {
    Network net(1);
    Endpoint r = udpBound(net, "local", kLo, 5000);
    Endpoint s = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(s.engine->writeDatagram("ping", 4, kLo, 5000).bytes, 4);
    EXPECT_EQ(s.engine->localPort(), 32768);  // sending bound it implicitly
    r.engine->setReadNotificationEnabled(true);
    net.runForMs(1);
    EXPECT_EQ(r.receiver->reads, 1);
    EXPECT_TRUE(r.engine->hasPendingDatagrams());
    EXPECT_EQ(r.engine->pendingDatagramSize(), 4);
    char buf[16];
    DatagramHeader h;
    IoResult res = r.engine->readDatagram(buf, sizeof buf, &h);
    EXPECT_EQ(res.bytes, 4);
    EXPECT_EQ(h.senderAddress.toString(), "127.0.0.1");
    EXPECT_EQ(h.senderPort, 32768);
    EXPECT_EQ(r.engine->readDatagram(buf, sizeof buf, &h).error, EAGAIN);
    EXPECT_EQ(r.engine->pendingDatagramSize(), -1);
}

TEST(UdpEngineTest, MaximumPayloadsPerFamily) {
    Network net(1);
    Endpoint r4 = udpBound(net, "local", kLo, 5000);
    Endpoint s4 = makeEndpoint(net, "local", SocketType::UdpSocket);
    std::string big(65528, 'x');
    EXPECT_EQ(s4.engine->writeDatagram(big.data(), 65507, kLo, 5000).bytes, 65507);
    EXPECT_EQ(s4.engine->writeDatagram(big.data(), 65508, kLo, 5000).error, EMSGSIZE);
    Endpoint s6 = makeEndpoint(net, "local", SocketType::UdpSocket, NetworkLayerProtocol::IPv6Protocol);
    const HostAddress lo6("::1");
    EXPECT_EQ(s6.engine->writeDatagram(big.data(), 65527, lo6, 5000).bytes, 65527);
    EXPECT_EQ(s6.engine->writeDatagram(big.data(), 65528, lo6, 5000).error, EMSGSIZE);
}

TEST(UdpEngineTest, PathLimitsMakeSmallerDatagramsTooLarge) {
    Network net(1);
    ASSERT_TRUE(net.addHost("server", {kServer}));
    LinkParams lp;
    lp.mtu = 1500;
    lp.mtuLimitsDatagrams = true;
    net.setLink("local", "server", lp);
    Endpoint s = makeEndpoint(net, "local", SocketType::UdpSocket);
    std::string d(2000, 'y');
    EXPECT_EQ(s.engine->writeDatagram(d.data(), 1472, kServer, 9).bytes, 1472);
    EXPECT_EQ(s.engine->writeDatagram(d.data(), 1473, kServer, 9).error, EMSGSIZE);
    lp.mtuLimitsDatagrams = false;
    lp.maxDatagram = 512;
    net.setLink("local", "server", lp);
    EXPECT_EQ(s.engine->writeDatagram(d.data(), 513, kServer, 9).error, EMSGSIZE);
    EXPECT_EQ(s.engine->writeDatagram(d.data(), 512, kServer, 9).bytes, 512);
}

TEST(UdpEngineTest, ReceiveBufferDropsWhenFull) {
    Network net(1);
    Endpoint r = udpBound(net, "local", kLo, 5000);
    ASSERT_EQ(r.engine->setOption(SocketOption::ReceiveBufferSizeSocketOption, 1000), 0);  // -> 2304
    Endpoint s = makeEndpoint(net, "local", SocketType::UdpSocket);
    std::string d(1000, 'z');
    for (int i = 0; i < 3; ++i) ASSERT_EQ(s.engine->writeDatagram(d.data(), d.size(), kLo, 5000).bytes, 1000);
    net.runForMs(1);
    char buf[2000];
    int got = 0;
    while (r.engine->readDatagram(buf, sizeof buf, nullptr).bytes == 1000) ++got;
    EXPECT_EQ(got, 2);
}

TEST(UdpEngineTest, ConnectedSocketHearsPortUnreachable) {
    Network net(1);
    Endpoint c = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(c.engine->connect(kLo, 9999), 0);  // at once: UDP connect sets the destination only
    EXPECT_EQ(c.engine->peerPort(), 9999);
    EXPECT_EQ(c.engine->write("x", 1).bytes, 1);
    c.engine->setReadNotificationEnabled(true);
    net.runForMs(1);
    EXPECT_EQ(c.receiver->reads, 1);
    char buf[4];
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, ECONNREFUSED);
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, EAGAIN);
}

TEST(UdpEngineTest, UnconnectedSocketDoesNotHearPortUnreachable) {
    Network net(1);
    Endpoint c = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(c.engine->writeDatagram("x", 1, kLo, 9999).bytes, 1);
    net.runForMs(1);
    char buf[4];
    EXPECT_EQ(c.engine->readDatagram(buf, sizeof buf, nullptr).error, EAGAIN);
    EXPECT_EQ(c.engine->write("x", 1).error, EDESTADDRREQ);
}

std::vector<int> runLossy(std::uint64_t seed, std::uint32_t lossPpm, std::uint32_t dupPpm, std::uint32_t reorderPpm) {
    Network net(seed);
    EXPECT_TRUE(net.addHost("server", {kServer}));
    LinkParams lp;
    lp.lossPpm = lossPpm;
    lp.duplicatePpm = dupPpm;
    lp.reorderPpm = reorderPpm;
    net.setLink("local", "server", lp);
    Endpoint r = udpBound(net, "server", kServer, 7000);
    Endpoint s = makeEndpoint(net, "local", SocketType::UdpSocket);
    for (int i = 0; i < 200; ++i) {
        const std::string d = std::to_string(i);
        EXPECT_EQ(s.engine->writeDatagram(d.data(), d.size(), kServer, 7000).bytes, static_cast<std::int64_t>(d.size()));
        net.runForMs(0);
    }
    net.runForMs(100);
    std::vector<int> got;
    char buf[16];
    for (;;) {
        IoResult res = r.engine->readDatagram(buf, sizeof buf, nullptr);
        if (res.bytes <= 0) break;
        got.push_back(std::stoi(std::string(buf, static_cast<std::size_t>(res.bytes))));
    }
    return got;
}

TEST(UdpEngineTest, LossIsSeededAndRepeatable) {
    const auto a = runLossy(77, 300'000, 0, 0);
    const auto b = runLossy(77, 300'000, 0, 0);
    EXPECT_EQ(a, b);
    EXPECT_GT(a.size(), 110u);
    EXPECT_LT(a.size(), 170u);
    EXPECT_EQ(runLossy(77, 0, 0, 0).size(), 200u);
    EXPECT_NE(runLossy(78, 300'000, 0, 0), a);
}

TEST(UdpEngineTest, CertainDuplicationDeliversEverythingTwice) {
    const auto got = runLossy(5, 0, 1'000'000, 0);
    ASSERT_EQ(got.size(), 400u);
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(got[static_cast<std::size_t>(2 * i)], i);
        EXPECT_EQ(got[static_cast<std::size_t>(2 * i + 1)], i);
    }
}

TEST(UdpEngineTest, ReorderingChangesOrderNotCount) {
    const auto got = runLossy(9, 0, 0, 200'000);
    ASSERT_EQ(got.size(), 200u);
    std::vector<int> sorted = got;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 200; ++i) EXPECT_EQ(sorted[static_cast<std::size_t>(i)], i);
    EXPECT_NE(got, sorted);
    EXPECT_EQ(runLossy(9, 0, 0, 200'000), got);
}

}  // namespace
}  // namespace simsock::sim::test
