// Helpers for the epoll tests: a receiver that counts notifications, loopback listeners, fd counting.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "simsock/epoll/epoll_engine.h"
#include "simsock/epoll/epoll_loop.h"

namespace simsock::epoll::test {

/// Counts every notification and optionally runs a hook for it.
class CountingReceiver : public EngineReceiver {
public:
    int reads = 0;
    int writes = 0;
    int connections = 0;
    std::function<void()> onRead;
    std::function<void()> onWrite;
    std::function<void()> onConnection;

    void readNotification() override {
        ++reads;
        if (onRead) onRead();
    }
    void writeNotification() override {
        ++writes;
        if (onWrite) onWrite();
    }
    void connectionNotification() override {
        ++connections;
        if (onConnection) onConnection();
    }
};

/// Generous real-time bound for anything that should happen "soon" on loopback.
inline constexpr std::int64_t kSoonMs = 5000;

inline HostAddress v4Loopback() { return HostAddress(HostAddress::SpecialAddress::LocalHost); }
inline HostAddress v6Loopback() { return HostAddress(HostAddress::SpecialAddress::LocalHostIPv6); }

inline NetworkLayerProtocol protocolOf(const HostAddress& a) { return a.protocol(); }

/// A TCP engine listening on address:ephemeral (asserts on failure).
inline std::unique_ptr<EpollEngine> makeListener(EpollLoop& loop, const HostAddress& address, int backlog = 64) {
    auto e = std::make_unique<EpollEngine>(loop, SocketType::TcpSocket);
    EXPECT_EQ(e->initialize(address.protocol()), 0);
    EXPECT_EQ(e->bind(address, 0, BindFlag::DefaultForPlatform), 0);
    EXPECT_EQ(e->listen(backlog), 0);
    EXPECT_NE(e->localPort(), 0);
    return e;
}

/// A UDP engine bound to address:ephemeral.
inline std::unique_ptr<EpollEngine> makeUdp(EpollLoop& loop, const HostAddress& address) {
    auto e = std::make_unique<EpollEngine>(loop, SocketType::UdpSocket);
    EXPECT_EQ(e->initialize(address.protocol()), 0);
    EXPECT_EQ(e->bind(address, 0, BindFlag::DefaultForPlatform), 0);
    EXPECT_NE(e->localPort(), 0);
    return e;
}

/// A connected client/server pair on loopback, with counting receivers installed.
struct TcpPair {
    CountingReceiver clientEvents;
    CountingReceiver serverEvents;
    std::unique_ptr<EpollEngine> listener;
    std::unique_ptr<EpollEngine> client;
    std::unique_ptr<EpollEngine> server;
};

/// Connects a client to a fresh listener on address and adopts the accepted descriptor as server.
inline std::unique_ptr<TcpPair> connectPair(EpollLoop& loop, const HostAddress& address) {
    auto p = std::make_unique<TcpPair>();
    p->listener = makeListener(loop, address);
    p->client = std::make_unique<EpollEngine>(loop, SocketType::TcpSocket);
    p->client->setReceiver(&p->clientEvents);
    EXPECT_EQ(p->client->initialize(address.protocol()), 0);
    const int rc = p->client->connect(address, p->listener->localPort());
    if (rc == EINPROGRESS) {
        EXPECT_TRUE(loop.runUntil([&] { return p->clientEvents.connections == 1; }, kSoonMs));
    } else {
        EXPECT_EQ(rc, 0);
    }
    EXPECT_EQ(p->client->connectResult(), 0);
    int err = -1;
    std::intptr_t fd = -1;
    EXPECT_TRUE(loop.runUntil([&] { return (fd = p->listener->accept(err)) >= 0; }, kSoonMs));
    p->server = std::make_unique<EpollEngine>(loop, SocketType::TcpSocket);
    p->server->setReceiver(&p->serverEvents);
    EXPECT_EQ(p->server->adoptDescriptor(fd), 0);
    return p;
}

/// Open descriptors of this process.
inline int openFdCount() {
    int n = 0;
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) return -1;
    while (const dirent* entry = ::readdir(d)) {
        if (entry->d_name[0] != '.') ++n;
    }
    ::closedir(d);
    return n - 1;  // the directory stream itself
}

}  // namespace simsock::epoll::test
