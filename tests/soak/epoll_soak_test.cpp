// The epoll soak: for a fixed wall time (SIMSOCK_SOAK_SECONDS, default 60) loopback connections keep
// opening, streaming, resetting and closing, up to kInFlight at once, over 127.0.0.1 and ::1. Each client
// names its ending in its first byte, and the served side acts on it:
//   'E' echo: the client streams a payload, gets exactly it back, then closes;
//   'A' the client aborts (RST) after part of its payload has come back;
//   'R' the served side aborts after the first bytes;
//   'C' the served side closes at once.
// At the end: every echoed byte came back in order (no byte lost), /proc/self/fd holds what it held
// after the warm-up (no descriptor leak), and memory is bounded: the live heap grew by less than
// kMaxLiveHeapGrowthBytes and the resident set by less than kMaxRssGrowthKb.
#include <gtest/gtest.h>
#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "../robustness/robustness_support.h"
#include "simsock/epoll/epoll_backend.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using S = SocketState;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kInFlight = 64;
constexpr int kWarmupConnections = 500;
constexpr std::int64_t kSliceMs = 50;
constexpr std::int64_t kDrainMs = 30'000;
// Memory is measured after malloc_trim, so the resident set is what is live, not what glibc keeps free
// (without the trim it grew by 14-52 MB over 60-150 s with the live heap flat). Measured: RSS +0.2 MB and
// live heap +60 KB, the same after 30 s and 90 s; a leak of 20 bytes per connection breaks either bound
// within a minute.
constexpr long long kMaxLiveHeapGrowthBytes = 1024 * 1024;
constexpr long kMaxRssGrowthKb = 4 * 1024;

/// VmRSS of this process in KiB, or -1, after glibc has returned the free memory it can to the system.
long residentKb() {
    malloc_trim(0);
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

/// Bytes the allocator has handed out and not got back (live heap), or -1.
long long liveHeapBytes() { return static_cast<long long>(mallinfo2().uordblks); }

/// Connection n's first byte: mostly echo streams, the rest spread over the three other endings.
char endingFor(std::uint64_t n) {
    switch (n % 8) {
    case 1: return 'A';
    case 3: return 'R';
    case 5: return 'C';
    default: return 'E';
    }
}

/// 1 KiB to 256 KiB, a pattern that depends on n, so a lost, repeated or misplaced byte changes it.
std::string payloadFor(std::uint64_t n) {
    const std::size_t size = 1024 + static_cast<std::size_t>((n * 7919) % (255 * 1024));
    std::string p(size, '\0');
    for (std::size_t i = 0; i < size; ++i) p[i] = static_cast<char>((i * 131 + n * 17 + (i >> 9)) & 0xff);
    return p;
}

struct Client {
    std::unique_ptr<TcpSocket> socket;
    char ending = 'E';
    std::string payload;
    std::string back;
    bool ended = false;
};

struct Served {
    std::unique_ptr<TcpSocket> socket;
    char ending = 0;
    bool ended = false;
};

struct Totals {
    std::uint64_t opened = 0, echoBytes = 0, lostOrWrong = 0;
    std::uint64_t byEnding[4] = {};  // E, A, R, C
};

class EpollSoak : public ::testing::Test {
protected:
    void SetUp() override {
        for (TcpServer* server : {&v4Server_, &v6Server_}) {
            ASSERT_TRUE(server->listen(server == &v4Server_ ? v4_ : v6_, 0)) << server->errorString();
            server->newConnection.connect([this, server] {
                while (auto s = server->nextPendingConnection()) serve(std::move(s));
            });
        }
    }

    void serve(std::unique_ptr<TcpSocket> socket) {
        auto& s = *served_.emplace_back(std::make_unique<Served>());
        s.socket = std::move(socket);
        Served* sp = &s;
        s.socket->readyRead.connect([sp] { onServedData(*sp); });
        s.socket->disconnected.connect([sp] { sp->ended = true; });
    }

    static void onServedData(Served& s) {
        std::string data = s.socket->readAll();
        if (data.empty()) return;
        if (s.ending == 0) {
            s.ending = data[0];
            data.erase(0, 1);
            if (s.ending == 'C') return s.socket->disconnectFromHost();
        }
        if (s.ending == 'R') return s.socket->abort();
        s.socket->write(data);  // 'E' and 'A' echo
    }

    void open() {
        const std::uint64_t n = totals_.opened++;
        auto& c = *clients_.emplace_back(std::make_unique<Client>());
        c.ending = endingFor(n);
        c.payload = payloadFor(n);
        c.socket = std::make_unique<TcpSocket>(backend_);
        Client* cp = &c;
        c.socket->connected.connect([cp] {
            cp->socket->write(std::string(1, cp->ending));
            cp->socket->write(cp->payload);
        });
        c.socket->readyRead.connect([cp] { onClientData(*cp); });
        c.socket->disconnected.connect([cp] { cp->ended = true; });
        const bool v6 = n % 2 == 1;
        c.socket->connectToHost(v6 ? v6_ : v4_, v6 ? v6Server_.serverPort() : v4Server_.serverPort());
    }

    static void onClientData(Client& c) {
        c.back += c.socket->readAll();
        if (c.ending == 'A' && c.back.size() >= c.payload.size() / 2) return c.socket->abort();
        if (c.ending == 'E' && c.back.size() >= c.payload.size()) c.socket->disconnectFromHost();
    }

    /// Destroys what has ended (outside any handler) and accounts for it.
    void reap() {
        std::erase_if(clients_, [this](const std::unique_ptr<Client>& c) {
            if (!c->ended || c->socket->state() != S::UnconnectedState) return false;
            account(*c);
            return true;
        });
        std::erase_if(served_, [](const std::unique_ptr<Served>& s) {
            return s->ended && s->socket->state() == S::UnconnectedState;
        });
    }

    void account(const Client& c) {
        static const std::string kEndings = "EARC";
        ++totals_.byEnding[kEndings.find(c.ending)];
        if (c.ending == 'E') {
            totals_.echoBytes += c.payload.size();
            if (c.back != c.payload) ++totals_.lostOrWrong;
        } else if (c.payload.compare(0, c.back.size(), c.back) != 0) {
            ++totals_.lostOrWrong;  // what came back before the reset is still a prefix, in order
        }
    }

    /// Runs the loop for a moment, then destroys what ended (sockets die outside their own handlers).
    void slice() {
        backend_.loop().runUntil([] { return false; }, kSliceMs);
        reap();
    }

    /// Keeps kInFlight connections going until `until` (or until `connections` were opened), then drains.
    bool churn(Clock::time_point until, std::uint64_t connections) {
        while (Clock::now() < until && totals_.opened < connections) {
            while (clients_.size() < kInFlight) open();
            slice();
        }
        const auto drainEnd = Clock::now() + std::chrono::milliseconds(kDrainMs);
        while (!(clients_.empty() && served_.empty()) && Clock::now() < drainEnd) slice();
        return clients_.empty() && served_.empty();
    }

    const HostAddress v4_{"127.0.0.1"};
    const HostAddress v6_{"::1"};
    epoll::EpollBackend backend_;
    TcpServer v4Server_{backend_};
    TcpServer v6Server_{backend_};
    std::vector<std::unique_ptr<Client>> clients_;
    std::vector<std::unique_ptr<Served>> served_;
    Totals totals_;
};

TEST_F(EpollSoak, ConnectionsOpenStreamResetAndCloseWithoutLeaksOrLoss) {
    const int seconds = robustness::envCount("SIMSOCK_SOAK_SECONDS", 60);
    // The warm-up lets the allocator and the loop reach their working size before the baseline is taken.
    ASSERT_TRUE(churn(Clock::time_point::max(), kWarmupConnections)) << clients_.size() << " connections stuck";
    const int fdsBefore = robustness::openDescriptorCount();
    const long rssBefore = residentKb();
    const long long heapBefore = liveHeapBytes();
    const Totals warm = totals_;
    const auto start = Clock::now();
    const bool drained = churn(start + std::chrono::seconds(seconds), UINT64_MAX);
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    const int fdsAfter = robustness::openDescriptorCount();
    const long rssAfter = residentKb();
    const long long heapAfter = liveHeapBytes();
    std::printf("[ soak ] %.1f s: %llu connections (echo %llu, client abort %llu, server abort %llu, server close "
                "%llu), %llu bytes echoed, %llu lost or wrong; fds %d -> %d; RSS %ld -> %ld KiB; live heap %lld -> %lld bytes\n",
                wall, static_cast<unsigned long long>(totals_.opened - warm.opened),
                static_cast<unsigned long long>(totals_.byEnding[0] - warm.byEnding[0]),
                static_cast<unsigned long long>(totals_.byEnding[1] - warm.byEnding[1]),
                static_cast<unsigned long long>(totals_.byEnding[2] - warm.byEnding[2]),
                static_cast<unsigned long long>(totals_.byEnding[3] - warm.byEnding[3]),
                static_cast<unsigned long long>(totals_.echoBytes - warm.echoBytes),
                static_cast<unsigned long long>(totals_.lostOrWrong), fdsBefore, fdsAfter, rssBefore, rssAfter, heapBefore,
                heapAfter);
    ASSERT_TRUE(drained) << clients_.size() << " clients and " << served_.size() << " served sockets never ended";
    EXPECT_EQ(totals_.lostOrWrong, 0u);
    EXPECT_GT(totals_.opened - warm.opened, static_cast<std::uint64_t>(seconds) * 10);
    for (int i = 0; i < 4; ++i) EXPECT_GT(totals_.byEnding[i] - warm.byEnding[i], 0u) << "ending " << "EARC"[i];
    ASSERT_GT(fdsBefore, 0);
    EXPECT_EQ(fdsAfter, fdsBefore);
    ASSERT_GT(rssBefore, 0);
    EXPECT_LT(rssAfter - rssBefore, kMaxRssGrowthKb);
    ASSERT_GT(heapBefore, 0);
    EXPECT_LT(heapAfter - heapBefore, kMaxLiveHeapGrowthBytes);
}

}  // namespace
}  // namespace simsock
