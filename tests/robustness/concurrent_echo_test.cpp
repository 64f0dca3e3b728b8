// 2,000 concurrent loopback connections with echo traffic: every client sends its own payload, gets
// exactly that payload back in order, and closes; no byte is lost, duplicated or delivered to the wrong
// connection. Half the clients use 127.0.0.1, half ::1, each to its own echoing TcpServer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "robustness_support.h"
#include "simsock/epoll/epoll_backend.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using S = SocketState;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 2000;
constexpr std::int64_t kRunCapMs = 60'000;
// Two descriptors per connection (client and accepted socket) plus the loop's, the servers' and the
// test runner's own; 8192 is what the issue asks for and leaves ample room.
constexpr std::int64_t kWantedDescriptors = 8192;
constexpr std::int64_t kNeededDescriptors = 2 * kClients + 64;
// Above the default listen backlog (50), so a burst of 2,000 SYNs is not dropped and retried after
// the kernel's 1 s SYN timeout; net.core.somaxconn caps it anyway.
constexpr int kBacklog = 4096;

/// Client i's payload: 2-6 KiB, sizes spread so that writes and reads split at different offsets, led
/// by the client's number and followed by a pattern that depends on it, so a byte delivered to the wrong
/// connection or out of order changes the comparison.
std::string payloadFor(int client) {
    const std::size_t size = 2048 + static_cast<std::size_t>(client * 37 % 4096);
    std::string p = "client " + std::to_string(client) + ":";
    p.reserve(size);
    for (std::size_t j = p.size(); j < size; ++j)
        p.push_back(static_cast<char>((j * 131 + static_cast<std::size_t>(client) * 17 + (j >> 8)) & 0xff));
    return p;
}

struct Client {
    std::unique_ptr<TcpSocket> socket;
    std::string payload;
    std::string received;
    int connected = 0;
    int disconnected = 0;
};

struct Served {
    std::unique_ptr<TcpSocket> socket;
    std::int64_t echoed = 0;
};

class ConcurrentEcho : public ::testing::Test {
protected:
    void listenOn(TcpServer& server, const HostAddress& address) {
        server.setListenBacklogSize(kBacklog);
        server.setMaxPendingConnections(kClients);
        ASSERT_TRUE(server.listen(address, 0)) << server.errorString();
        server.newConnection.connect([this, &server] {
            while (auto s = server.nextPendingConnection()) serve(std::move(s));
        });
    }

    /// The echo: whatever arrives goes straight back; the remote close ends the served socket.
    void serve(std::unique_ptr<TcpSocket> socket) {
        served_.push_back(std::make_unique<Served>());
        Served* s = served_.back().get();
        s->socket = std::move(socket);
        s->socket->readyRead.connect([s] {
            const std::string data = s->socket->readAll();
            s->echoed += s->socket->write(data);
        });
        s->socket->disconnected.connect([this] { ++servedClosed_; });
    }

    void start(int i) {
        auto& c = *clients_.emplace_back(std::make_unique<Client>());
        c.payload = payloadFor(i);
        c.socket = std::make_unique<TcpSocket>(backend_);
        TcpSocket* sock = c.socket.get();
        Client* cp = &c;
        sock->connected.connect([cp] {
            ++cp->connected;
            cp->socket->write(cp->payload);
        });
        sock->readyRead.connect([cp] {
            cp->received += cp->socket->readAll();
            // Closing once everything is back: the server then sees our FIN after the last byte.
            if (cp->received.size() >= cp->payload.size()) cp->socket->disconnectFromHost();
        });
        sock->disconnected.connect([this, cp] {
            ++cp->disconnected;
            ++clientsClosed_;
        });
        const bool v6 = i % 2 == 1;
        sock->connectToHost(v6 ? v6_ : v4_, v6 ? v6Server_.serverPort() : v4Server_.serverPort());
    }

    const HostAddress v4_{"127.0.0.1"};
    const HostAddress v6_{"::1"};
    robustness::ScopedDescriptorLimit limit_{kWantedDescriptors};  // first: restored last
    epoll::EpollBackend backend_;
    TcpServer v4Server_{backend_};
    TcpServer v6Server_{backend_};
    std::vector<std::unique_ptr<Client>> clients_;
    std::vector<std::unique_ptr<Served>> served_;
    int clientsClosed_ = 0;
    int servedClosed_ = 0;
};

TEST_F(ConcurrentEcho, TwoThousandConnectionsEchoEveryByteExactlyOnce) {
    if (limit_.soft() < kNeededDescriptors)
        GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << limit_.hard() << " is below the " << kNeededDescriptors
                     << " descriptors 2,000 loopback connections need (raise it with ulimit -Hn)";
    listenOn(v4Server_, v4_);
    listenOn(v6Server_, v6_);
    const auto begin = Clock::now();
    clients_.reserve(kClients);
    for (int i = 0; i < kClients; ++i) start(i);
    const bool done = backend_.loop().runUntil(
        [&] { return clientsClosed_ == kClients && servedClosed_ == kClients; }, kRunCapMs);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begin).count();
    std::printf("[ robustness ] %d connections echoed and closed in %lld ms\n", kClients, static_cast<long long>(ms));
    ASSERT_TRUE(done) << clientsClosed_ << " clients and " << servedClosed_ << " served sockets closed";

    std::int64_t sent = 0;
    std::int64_t received = 0;
    int wrong = 0;
    for (int i = 0; i < kClients; ++i) {
        const Client& c = *clients_[static_cast<std::size_t>(i)];
        sent += static_cast<std::int64_t>(c.payload.size());
        received += static_cast<std::int64_t>(c.received.size());
        EXPECT_EQ(c.connected, 1) << "client " << i;
        EXPECT_EQ(c.disconnected, 1) << "client " << i;
        EXPECT_EQ(c.socket->state(), S::UnconnectedState) << "client " << i;
        // One mismatch report per client at most, and only the first few, so a systematic failure stays readable.
        if (c.received != c.payload && ++wrong <= 5)
            ADD_FAILURE() << "client " << i << " sent " << c.payload.size() << " bytes, got back "
                          << c.received.size() << (c.received.size() == c.payload.size() ? " (different bytes)" : "");
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(received, sent);
    ASSERT_EQ(served_.size(), static_cast<std::size_t>(kClients));
    std::int64_t echoed = 0;
    for (const auto& s : served_) {
        echoed += s->echoed;
        EXPECT_EQ(s->socket->state(), S::UnconnectedState);
        EXPECT_EQ(s->socket->error(), SocketError::RemoteHostClosedError);
    }
    EXPECT_EQ(echoed, sent);
}

}  // namespace
}  // namespace simsock
