#include <cerrno>

#include "sim_test_util.h"

namespace simsock::sim::test {
namespace {


TEST(SimDescriptorTest, NumbersStartAtThreeAndReuseTheLowest) {
    Network net(1);
    Endpoint a = makeEndpoint(net, "local", SocketType::TcpSocket);
    Endpoint b = makeEndpoint(net, "local", SocketType::UdpSocket);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(a.engine->descriptor(), 3);
    EXPECT_EQ(b.engine->descriptor(), 4);
    EXPECT_EQ(c.engine->descriptor(), 5);
    b.engine->close();
    EXPECT_EQ(b.engine->descriptor(), -1);
    Endpoint d = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(d.engine->descriptor(), 4);
    EXPECT_EQ(net.openDescriptors("local"), 3);
}

TEST(SimDescriptorTest, LimitGivesEmfile) {
    Network net(1);
    net.setDescriptorLimit("local", 5);  // 3 and 4 only
    Endpoint a = makeEndpoint(net, "local", SocketType::TcpSocket);
    Endpoint b = makeEndpoint(net, "local", SocketType::TcpSocket);
    auto e = net.createEngineOn("local", SocketType::TcpSocket);
    EXPECT_EQ(e->initialize(NetworkLayerProtocol::IPv4Protocol), EMFILE);
    EXPECT_FALSE(e->isValid());
}

TEST(SimDescriptorTest, AcceptWithoutDescriptorsLeavesTheConnectionQueued) {
    Network net(1);
    Endpoint l = makeListener(net, "local", kLo, 8080);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kLo, 8080), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    net.setDescriptorLimit("local", 5);
    int err = 0;
    EXPECT_EQ(l.engine->accept(err), -1);
    EXPECT_EQ(err, EMFILE);
    net.setDescriptorLimit("local", 1024);
    EXPECT_EQ(l.engine->accept(err), 5);
    EXPECT_EQ(err, 0);
}

TEST(SimDescriptorTest, AdoptTakesOverAHeldDescriptor) {
    Network net(1);
    int err = -1;
    const std::intptr_t fd = net.createDescriptor("local", SocketType::UdpSocket, NetworkLayerProtocol::IPv4Protocol, &err);
    EXPECT_EQ(fd, 3);
    EXPECT_EQ(err, 0);
    auto e = net.createEngineOn("local", SocketType::UdpSocket);
    EXPECT_EQ(e->adoptDescriptor(99), EBADF);
    EXPECT_EQ(e->adoptDescriptor(fd), 0);
    EXPECT_EQ(e->descriptor(), 3);
    auto other = net.createEngineOn("local", SocketType::UdpSocket);
    EXPECT_EQ(other->adoptDescriptor(fd), EBUSY);
    EXPECT_EQ(net.closeDescriptor("local", fd), EBUSY);
    e->close();
    EXPECT_EQ(net.closeDescriptor("local", fd), EBADF);
}

TEST(SimBindTest, Errors) {
    Network net(1);
    Endpoint a = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(a.engine->bind(HostAddress("10.9.9.9"), 8000, BindFlag::DefaultForPlatform), EADDRNOTAVAIL);
    EXPECT_EQ(a.engine->bind(kLo, 80, BindFlag::DefaultForPlatform), EACCES);
    EXPECT_EQ(a.engine->bind(kLo, 8000, BindFlag::DefaultForPlatform), 0);
    EXPECT_EQ(a.engine->bind(kLo, 8001, BindFlag::DefaultForPlatform), EINVAL);
    Endpoint b = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(b.engine->bind(kLo, 8000, BindFlag::DefaultForPlatform), EADDRINUSE);
    EXPECT_EQ(b.engine->bind(HostAddress(HostAddress::SpecialAddress::AnyIPv4), 8000, BindFlag::DefaultForPlatform),
              EADDRINUSE);
    EXPECT_EQ(b.engine->bind(HostAddress("::1"), 8000, BindFlag::DefaultForPlatform), EAFNOSUPPORT);
    net.setHostPrivileged("local", true);
    EXPECT_EQ(b.engine->bind(kLo, 80, BindFlag::DefaultForPlatform), 0);
}

TEST(SimBindTest, PortZeroPicksEphemeralPortsInOrder) {
    Network net(1);
    Endpoint a = makeEndpoint(net, "local", SocketType::UdpSocket);
    Endpoint b = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(a.engine->bind(kLo, 0, BindFlag::DefaultForPlatform), 0);
    EXPECT_EQ(b.engine->bind(kLo, 0, BindFlag::DefaultForPlatform), 0);
    EXPECT_EQ(a.engine->localPort(), 32768);
    EXPECT_EQ(b.engine->localPort(), 32769);
}

TEST(SimBindTest, UdpSharesWhenBothAsk) {
    Network net(1);
    Endpoint a = makeEndpoint(net, "local", SocketType::UdpSocket);
    Endpoint b = makeEndpoint(net, "local", SocketType::UdpSocket);
    Endpoint c = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(a.engine->bind(kLo, 6000, BindFlag::ShareAddress), 0);
    EXPECT_EQ(b.engine->bind(kLo, 6000, BindFlag::ReuseAddressHint), 0);
    EXPECT_EQ(c.engine->bind(kLo, 6000, BindFlag::DefaultForPlatform), EADDRINUSE);
}

TEST(SimBindTest, ClosingFreesThePort) {
    Network net(1);
    Endpoint a = makeListener(net, "local", kLo, 8080);
    a.engine->close();
    Endpoint b = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(b.engine->bind(kLo, 8080, BindFlag::DefaultForPlatform), 0);
}

}  // namespace
}  // namespace simsock::sim::test
