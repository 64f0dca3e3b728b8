// The simsock side of epoll_workloads.h: the same four workloads through TcpSocket, TcpServer and
// UdpSocket on an EpollBackend, written as an application would write them against Qt: signal handlers
// that read what is available and write what they must. Every wait is runUntil with a real-time bound.
#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "epoll_workloads.h"
#include "simsock/epoll/epoll_backend.h"
#include "simsock/simsock.h"

namespace simsock::bench {

namespace {

constexpr std::int64_t kTimeoutMs = 5000;

void runUntilOrThrow(EventLoop& loop, const std::function<bool()>& pred, const char* what) {
    if (!loop.runUntil(pred, kTimeoutMs)) throw std::runtime_error(std::string("simsock epoll: ") + what + " timed out");
}

// A connected client and its accepted peer over 127.0.0.1.
struct SimsockPair {
    epoll::EpollBackend backend;
    TcpServer server{backend};
    std::unique_ptr<TcpSocket> client = std::make_unique<TcpSocket>(backend);
    std::unique_ptr<TcpSocket> peer;

    SimsockPair() {
        if (!server.listen(HostAddress("127.0.0.1"), 0)) throw std::runtime_error("listen failed");
        client->connectToHost(HostAddress("127.0.0.1"), server.serverPort());
        runUntilOrThrow(
            backend.loop(),
            [this] {
                if (!peer) peer = server.nextPendingConnection();
                return peer && client->state() == SocketState::ConnectedState;
            },
            "connect");
    }
    ~SimsockPair() {
        client.reset();  // sockets before the backend they run on
        peer.reset();
    }
};

class SimsockStream final : public Workload {
public:
    SimsockStream() : chunk_(kStreamChunkBytes, 's'), sink_(kStreamChunkBytes) {
        p_.client->bytesWritten.connect([this](std::int64_t) { topUp(); });
        p_.peer->readyRead.connect([this] {
            std::int64_t n;
            while ((n = p_.peer->read(sink_.data(), kStreamChunkBytes)) > 0) toRead_ -= n;
        });
    }
    void run(std::int64_t bytes) override {
        toWrite_ = toRead_ = bytes;
        topUp();
        runUntilOrThrow(p_.backend.loop(), [this] { return toRead_ <= 0; }, "stream");
    }

private:
    void topUp() {
        while (toWrite_ > 0 && p_.client->bytesToWrite() < kStreamWriteAheadBytes)
            toWrite_ -= p_.client->write(chunk_.data(), std::min(toWrite_, kStreamChunkBytes));
    }

    SimsockPair p_;
    std::string chunk_;
    std::vector<char> sink_;
    std::int64_t toWrite_ = 0;
    std::int64_t toRead_ = 0;
};

class SimsockPingPong final : public Workload {
public:
    SimsockPingPong() {
        p_.peer->readyRead.connect([this] {
            char byte;
            while (p_.peer->read(&byte, 1) == 1) p_.peer->write(&byte, 1);
        });
        p_.client->readyRead.connect([this] {
            char byte;
            while (p_.client->read(&byte, 1) == 1)
                if (--remaining_ > 0) p_.client->write(&byte, 1);
        });
    }
    void run(std::int64_t trips) override {
        remaining_ = trips;
        p_.client->write("x", 1);
        runUntilOrThrow(p_.backend.loop(), [this] { return remaining_ == 0; }, "ping-pong");
    }

private:
    SimsockPair p_;
    std::int64_t remaining_ = 0;
};

// One cycle: a fresh client connects, the server accepts and closes at once, the client sees the close;
// both sockets are gone before the next cycle (the same shape as the raw baseline).
class SimsockChurn final : public Workload {
public:
    SimsockChurn() {
        if (!server_.listen(HostAddress("127.0.0.1"), 0)) throw std::runtime_error("listen failed");
        server_.newConnection.connect([this] {
            while (auto s = server_.nextPendingConnection()) {
                s->close();
                accepted_.push_back(std::move(s));
            }
        });
    }
    ~SimsockChurn() override { accepted_.clear(); }
    void run(std::int64_t cycles) override {
        for (std::int64_t i = 0; i < cycles; ++i) cycle();
    }

private:
    void cycle() {
        TcpSocket client(backend_);
        bool wasConnected = false;
        client.connected.connect([&] { wasConnected = true; });
        client.connectToHost(HostAddress("127.0.0.1"), server_.serverPort());
        runUntilOrThrow(
            backend_.loop(),
            [&] {
                return wasConnected && client.state() == SocketState::UnconnectedState && !accepted_.empty() &&
                       accepted_.back()->state() == SocketState::UnconnectedState;
            },
            "churn");
        accepted_.clear();
    }

    epoll::EpollBackend backend_;
    TcpServer server_{backend_};
    std::vector<std::unique_ptr<TcpSocket>> accepted_;
};

// Bursts of kDatagramBurst datagrams, each burst drained before the next is sent.
class SimsockUdp final : public Workload {
public:
    SimsockUdp() : payload_(kDatagramBytes, 'u'), sink_(kDatagramBytes * 2) {
        if (!server_.bind(HostAddress("127.0.0.1"), 0) || !client_.bind(HostAddress("127.0.0.1"), 0))
            throw std::runtime_error("udp bind failed");
        server_.readyRead.connect([this] {
            while (server_.hasPendingDatagrams())
                if (server_.readDatagram(sink_.data(), static_cast<std::int64_t>(sink_.size())) >= 0) ++received_;
        });
    }
    void run(std::int64_t datagrams) override {
        const HostAddress to("127.0.0.1");
        const std::uint16_t port = server_.localPort();
        for (std::int64_t sent = 0; sent < datagrams;) {
            const std::int64_t burst = std::min(kDatagramBurst, datagrams - sent);
            received_ = 0;
            for (std::int64_t i = 0; i < burst; ++i)
                if (client_.writeDatagram(payload_.data(), kDatagramBytes, to, port) != kDatagramBytes)
                    throw std::runtime_error("writeDatagram failed");
            runUntilOrThrow(backend_.loop(), [&] { return received_ >= burst; }, "udp");
            sent += burst;
        }
    }

private:
    epoll::EpollBackend backend_;
    UdpSocket server_{backend_};
    UdpSocket client_{backend_};
    std::string payload_;
    std::vector<char> sink_;
    std::int64_t received_ = 0;
};

}  // namespace

std::unique_ptr<Workload> makeSimsockStream() { return std::make_unique<SimsockStream>(); }
std::unique_ptr<Workload> makeSimsockPingPong() { return std::make_unique<SimsockPingPong>(); }
std::unique_ptr<Workload> makeSimsockChurn() { return std::make_unique<SimsockChurn>(); }
std::unique_ptr<Workload> makeSimsockUdp() { return std::make_unique<SimsockUdp>(); }

}  // namespace simsock::bench
