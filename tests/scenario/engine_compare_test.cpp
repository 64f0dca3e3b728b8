// Comparing one scenario's traces from two engines: times never count; names, arguments, states and
// in-call markers all do; the first difference is named with both engines' events.
#include <gtest/gtest.h>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario {
namespace {

TraceEvent event(std::int64_t t, std::string signal, std::vector<std::string> args, std::string state,
                 std::string call = {}) {
    return TraceEvent{t, "c", std::move(signal), std::move(args), std::move(state), std::move(call)};
}

Trace trace(std::vector<TraceEvent> events) {
    Trace t;
    for (auto& e : events) t.record(std::move(e));
    return t;
}

TEST(EngineCompare, NormalisedEventKeepsNameArgsStateAndCallButNotTime) {
    EXPECT_EQ(normalisedEvent(event(123, "readyRead", {"4"}, "ConnectedState")), "c: readyRead(4) in ConnectedState");
    EXPECT_EQ(normalisedEvent(event(0, "stateChanged", {"HostLookupState"}, "HostLookupState", "connectToHost")),
              "c: connectToHost{stateChanged(HostLookupState)} in HostLookupState");
}

TEST(EngineCompare, TimesAloneNeverDiffer) {
    Trace sim = trace({event(0, "connected", {}, "ConnectedState"), event(100'000, "readyRead", {"4"}, "ConnectedState")});
    Trace real = trace({event(7'000'123, "connected", {}, "ConnectedState"), event(9'999'999, "readyRead", {"4"}, "ConnectedState")});
    EngineComparison c = compareEngineTraces(sim, real, "epoll");
    EXPECT_TRUE(c.equal);
    EXPECT_EQ(c.summary, "");
}

TEST(EngineCompare, AnInCallMarkerDifferenceIsNamedWithBothEvents) {
    Trace sim = trace({event(0, "connected", {}, "ConnectedState"), event(0, "bytesWritten", {"3"}, "ConnectedState", "flush")});
    Trace real = trace({event(0, "connected", {}, "ConnectedState"), event(0, "bytesWritten", {"3"}, "ConnectedState")});
    EngineComparison c = compareEngineTraces(sim, real, "epoll");
    EXPECT_FALSE(c.equal);
    EXPECT_EQ(c.summary, "engines differ: first difference at event 2: sim \"c: flush{bytesWritten(3)} in ConnectedState\" "
                         "vs epoll \"c: bytesWritten(3) in ConnectedState\"");
    EXPECT_EQ(c.diff, "--- sim\n+++ epoll\n@@ first difference at event 2 @@\n"
                      " c: connected() in ConnectedState\n"
                      "-c: flush{bytesWritten(3)} in ConnectedState    <== first difference\n"
                      "+c: bytesWritten(3) in ConnectedState\n");
}

TEST(EngineCompare, AMissingEventAndADifferentStateAreDifferences) {
    Trace sim = trace({event(0, "connected", {}, "ConnectedState"), event(0, "disconnected", {}, "UnconnectedState")});
    EngineComparison shorter = compareEngineTraces(sim, trace({event(0, "connected", {}, "ConnectedState")}), "epoll");
    EXPECT_EQ(shorter.summary, "engines differ: first difference at event 2: sim \"c: disconnected() in UnconnectedState\" "
                               "vs epoll the end of the trace");
    EngineComparison state = compareEngineTraces(sim, trace({event(0, "connected", {}, "ClosingState"),
                                                             event(0, "disconnected", {}, "UnconnectedState")}),
                                                     "epoll");
    EXPECT_EQ(state.summary.rfind("engines differ: first difference at event 1:", 0), 0u);
}

TEST(EngineCompare, BothSkipsAFileThatDoesNotListBothEngines) {
    Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim"], "runFor": "1ms",
      "sockets": [{"name": "c", "type": "tcp"}], "actions": []})J");
    RunResult r = runScenario(s, RunOptions{"both", std::nullopt});
    EXPECT_EQ(r.status, RunResult::Status::Skipped);
    EXPECT_EQ(r.skipReason, "not written for engine epoll");
}

}  // namespace
}  // namespace simsock::scenario
