// Many simultaneous simulated connections: what one event costs when the network holds n connections,
// and what each connection costs in resident memory. Connections come in groups of kPerGroup, each
// group a server host and a client host of its own: one host's ephemeral range holds 28,232 ports, as
// on Linux, and a real deployment of 100k connections spans many machines too. BM_SimHostScale sets up
// (and tears down) the same connections with every server end on one host, against the spread layout:
// a host holding 100,000 sockets must not make its lookups (descriptor numbers, listeners) slower.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "proc_memory.h"
#include "simsock/sim/sim_backend.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace {

using simsock::HostAddress;
using simsock::TcpServer;
using simsock::TcpSocket;

constexpr int kPerGroup = 1000;
constexpr std::uint16_t kScalePort = 7000;
constexpr std::int64_t kScaleTimeoutMs = 3'600'000;

std::string groupAddress(int base, int g) {
    return "10." + std::to_string(base + g / 256) + "." + std::to_string(g % 256) + ".1";
}

// How the server ends are placed, and whether each group settles before the next connects (so that one
// listener never sees more SYNs at once than its backlog holds).
struct Layout {
    bool oneServerHost = false;
    bool settleEachGroup = false;
};

class ScaleWorld {
public:
    explicit ScaleWorld(int connections, Layout layout = {}) : layout_(layout) {
        for (int g = 0; g * kPerGroup < connections; ++g) {
            addGroup(g, std::min(kPerGroup, connections - g * kPerGroup), connections);
            if (layout.settleEachGroup) settle(std::min(connections, (g + 1) * kPerGroup));
        }
        settle(connections);
    }

    simsock::sim::Network& net() { return net_; }

    /// Every client sends one byte and waits for its echo; returns when all echoes are back.
    void echoRound() {
        replies_ = 0;
        for (auto& c : clients_) c->write("p", 1);
        net_.loop().run();
    }

private:
    void settle(int connections) {
        const auto n = static_cast<std::size_t>(connections);
        const bool up = net_.loop().runUntil([&] { return connected_ == n && peers_.size() == n; }, kScaleTimeoutMs);
        if (!up)
            throw std::runtime_error("scale: " + std::to_string(connected_) + " connected, " +
                                     std::to_string(peers_.size()) + " accepted of " + std::to_string(n));
    }

    void addGroup(int g, int count, int connections) {
        const bool shared = layout_.oneServerHost && g > 0;
        const int sg = layout_.oneServerHost ? 0 : g;
        const std::string server = "s" + std::to_string(sg);
        const std::string client = "c" + std::to_string(g);
        const HostAddress serverAddress(groupAddress(1, sg));
        if (!shared) {
            net_.addHost(server, {serverAddress});
            net_.setDescriptorLimit(server, (layout_.oneServerHost ? connections : kPerGroup) + 64);
            auto& sb = *backends_.emplace_back(std::make_unique<simsock::sim::SimBackend>(net_, server));
            auto& srv = *servers_.emplace_back(std::make_unique<TcpServer>(sb));
            srv.setListenBacklogSize(kPerGroup);  // all of a group's SYNs arrive together
            if (!srv.listen(serverAddress, kScalePort)) throw std::runtime_error("scale: listen failed");
            srv.newConnection.connect([this, &srv] {
                while (auto s = srv.nextPendingConnection()) acceptPeer(std::move(s));
            });
        }
        net_.addHost(client, {HostAddress(groupAddress(128, g))});
        net_.setDescriptorLimit(client, kPerGroup + 64);
        auto& cb = *backends_.emplace_back(std::make_unique<simsock::sim::SimBackend>(net_, client));
        for (int i = 0; i < count; ++i) {
            auto& c = *clients_.emplace_back(std::make_unique<TcpSocket>(cb));
            c.connected.connect([this] { ++connected_; });
            c.readyRead.connect([this, &c] {
                char byte;
                while (c.read(&byte, 1) == 1)
                    if (++replies_ == clients_.size()) net_.loop().quit();
            });
            c.connectToHost(serverAddress, kScalePort);
        }
    }

    void acceptPeer(std::unique_ptr<TcpSocket> s) {
        auto& p = *peers_.emplace_back(std::move(s));
        p.readyRead.connect([&p] {
            char byte;
            while (p.read(&byte, 1) == 1) p.write(&byte, 1);
        });
    }

    const Layout layout_;
    simsock::sim::Network net_{1};
    std::vector<std::unique_ptr<simsock::sim::SimBackend>> backends_;
    std::vector<std::unique_ptr<TcpServer>> servers_;
    std::vector<std::unique_ptr<TcpSocket>> clients_;
    std::vector<std::unique_ptr<TcpSocket>> peers_;
    std::size_t connected_ = 0;
    std::size_t replies_ = 0;
};

void BM_SimScale(benchmark::State& state) {
    const auto n = static_cast<int>(state.range(0));
    simsock::bench::resetMemoryBaseline();
    const std::int64_t rss0 = simsock::bench::residentBytes();
    ScaleWorld world(n);
    const std::int64_t rss1 = simsock::bench::residentBytes();
    const std::int64_t hwm1 = simsock::bench::peakResidentBytes();
    const auto events0 = world.net().simLoop().eventsProcessed();
    for (auto _ : state) world.echoRound();
    const auto events = static_cast<std::int64_t>(world.net().simLoop().eventsProcessed() - events0);
    state.SetItemsProcessed(events);  // items_per_second: simulated events per second
    state.counters["connections"] = n;
    state.counters["rss_bytes_per_conn"] = static_cast<double>(rss1 - rss0) / n;
    state.counters["peak_bytes_per_conn"] = static_cast<double>(hwm1 - rss0) / n;
    state.counters["events_per_round"] = static_cast<double>(events) / static_cast<double>(state.iterations());
}

// Setting up and tearing down n connections, server ends on one host (one_host:1) or spread over a host
// per group (one_host:0); each group settles before the next connects in both layouts.
void BM_SimHostScale(benchmark::State& state) {
    const bool oneHost = state.range(0) == 1;
    const auto n = static_cast<int>(state.range(1));
    for (auto _ : state) {
        ScaleWorld world(n, Layout{oneHost, true});
        benchmark::DoNotOptimize(&world);
    }
    state.SetItemsProcessed(state.iterations() * n);  // items_per_second: connections set up (and closed)
}

}  // namespace

// Fixed iterations: building the world is the expensive part and happens once per run, outside timing.
BENCHMARK(BM_SimScale)->ArgName("conns")->Arg(1'000)->Iterations(100)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimScale)->ArgName("conns")->Arg(10'000)->Iterations(10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimScale)->ArgName("conns")->Arg(100'000)->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimHostScale)->ArgNames({"one_host", "conns"})->Args({0, 100'000})->Args({1, 100'000})->Iterations(1)
    ->Unit(benchmark::kMillisecond);
