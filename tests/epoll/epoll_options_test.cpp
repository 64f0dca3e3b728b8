// Socket options: the setsockopt mapping of SEMANTICS.md, what getsockopt reports back, and options
// kept until the OS socket exists.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "epoll_test_support.h"

namespace simsock::epoll {
namespace {

using O = SocketOption;

int setThenGet(EpollEngine& e, SocketOption o, int value) {
    EXPECT_EQ(e.setOption(o, value), 0) << toString(o);
    const std::optional<int> v = e.option(o);
    EXPECT_TRUE(v.has_value()) << toString(o);
    return v.value_or(-12345);
}

TEST(EpollOptions, TcpIPv4RoundTrips) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::TcpSocket);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(e.option(O::LowDelayOption), 0);
    EXPECT_EQ(setThenGet(e, O::LowDelayOption, 1), 1);
    EXPECT_EQ(setThenGet(e, O::LowDelayOption, 0), 0);
    EXPECT_EQ(e.option(O::KeepAliveOption), 0);
    EXPECT_EQ(setThenGet(e, O::KeepAliveOption, 1), 1);
    // The kernel doubles buffer sizes for its bookkeeping and reports the doubled value.
    EXPECT_EQ(setThenGet(e, O::SendBufferSizeSocketOption, 8192), 16384);
    EXPECT_EQ(setThenGet(e, O::ReceiveBufferSizeSocketOption, 8192), 16384);
    EXPECT_EQ(setThenGet(e, O::TypeOfServiceOption, 0x10), 0x10);
}

TEST(EpollOptions, UdpIPv4MulticastOptionsRoundTrip) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::UdpSocket);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(e.option(O::MulticastTtlOption), 1);  // the kernel default
    EXPECT_EQ(setThenGet(e, O::MulticastTtlOption, 7), 7);
    EXPECT_EQ(e.option(O::MulticastLoopbackOption), 1);
    EXPECT_EQ(setThenGet(e, O::MulticastLoopbackOption, 0), 0);
    EXPECT_EQ(setThenGet(e, O::MulticastLoopbackOption, 1), 1);
    EXPECT_EQ(setThenGet(e, O::TypeOfServiceOption, 0x10), 0x10);
    EXPECT_EQ(setThenGet(e, O::SendBufferSizeSocketOption, 8192), 16384);
}

TEST(EpollOptions, UdpIPv6UsesTheIPv6Twins) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::UdpSocket);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv6Protocol), 0);
    EXPECT_EQ(setThenGet(e, O::MulticastTtlOption, 9), 9);       // IPV6_MULTICAST_HOPS
    EXPECT_EQ(setThenGet(e, O::MulticastLoopbackOption, 0), 0);  // IPV6_MULTICAST_LOOP
    EXPECT_EQ(setThenGet(e, O::TypeOfServiceOption, 0x20), 0x20);  // IPV6_TCLASS
    EXPECT_EQ(setThenGet(e, O::ReceiveBufferSizeSocketOption, 4096), 8192);
}

TEST(EpollOptions, LowDelayOnUdpIsAKernelRefusal) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::UdpSocket);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(e.setOption(O::LowDelayOption, 1), ENOPROTOOPT);
    EXPECT_EQ(e.option(O::LowDelayOption), std::nullopt);
}

TEST(EpollOptions, PathMtuIsReadOnlyAndNeedsAConnection) {
    EpollLoop loop;
    EpollEngine idle(loop, SocketType::TcpSocket);
    EXPECT_EQ(idle.setOption(O::PathMtuSocketOption, 1400), ENOPROTOOPT);  // even before the socket
    ASSERT_EQ(idle.initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(idle.setOption(O::PathMtuSocketOption, 1400), ENOPROTOOPT);
    EXPECT_EQ(idle.option(O::PathMtuSocketOption), std::nullopt);  // ENOTCONN
    auto p = test::connectPair(loop, test::v4Loopback());
    // The loopback device's MTU is 65536; gVisor's netstack reports IP_MTU capped to 65535.
    const std::optional<int> mtu = p->client->option(O::PathMtuSocketOption);
    EXPECT_TRUE(mtu == 65536 || mtu == 65535) << mtu.value_or(-1);
    auto p6 = test::connectPair(loop, test::v6Loopback());
    EXPECT_EQ(p6->client->option(O::PathMtuSocketOption), 65536);
}

TEST(EpollOptions, OptionsSetBeforeTheSocketExistsAreKeptAndApplied) {
    EpollLoop loop;
    EpollEngine e(loop, SocketType::TcpSocket);
    EXPECT_EQ(e.option(O::LowDelayOption), std::nullopt);
    EXPECT_EQ(e.setOption(O::LowDelayOption, 1), 0);
    EXPECT_EQ(e.setOption(O::SendBufferSizeSocketOption, 8192), 0);
    EXPECT_EQ(e.setOption(O::TypeOfServiceOption, 0x08), 0);
    EXPECT_EQ(e.option(O::LowDelayOption), 1);  // what will be applied
    EXPECT_EQ(e.option(O::SendBufferSizeSocketOption), 8192);
    ASSERT_EQ(e.initialize(NetworkLayerProtocol::IPv6Protocol), 0);
    EXPECT_EQ(e.option(O::LowDelayOption), 1);
    EXPECT_EQ(e.option(O::SendBufferSizeSocketOption), 16384);
    EXPECT_EQ(e.option(O::TypeOfServiceOption), 0x08);  // IPV6_TCLASS on the IPv6 socket
    EXPECT_EQ(e.option(O::KeepAliveOption), 0);         // never set: the kernel default
}

TEST(EpollOptions, KeptOptionsApplyToAnAdoptedDescriptor) {
    EpollLoop loop;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    EpollEngine e(loop, SocketType::TcpSocket);
    EXPECT_EQ(e.setOption(O::KeepAliveOption, 1), 0);
    ASSERT_EQ(e.adoptDescriptor(fd), 0);
    int value = 0;
    socklen_t length = sizeof value;
    ASSERT_EQ(::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &value, &length), 0);
    EXPECT_EQ(value, 1);
    EXPECT_EQ(e.option(O::KeepAliveOption), 1);
}

}  // namespace
}  // namespace simsock::epoll
