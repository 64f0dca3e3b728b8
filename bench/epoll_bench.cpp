// simsock on the real Linux stack against raw epoll, over 127.0.0.1, in one process and one thread pinned
// to one CPU: client and server share the core, so the figures compare user-space work plus the same
// system calls, not scheduling luck. Each workload runs twice in the same binary: raw, then simsock.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <memory>

#include "cpu_pin.h"
#include "epoll_workloads.h"

namespace {

using simsock::bench::Workload;
using Factory = std::unique_ptr<Workload> (*)();

constexpr std::int64_t kStreamBytesPerIteration = 16ll << 20;
constexpr std::int64_t kTripsPerIteration = 1000;
constexpr std::int64_t kCyclesPerIteration = 100;
constexpr std::int64_t kDatagramsPerIteration = 1024;

void BM_Stream(benchmark::State& state, Factory make) {
    auto w = make();
    for (auto _ : state) w->run(kStreamBytesPerIteration);
    state.SetBytesProcessed(state.iterations() * kStreamBytesPerIteration);
}

void BM_PingPong(benchmark::State& state, Factory make) {
    auto w = make();
    for (auto _ : state) w->run(kTripsPerIteration);
    state.SetItemsProcessed(state.iterations() * kTripsPerIteration);
}

void BM_Churn(benchmark::State& state, Factory make) {
    auto w = make();
    for (auto _ : state) w->run(kCyclesPerIteration);
    state.SetItemsProcessed(state.iterations() * kCyclesPerIteration);
}

void BM_Udp(benchmark::State& state, Factory make) {
    auto w = make();
    for (auto _ : state) w->run(kDatagramsPerIteration);
    state.SetItemsProcessed(state.iterations() * kDatagramsPerIteration);
    state.SetBytesProcessed(state.iterations() * kDatagramsPerIteration * simsock::bench::kDatagramBytes);
}

}  // namespace

// CPU time (the default): both sides run in this one thread and loopback delivery happens inside its
// system calls, so CPU time holds all the work while wall time would also count other load on the machine.
BENCHMARK_CAPTURE(BM_Stream, raw, simsock::bench::makeRawStream);
BENCHMARK_CAPTURE(BM_Stream, simsock, simsock::bench::makeSimsockStream);
BENCHMARK_CAPTURE(BM_PingPong, raw, simsock::bench::makeRawPingPong);
BENCHMARK_CAPTURE(BM_PingPong, simsock, simsock::bench::makeSimsockPingPong);
BENCHMARK_CAPTURE(BM_Churn, raw, simsock::bench::makeRawChurn);
BENCHMARK_CAPTURE(BM_Churn, simsock, simsock::bench::makeSimsockChurn);
BENCHMARK_CAPTURE(BM_Udp, raw, simsock::bench::makeRawUdp);
BENCHMARK_CAPTURE(BM_Udp, simsock, simsock::bench::makeSimsockUdp);

int main(int argc, char** argv) {
    const int cpu = simsock::bench::pinToCurrentCpu();
    benchmark::AddCustomContext("pinned_cpu", std::to_string(cpu));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
