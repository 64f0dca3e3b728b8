// How loading and running grow with the size of a file (issue 12, finding 6): parsing one JSON object of
// n keys, and a simulated network of n hosts with one connection across it. Both must grow near
// linearly; the counters say how much work each item costs (keys examined per key, address probes per
// host), which a quadratic algorithm makes grow with n. Baselines in the same run: nlohmann::json parsing
// the same text, and a std::map of the same n addresses (the index's own cost).
#include <benchmark/benchmark.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "simsock/scenario/json_tree.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace {

using simsock::HostAddress;

std::string objectWithKeys(std::int64_t n) {
    std::string text = "{";
    for (std::int64_t i = 0; i < n; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    return text + "}";
}

std::string hostAddress(std::int64_t i) {
    return "10." + std::to_string(i / 250 + 1) + "." + std::to_string(i % 250) + ".1";
}

void BM_ParseObjectKeys(benchmark::State& state) {
    const std::string text = objectWithKeys(state.range(0));
    simsock::scenario::JsonParseStats stats;
    for (auto _ : state) {
        simsock::scenario::JsonValue v;
        simsock::scenario::JsonSyntaxError err;
        stats = {};
        if (!simsock::scenario::parseJson(text, v, err, &stats)) state.SkipWithError(err.message.c_str());
        benchmark::DoNotOptimize(v);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.counters["examined_per_key"] = static_cast<double>(stats.keysExamined) / static_cast<double>(state.range(0));
}
BENCHMARK(BM_ParseObjectKeys)->ArgName("keys")->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_ParseObjectKeysBaselineNlohmann(benchmark::State& state) {
    const std::string text = objectWithKeys(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(text));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ParseObjectKeysBaselineNlohmann)->ArgName("keys")->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// n hosts, then a connection from the first to the last and a connect to a free address (the route
// lookups a run makes).
void BM_SimHosts(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    std::uint64_t probes = 0;
    for (auto _ : state) {
        simsock::sim::Network net(1);
        for (std::int64_t i = 0; i < n; ++i) net.addHost("h" + std::to_string(i), {HostAddress(hostAddress(i))});
        net.setCurrentHost("h" + std::to_string(n - 1));
        simsock::TcpServer server(net);
        server.listen(HostAddress(hostAddress(n - 1)), 8080);
        net.setCurrentHost("h0");
        simsock::TcpSocket c(net), lost(net);
        c.connectToHost(hostAddress(n - 1), 8080);
        lost.connectToHost("10.1.0.99", 80);
        net.runForMs(10'000);
        if (c.state() != simsock::SocketState::ConnectedState) state.SkipWithError("not connected");
        probes = net.addressProbes();
    }
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["probes_per_host"] = static_cast<double>(probes) / static_cast<double>(n);
}
BENCHMARK(BM_SimHosts)->ArgName("hosts")->Arg(1'000)->Arg(5'000)->Arg(20'000)->Unit(benchmark::kMillisecond);

void BM_SimHostsBaselineMap(benchmark::State& state) {
    const std::int64_t n = state.range(0);
    for (auto _ : state) {
        std::map<HostAddress, std::string> index;
        for (std::int64_t i = 0; i < n; ++i) index.emplace(HostAddress(hostAddress(i)), "h" + std::to_string(i));
        benchmark::DoNotOptimize(index);
    }
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_SimHostsBaselineMap)->ArgName("hosts")->Arg(1'000)->Arg(5'000)->Arg(20'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
