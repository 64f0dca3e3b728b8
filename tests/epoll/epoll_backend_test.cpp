// EpollBackend and its registration.
#include <gtest/gtest.h>

#include <algorithm>

#include "simsock/epoll/epoll_backend.h"
#include "simsock/epoll/epoll_engine.h"

namespace simsock::epoll {
namespace {

TEST(EpollBackend, RegistersUnderItsName) {
    registerEpollBackend();
    registerEpollBackend();  // idempotent
    const std::vector<std::string> names = BackendRegistry::instance().names();
    EXPECT_EQ(std::count(names.begin(), names.end(), "epoll"), 1);
    std::unique_ptr<Backend> backend = BackendRegistry::instance().create("epoll");
    ASSERT_NE(backend, nullptr);
    EXPECT_EQ(backend->name(), "epoll");
}

TEST(EpollBackend, CreatesEnginesWithoutSockets) {
    EpollBackend backend;
    std::unique_ptr<SocketEngine> tcp = backend.createEngine(SocketType::TcpSocket);
    std::unique_ptr<SocketEngine> udp = backend.createEngine(SocketType::UdpSocket);
    std::unique_ptr<SocketEngine> sctp = backend.createEngine(SocketType::SctpSocket);
    EXPECT_FALSE(tcp->isValid());
    EXPECT_EQ(tcp->descriptor(), -1);
    EXPECT_EQ(tcp->protocol(), NetworkLayerProtocol::UnknownNetworkLayerProtocol);
    EXPECT_EQ(tcp->initialize(NetworkLayerProtocol::AnyIPProtocol), 0);
    EXPECT_EQ(tcp->protocol(), NetworkLayerProtocol::AnyIPProtocol);
    EXPECT_EQ(udp->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(sctp->initialize(NetworkLayerProtocol::IPv4Protocol), EPROTONOSUPPORT);
    EXPECT_EQ(udp->initialize(NetworkLayerProtocol::UnknownNetworkLayerProtocol), EAFNOSUPPORT);
}

TEST(EpollBackend, LoopAndResolverWorkTogether) {
    EpollBackend backend;
    int calls = 0;
    backend.resolver().lookupHost("localhost", [&](const HostInfo& info) {
        ++calls;
        EXPECT_EQ(info.error, HostInfo::Error::NoError);
    });
    EXPECT_TRUE(backend.loop().runUntil([&] { return calls == 1; }, 10'000));
}

}  // namespace
}  // namespace simsock::epoll
