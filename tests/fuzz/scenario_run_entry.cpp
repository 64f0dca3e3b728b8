// Fuzz target 3: the loader, then the scenario on the sim, executed twice by the runner: the two
// executions must be byte-identical (the runner reports "nondeterministic: ..." otherwise). The file's
// own expectations are dropped: a random file expects nothing in particular.
//
// The run is bounded twice: by the runner's own budget (RunLimits, tight here so one input costs at most
// about a second) and, as before that budget existed, by shrinking what the file asks for
// (boundForFuzzing): virtual run time, payload and read sizes, blocking timeouts, how often a signal
// re-triggers an action, how often an action repeats its call, and the retransmission period. Those
// bounds never make a run that the loader accepted invalid; a run the budget cuts off is not compared.
#include <algorithm>
#include <string>

#include "fuzz_entries.h"
#include "known_findings.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"

namespace simsock::fuzz {
namespace {

constexpr std::int64_t kMaxRunNs = 2'000'000'000;          // 2 virtual seconds
constexpr std::size_t kMaxPayloadBytes = 64 * 1024;         // per write
constexpr std::int64_t kMaxReadSize = 64 * 1024;            // read/readDatagram/setReadBufferSize
constexpr std::int64_t kMinRetransmitNs = 1'000'000;        // 1 ms: at most ~2,000 per connection per run
constexpr std::size_t kMaxActions = 64;
constexpr int kMaxTriggerTimes = 100;                     // a handler that writes on every bytesWritten ends
constexpr int kMaxRepeat = 4;                             // 64 actions x 100 triggers x 4 x 64 KiB at most
constexpr std::int64_t kMaxBandwidth = 1'000'000'000'000'000;  // finding 7: transit time overflows near INT64_MAX

void boundForFuzzing(scenario::Scenario& s) {
    s.runForNs = std::min(s.runForNs, kMaxRunNs);
    if (s.actions.size() > kMaxActions) s.actions.resize(kMaxActions);
    for (auto& a : s.actions) {
        if (a.data.size() > kMaxPayloadBytes) a.data.resize(kMaxPayloadBytes);
        a.size = std::min(a.size, kMaxReadSize);
        a.repeat = std::min(a.repeat, kMaxRepeat);
        a.timeoutMs = std::min<int>(a.timeoutMs, static_cast<int>(kMaxRunNs / 1'000'000));
        if (a.on && (a.on->times < 0 || a.on->times > kMaxTriggerTimes)) a.on->times = kMaxTriggerTimes;
    }
    for (auto& sock : s.sockets)
        if (sock.readBufferSize) sock.readBufferSize = std::min(*sock.readBufferSize, kMaxReadSize);
    for (auto& l : s.network.links) {
        if (l.tcpRetransmitNs) l.tcpRetransmitNs = std::max(*l.tcpRetransmitNs, kMinRetransmitNs);
        if (l.bandwidthBytesPerSec) l.bandwidthBytesPerSec = std::min(*l.bandwidthBytesPerSec, kMaxBandwidth);
    }
}

}  // namespace

void scenarioRun(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!knownFinding(text).empty()) return;
    scenario::Scenario s;
    try {
        s = scenario::loadScenarioText("fuzz.json", text);
    } catch (const scenario::ScenarioError&) {
        return;  // the loader target checks diagnostics
    }
    boundForFuzzing(s);
    s.engines = {"sim"};
    s.expect = {};
    s.hasExpect = false;
    s.expectFailure.reset();
    scenario::RunLimits limits;
    limits.maxEvents = 1'000'000;
    limits.maxTraceEvents = 100'000;
    limits.maxWrittenBytes = 64u << 20;
    limits.timeoutMs = 10'000;
    const scenario::RunResult r = scenario::runScenario(s, scenario::RunOptions{"sim", std::nullopt, limits});
    for (const auto& f : r.failures) require(f.rfind("nondeterministic", 0) != 0, f);
}

}  // namespace simsock::fuzz
