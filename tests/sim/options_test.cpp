#include <cerrno>

#include "sim_test_util.h"

namespace simsock::sim::test {
namespace {

using SO = SocketOption;

TEST(SimOptionsTest, TcpDefaults) {
    Network net(1);
    Endpoint t = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(t.engine->option(SO::LowDelayOption), 0);
    EXPECT_EQ(t.engine->option(SO::KeepAliveOption), 0);
    EXPECT_EQ(t.engine->option(SO::MulticastTtlOption), 1);
    EXPECT_EQ(t.engine->option(SO::MulticastLoopbackOption), 1);
    EXPECT_EQ(t.engine->option(SO::TypeOfServiceOption), 0);
    EXPECT_EQ(t.engine->option(SO::SendBufferSizeSocketOption), 16384);
    EXPECT_EQ(t.engine->option(SO::ReceiveBufferSizeSocketOption), 131072);
    EXPECT_EQ(t.engine->option(SO::PathMtuSocketOption), std::nullopt);
}

TEST(SimOptionsTest, UdpDefaultsAndLowDelayIsTcpOnly) {
    Network net(1);
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(u.engine->option(SO::SendBufferSizeSocketOption), 212992);
    EXPECT_EQ(u.engine->option(SO::ReceiveBufferSizeSocketOption), 212992);
    EXPECT_EQ(u.engine->setOption(SO::LowDelayOption, 1), ENOPROTOOPT);
    EXPECT_EQ(u.engine->option(SO::LowDelayOption), std::nullopt);
}

TEST(SimOptionsTest, RoundTrips) {
    Network net(1);
    Endpoint t = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(t.engine->setOption(SO::LowDelayOption, 5), 0);
    EXPECT_EQ(t.engine->option(SO::LowDelayOption), 1);
    EXPECT_EQ(t.engine->setOption(SO::KeepAliveOption, 1), 0);
    EXPECT_EQ(t.engine->option(SO::KeepAliveOption), 1);
    EXPECT_EQ(t.engine->setOption(SO::MulticastTtlOption, 32), 0);
    EXPECT_EQ(t.engine->option(SO::MulticastTtlOption), 32);
    EXPECT_EQ(t.engine->setOption(SO::MulticastTtlOption, 256), EINVAL);
    EXPECT_EQ(t.engine->setOption(SO::MulticastLoopbackOption, 0), 0);
    EXPECT_EQ(t.engine->option(SO::MulticastLoopbackOption), 0);
    EXPECT_EQ(t.engine->setOption(SO::TypeOfServiceOption, 0xbb), 0);
    EXPECT_EQ(t.engine->option(SO::TypeOfServiceOption), 0xb8);  // TCP keeps the ECN bits to itself
    EXPECT_EQ(t.engine->setOption(SO::PathMtuSocketOption, 1400), ENOPROTOOPT);
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(u.engine->setOption(SO::TypeOfServiceOption, 0xbb), 0);
    EXPECT_EQ(u.engine->option(SO::TypeOfServiceOption), 0xbb);
}

TEST(SimOptionsTest, BufferSizesAreDoubledAndClamped) {
    Network net(1);
    Endpoint t = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(t.engine->setOption(SO::SendBufferSizeSocketOption, 10000), 0);
    EXPECT_EQ(t.engine->option(SO::SendBufferSizeSocketOption), 20000);
    EXPECT_EQ(t.engine->setOption(SO::SendBufferSizeSocketOption, 1), 0);
    EXPECT_EQ(t.engine->option(SO::SendBufferSizeSocketOption), 4608);
    EXPECT_EQ(t.engine->setOption(SO::SendBufferSizeSocketOption, 10'000'000), 0);
    EXPECT_EQ(t.engine->option(SO::SendBufferSizeSocketOption), 425984);
    EXPECT_EQ(t.engine->setOption(SO::ReceiveBufferSizeSocketOption, 1), 0);
    EXPECT_EQ(t.engine->option(SO::ReceiveBufferSizeSocketOption), 2304);
    EXPECT_EQ(t.engine->setOption(SO::ReceiveBufferSizeSocketOption, -1), 0);
    EXPECT_EQ(t.engine->option(SO::ReceiveBufferSizeSocketOption), 425984);
}

TEST(SimOptionsTest, PathMtuOnConnectedSockets) {
    Network net(1);
    ASSERT_TRUE(net.addHost("server", {HostAddress("10.0.0.2")}));
    Pair lo = connectPair(net, "local", "local", HostAddress("127.0.0.1"), 8080);
    EXPECT_EQ(lo.client.engine->option(SO::PathMtuSocketOption), 65536);
    EXPECT_EQ(lo.server.engine->option(SO::PathMtuSocketOption), 65536);
    Pair remote = connectPair(net, "local", "server", HostAddress("10.0.0.2"), 8080);
    EXPECT_EQ(remote.client.engine->option(SO::PathMtuSocketOption), 1500);
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(u.engine->option(SO::PathMtuSocketOption), std::nullopt);
    ASSERT_EQ(u.engine->connect(HostAddress("10.0.0.2"), 53), 0);
    EXPECT_EQ(u.engine->option(SO::PathMtuSocketOption), 1500);
}

TEST(SimOptionsTest, AcceptedSocketsInheritListenerOptions) {
    Network net(1);
    Endpoint l = makeListener(net, "local", HostAddress("127.0.0.1"), 8080);
    ASSERT_EQ(l.engine->setOption(SO::ReceiveBufferSizeSocketOption, 4000), 0);
    ASSERT_EQ(l.engine->setOption(SO::LowDelayOption, 1), 0);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(HostAddress("127.0.0.1"), 8080), EINPROGRESS);
    Endpoint s = acceptOne(net, l);
    EXPECT_EQ(s.engine->option(SO::ReceiveBufferSizeSocketOption), 8000);
    EXPECT_EQ(s.engine->option(SO::LowDelayOption), 1);
}

// EngineBase's policy, as on epoll: an engine without a socket keeps what is set and applies it when the
// socket is created (it used to answer EBADF); a read-only option is refused at once.
TEST(SimOptionsTest, OptionsSetBeforeTheSocketExistsAreKeptAndApplied) {
    Network net(1);
    auto e = net.createEngineOn("local", SocketType::TcpSocket);
    EXPECT_EQ(e->option(SO::KeepAliveOption), std::nullopt);
    EXPECT_EQ(e->setOption(SO::KeepAliveOption, 1), 0);
    EXPECT_EQ(e->setOption(SO::SendBufferSizeSocketOption, 20000), 0);
    EXPECT_EQ(e->setOption(SO::PathMtuSocketOption, 1400), ENOPROTOOPT);
    EXPECT_EQ(e->option(SO::KeepAliveOption), 1);  // what will be applied
    EXPECT_EQ(e->option(SO::SendBufferSizeSocketOption), 20000);
    EXPECT_EQ(e->option(SO::LowDelayOption), std::nullopt);
    EXPECT_FALSE(e->isValid());
    ASSERT_EQ(e->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(e->option(SO::KeepAliveOption), 1);
    EXPECT_EQ(e->option(SO::SendBufferSizeSocketOption), 40000);  // doubled, as Linux does
    EXPECT_EQ(e->option(SO::LowDelayOption), 0);                  // never set: the default
    e->close();
    EXPECT_EQ(e->option(SO::KeepAliveOption), std::nullopt);  // applied, so no longer kept
}

}  // namespace
}  // namespace simsock::sim::test
