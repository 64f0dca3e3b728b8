// The sim engine under the socket API: TCP ping-pong, a stream, and connection churn, all on host
// "local" over the simulated loopback link. Wall-clock cost is what is measured; virtual time is
// reported as a counter so a reader can see how much simulated time a second of CPU buys.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_args.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace {

using simsock::HostAddress;
using simsock::SocketState;
using simsock::TcpServer;
using simsock::TcpSocket;

constexpr std::uint16_t kPort = 7000;
constexpr std::int64_t kChunkBytes = 64 * 1024;
constexpr std::int64_t kWriteAheadBytes = 4 * kChunkBytes;  // bounds the client's user-space buffer
constexpr std::uint64_t kRoundTripsPerBatch = 1000;
constexpr std::int64_t kVirtualTimeoutMs = 3'600'000;  // every runUntil is bounded

std::int64_t gStreamBytes = 64ll << 20;  // --sim_stream_mib=1024 streams the 1 GiB

// A connected client and its accepted peer on one simulated network.
struct SimPair {
    simsock::sim::Network net{1};
    TcpServer server{net};
    std::unique_ptr<TcpSocket> client = std::make_unique<TcpSocket>(net);
    std::unique_ptr<TcpSocket> peer;

    SimPair() {
        if (!server.listen(HostAddress("127.0.0.1"), kPort)) throw std::runtime_error("listen failed");
        server.newConnection.connect([this] { peer = server.nextPendingConnection(); });
        client->connectToHost("127.0.0.1", kPort);
        const bool up = net.loop().runUntil(
            [this] { return peer && client->state() == SocketState::ConnectedState; }, kVirtualTimeoutMs);
        if (!up) throw std::runtime_error("simulated connect failed");
    }
};

void BM_SimTcpPingPong(benchmark::State& state) {
    SimPair p;
    char byte = 'x';
    std::uint64_t remaining = 0;
    p.peer->readyRead.connect([&] {
        while (p.peer->read(&byte, 1) == 1) p.peer->write(&byte, 1);
    });
    p.client->readyRead.connect([&] {
        while (p.client->read(&byte, 1) == 1) {
            if (--remaining == 0) p.net.loop().quit();
            else p.client->write(&byte, 1);
        }
    });
    const auto events0 = p.net.simLoop().eventsProcessed();
    const auto virtual0 = p.net.loop().nowNs();
    for (auto _ : state) {
        remaining = kRoundTripsPerBatch;
        p.client->write(&byte, 1);
        p.net.loop().run();
    }
    const auto trips = static_cast<double>(state.iterations() * kRoundTripsPerBatch);
    state.SetItemsProcessed(static_cast<std::int64_t>(trips));
    state.counters["events_per_trip"] = static_cast<double>(p.net.simLoop().eventsProcessed() - events0) / trips;
    state.counters["virtual_us_per_trip"] = static_cast<double>(p.net.loop().nowNs() - virtual0) / 1e3 / trips;
}

void BM_SimTcpStream(benchmark::State& state) {
    SimPair p;
    const std::string chunk(kChunkBytes, 's');
    std::vector<char> sink(kChunkBytes);
    std::int64_t toWrite = 0;
    std::int64_t toRead = 0;
    auto topUp = [&] {
        while (toWrite > 0 && p.client->bytesToWrite() < kWriteAheadBytes) {
            const std::int64_t n = std::min<std::int64_t>(toWrite, kChunkBytes);
            toWrite -= p.client->write(chunk.data(), n);
        }
    };
    p.client->bytesWritten.connect([&](std::int64_t) { topUp(); });
    p.peer->readyRead.connect([&] {
        std::int64_t n;
        while ((n = p.peer->read(sink.data(), kChunkBytes)) > 0) toRead -= n;
        if (toRead <= 0) p.net.loop().quit();
    });
    for (auto _ : state) {
        toWrite = toRead = gStreamBytes;
        topUp();
        p.net.loop().run();
        if (toRead != 0) state.SkipWithError("stream ended early");
    }
    state.SetBytesProcessed(state.iterations() * gStreamBytes);
    state.counters["stream_mib"] = static_cast<double>(gStreamBytes >> 20);
}

// One cycle: a fresh client connects, the server accepts and closes, the client sees the close; both
// sockets are destroyed before the next cycle, so nothing accumulates.
void BM_SimTcpChurn(benchmark::State& state) {
    simsock::sim::Network net{1};
    TcpServer server{net};
    if (!server.listen(HostAddress("127.0.0.1"), kPort)) state.SkipWithError("listen failed");
    std::vector<std::unique_ptr<TcpSocket>> accepted;
    server.newConnection.connect([&] {
        while (auto s = server.nextPendingConnection()) {
            s->close();
            accepted.push_back(std::move(s));
        }
    });
    for (auto _ : state) {
        TcpSocket client(net);
        bool wasConnected = false;
        client.connected.connect([&] { wasConnected = true; });
        client.connectToHost(HostAddress("127.0.0.1"), kPort);
        const bool done = net.loop().runUntil(
            [&] {
                return wasConnected && client.state() == SocketState::UnconnectedState && !accepted.empty() &&
                       accepted.back()->state() == SocketState::UnconnectedState;
            },
            kVirtualTimeoutMs);
        if (!done) state.SkipWithError("churn cycle did not finish");
        accepted.clear();
    }
    state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_SimTcpPingPong);
BENCHMARK(BM_SimTcpStream);
BENCHMARK(BM_SimTcpChurn);

int main(int argc, char** argv) {
    gStreamBytes = simsock::bench::takeIntFlag(argc, argv, "sim_stream_mib", gStreamBytes >> 20) << 20;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
