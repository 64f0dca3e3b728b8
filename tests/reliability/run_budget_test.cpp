// Finding 3: nothing bounded a run. A scenario that writes inside every bytesWritten never finished (1 ms
// of virtual time took seconds and hundreds of MB; "runFor": "1s" reached 5 GB and crashed), and an action
// that re-triggers itself from inside its own call overflowed the stack. Every run now has an event
// budget, a trace-size cap, a wall-clock limit, a bound on bytes written and on handler nesting; reaching
// one ends the run as a failure that says which ("budget: ..."). The CLI takes --max-events,
// --max-trace-events and --timeout; explore and the property tests (runCase) get the defaults. The
// loader bounds what a file may make the runner allocate.
#include <gtest/gtest.h>

#include <string>

#include "reliability_support.h"
#include "simsock/scenario/invariants.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario {
namespace {

using reliability::Outcome;
using reliability::runSimsock;

// Connects, writes one byte, and writes another inside every bytesWritten: virtual time hardly moves.
std::string runaway(const std::string& engine, const std::string& runFor) {
    return R"({
  "format": 1,
  "engines": [")" + engine + R"("],
  "peers": [{"name": "srv", "kind": "tcp-server", "host": "server", "port": 8080, "script": [{"accept": true}]}],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [
    {"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 8080},
    {"on": {"socket": "c", "signal": "connected"}, "socket": "c", "call": "write", "data": "x"},
    {"on": {"socket": "c", "signal": "bytesWritten", "times": -1}, "socket": "c", "call": "write", "data": "x"}
  ],
  "runFor": ")" + runFor + R"("
})";
}

class RunBudgetCli : public ::testing::Test {
protected:
    std::string file(const std::string& name, const std::string& text) {
        const std::string path = dir / name;
        EXPECT_TRUE(reliability::writeText(path, text));
        return path;
    }
    reliability::ScratchDir dir;
};

TEST_F(RunBudgetCli, MaxEventsEndsARunawayRunAsAFailure) {
    const std::string f = file("runaway.json", runaway("sim", "1s"));
    Outcome o = runSimsock("run --max-events 100000 " + f);
    EXPECT_EQ(o.exitCode, 1);
    EXPECT_EQ(o.output, "FAIL " + f + "\n    budget: 100,000 events reached at 0.25 ms virtual time\n0 passed, 1 failed\n");
}

TEST_F(RunBudgetCli, MaxTraceEventsEndsARunawayRunAsAFailure) {
    const std::string f = file("runaway.json", runaway("sim", "1s"));
    Outcome o = runSimsock("run --max-trace-events 10000 " + f);
    EXPECT_EQ(o.exitCode, 1);
    EXPECT_EQ(o.output, "FAIL " + f + "\n    budget: 10,000 trace events reached at 0.1 ms virtual time\n0 passed, 1 failed\n");
}

TEST_F(RunBudgetCli, TimeoutEndsARunawayRunAsAFailure) {
    const std::string f = file("runaway.json", runaway("sim", "1s"));
    Outcome o = runSimsock("run --max-events 0 --max-trace-events 0 --timeout 0.2 " + f);
    EXPECT_EQ(o.exitCode, 1);
    const std::string head = "FAIL " + f + "\n    budget: 0.2 s wall-clock timeout reached at ";
    EXPECT_EQ(o.output.substr(0, head.size()), head) << o.output;
    EXPECT_NE(o.output.find(" virtual time\n0 passed, 1 failed\n"), std::string::npos) << o.output;
}

// No flags: the defaults end the run the issue reported (runFor 1s) quickly, at the trace cap.
TEST_F(RunBudgetCli, DefaultsEndTheReportedRunawayRun) {
    const std::string f = file("runaway.json", runaway("sim", "1s"));
    Outcome o = runSimsock("run " + f);
    EXPECT_EQ(o.exitCode, 1);
    EXPECT_EQ(o.output, "FAIL " + f + "\n    budget: 1,000,000 trace events reached at 1.6 ms virtual time\n0 passed, 1 failed\n");
}

// An action whose call emits the signal that triggers it, synchronously: the stack overflowed before.
TEST_F(RunBudgetCli, NestingBoundEndsAnActionThatRetriggersItselfInsideItsCall) {
    const std::string f = file("recursion.json", R"({
  "format": 1,
  "engines": ["sim"],
  "faults": [{"kind": "descriptor-exhaustion", "host": "client", "at": "0ms"}],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [
    {"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 9},
    {"on": {"socket": "c", "signal": "errorOccurred", "times": -1}, "socket": "c", "call": "connectToHost",
     "host": "10.0.0.2", "port": 9}
  ],
  "runFor": "1ms"
})");
    Outcome o = runSimsock("run " + f);
    EXPECT_EQ(o.exitCode, 1) << o.output;
    EXPECT_EQ(o.output, "FAIL " + f + "\n    budget: actions nested 100 deep in signal handlers reached at 0 ms virtual time\n"
                        "0 passed, 1 failed\n");
}

TEST_F(RunBudgetCli, RecordRefusesACutOffRunAndTraceSaysSo) {
    const std::string f = file("runaway.json", runaway("sim", "1s"));
    const std::string before = reliability::readText(f);
    Outcome rec = runSimsock("record --max-events 5000 " + f);
    EXPECT_EQ(rec.exitCode, 1);
    EXPECT_EQ(rec.output, f + ": budget: 5,000 events reached at 0.1 ms virtual time\n");
    EXPECT_EQ(reliability::readText(f), before);  // nothing recorded
    Outcome tr = runSimsock("trace --max-events 5000 " + f + " -o " + (dir / "out.svg"));
    EXPECT_EQ(tr.exitCode, 1);
    EXPECT_EQ(tr.output, f + ": budget: 5,000 events reached at 0.1 ms virtual time\n");
}

// A real engine's loop cannot be asked between events: the runner checks between slices of the run.
TEST_F(RunBudgetCli, RealEngineRunsEndAtTheTraceCap) {
    const std::string f = file("runaway.json", runaway("epoll", "10s"));
    Outcome o = runSimsock("run --engine epoll --max-trace-events 20000 " + f);
    EXPECT_EQ(o.exitCode, 1);
    const std::string head = "FAIL " + f + "\n    budget: 20,000 trace events reached at ";
    EXPECT_EQ(o.output.substr(0, head.size()), head) << o.output;
    EXPECT_NE(o.output.find(" ms of the run\n0 passed, 1 failed\n"), std::string::npos) << o.output;
}

TEST_F(RunBudgetCli, LoaderBoundsTheSumOfGeneratedPayloads) {
    std::string actions;
    for (int i = 0; i < 17; ++i)  // 17 x 16 MiB > 256 MiB
        actions += std::string(i ? ",\n" : "") + R"(    {"at": "0ms", "socket": "c", "call": "write", "size": 16777216})";
    const std::string f = file("payloads.json", R"({
  "format": 1,
  "engines": ["sim"],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [
)" + actions + R"(
  ],
  "runFor": "1ms"
})");
    Outcome o = runSimsock("validate " + f);
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, f + ":22:59: $.actions[16].size: the actions' payloads come to more than 268435456 bytes (256 MiB)\n");
}

Scenario load(const std::string& text) { return loadScenarioText("budget.json", text); }

TEST(RunBudget, WrittenBytesAreBounded) {
    Scenario s = load(runaway("sim", "1s"));
    RunLimits limits;
    limits.maxWrittenBytes = 1000;
    RunResult r = runScenario(s, RunOptions{"sim", std::nullopt, limits});
    EXPECT_EQ(r.status, RunResult::Status::Failed);
    EXPECT_EQ(r.failures, (std::vector<std::string>{"budget: 1,000 bytes written reached at 0.1 ms virtual time"}));
    EXPECT_EQ(r.observation.budget, r.failures.front());
}

// Explore and the property tests run cases through runCase: the default budget ends a runaway case, and
// it is a violation of its own kind, which a counterexample file replays.
TEST(RunBudget, ARunawayCaseIsABudgetViolation) {
    Scenario s = load(runaway("sim", "1s"));
    auto v = runCase(s);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->kind, Violation::Kind::Budget);
    EXPECT_EQ(v->message, "budget: 1,000,000 trace events reached at 1.6 ms virtual time");
    EXPECT_STREQ(kindName(v->kind), "run budget");
}

// A negative file may expect the budget failure.
TEST(RunBudget, ExpectFailureAppliesToABudgetFailure) {
    Scenario s = load(runaway("sim", "1s"));
    s.expectFailure = "budget: 5,000 events";
    RunLimits limits;
    limits.maxEvents = 5000;
    EXPECT_EQ(runScenario(s, RunOptions{"sim", std::nullopt, limits}).status, RunResult::Status::Passed);
}

}  // namespace
}  // namespace simsock::scenario
