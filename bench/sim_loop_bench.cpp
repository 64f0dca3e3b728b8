// Cost of one simulated event in SimLoop against the least a discrete-event queue can do: a plain binary
// heap of (time, seq, function pointer). Both keep `pending` events queued; each event, when it runs,
// schedules one more at a pseudo-random delay, so the queue stays at its size and pushes land at varied
// depths. Items processed are events, so items_per_second is events per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "simsock/sim/sim_loop.h"

namespace {

// Events per timed iteration: large enough that run()'s entry and exit do not count.
constexpr std::uint64_t kBatch = 4096;

// xorshift64: the same delay sequence for both queues, and no std:: distribution (house style).
struct Xorshift {
    std::uint64_t state = 0x9e3779b97f4a7c15ull;
    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

// 1..1024 ns: spread wide enough that a new event lands anywhere in a 100,000-event heap.
std::int64_t nextDelayNs(Xorshift& rng) { return 1 + static_cast<std::int64_t>(rng.next() & 1023); }

// --- the baseline: what a bare event queue costs ------------------------------------------------------

struct BareQueue;
using BareFn = void (*)(BareQueue&);

struct BareEvent {
    std::int64_t timeNs;
    std::uint64_t seq;
    BareFn fn;
};

bool bareLater(const BareEvent& a, const BareEvent& b) {
    return a.timeNs != b.timeNs ? a.timeNs > b.timeNs : a.seq > b.seq;
}

struct BareQueue {
    std::vector<BareEvent> heap;
    std::int64_t nowNs = 0;
    std::uint64_t nextSeq = 0;
    Xorshift rng;

    void push(std::int64_t atNs, BareFn fn) {
        heap.push_back(BareEvent{atNs, nextSeq++, fn});
        std::push_heap(heap.begin(), heap.end(), bareLater);
    }
    void runOne() {
        std::pop_heap(heap.begin(), heap.end(), bareLater);
        const BareEvent e = heap.back();
        heap.pop_back();
        nowNs = e.timeNs;
        e.fn(*this);
    }
};

void bareReschedule(BareQueue& q) { q.push(q.nowNs + nextDelayNs(q.rng), &bareReschedule); }

void BM_BareHeap(benchmark::State& state) {
    BareQueue q;
    q.heap.reserve(static_cast<std::size_t>(state.range(0)) + 1);
    BareFn fn = &bareReschedule;
    benchmark::DoNotOptimize(fn);  // keep the call indirect, as SimLoop's is
    for (std::int64_t i = 0; i < state.range(0); ++i) q.push(nextDelayNs(q.rng), fn);
    for (auto _ : state) {
        for (std::uint64_t i = 0; i < kBatch; ++i) q.runOne();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBatch));
}

// --- SimLoop doing the same ---------------------------------------------------------------------------

struct SimChain {
    simsock::sim::SimLoop loop;
    Xorshift rng;
    std::uint64_t remaining = 0;

    void fire() {
        loop.scheduleAt(loop.nowNs() + nextDelayNs(rng), [this] { fire(); });
        if (--remaining == 0) loop.quit();
    }
};

void BM_SimLoop(benchmark::State& state) {
    SimChain chain;
    for (std::int64_t i = 0; i < state.range(0); ++i)
        chain.loop.scheduleAt(nextDelayNs(chain.rng), [&chain] { chain.fire(); });
    const std::uint64_t before = chain.loop.eventsProcessed();
    for (auto _ : state) {
        chain.remaining = kBatch;
        chain.loop.run();
    }
    const auto events = static_cast<std::int64_t>(chain.loop.eventsProcessed() - before);
    state.SetItemsProcessed(events);
    state.counters["pending"] = static_cast<double>(chain.loop.pendingEvents());
}

}  // namespace

BENCHMARK(BM_BareHeap)->ArgName("pending")->Arg(1)->Arg(1'000)->Arg(100'000);
BENCHMARK(BM_SimLoop)->ArgName("pending")->Arg(1)->Arg(1'000)->Arg(100'000);

BENCHMARK_MAIN();
