// The runner end to end on the sim: a passing scenario, a failing one with its diff, expectFailure,
// determinism, record's splice, and the reporters.
#include <gtest/gtest.h>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/record.h"
#include "simsock/scenario/reporters.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/sequence_diagram.h"
#include "simsock/sim/network.h"

namespace simsock::scenario {
namespace {

const std::string kConnect = R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
  "peers": [{"name": "srv", "kind": "tcp-server", "host": "server", "port": 8080,
             "script": [{"accept": true}, {"read": 5}, {"send": "world"}, {"close": true}]}],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 8080},
              {"on": {"socket": "c", "signal": "connected"}, "socket": "c", "call": "write", "data": "hello", "id": "w"},
              {"at": "500ms", "socket": "c", "call": "readAll", "id": "r"}],
  "expect": {)J";

RunResult run(const std::string& expect, const std::string& extra = "") {
    Scenario s = loadScenarioText("t.json", kConnect + expect + "}" + extra + "}");
    return runScenario(s, RunOptions{});
}

const char* kExpectedTrace = R"J("trace": [
    "@0ms c: connectToHost(\"10.0.0.2\", 8080)",
    "@0ms c: connectToHost{stateChanged(HostLookupState)}",
    "@0ms c: connectToHost{stateChanged(ConnectingState)}",
    "@0ms c: connectToHost{hostFound()}",
    "@100us c: stateChanged(ConnectedState)",
    "@100us c: connected()",
    "@100us c: write(\"hello\") -> 5",
    "@100us c: bytesWritten(5)",
    "@200us c: readyRead(5)",
    "@200us c: errorOccurred(RemoteHostClosedError)",
    "@200us c: stateChanged(ClosingState)",
    "@200us c: stateChanged(UnconnectedState)",
    "@200us c: readChannelFinished()",
    "@200us c: disconnected()",
    "@500ms c: readAll() -> \"world\""],
  "peers": {"srv": {"received": "hello", "accepted": 1}},
  "sockets": {"c": {"state": "UnconnectedState", "error": "RemoteHostClosedError", "read": "world"}},
  "returns": {"w": 5, "r": "world"})J";

TEST(Runner, PassingScenario) {
    RunResult r = run(kExpectedTrace);
    EXPECT_EQ(r.status, RunResult::Status::Passed);
    EXPECT_TRUE(r.failures.empty()) << r.failures.front();
    EXPECT_EQ(r.observation.trace.events().size(), 15u);
}

TEST(Runner, FailingTraceGivesSummaryAndMarkedDiff) {
    std::string wrong = kExpectedTrace;
    wrong.replace(wrong.find("bytesWritten(5)"), 15, "bytesWritten(4)");
    RunResult r = run(wrong);
    ASSERT_EQ(r.status, RunResult::Status::Failed);
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_EQ(r.failures[0],
              "trace: first difference at event 8: expected \"@100us c: bytesWritten(4)\", got \"@100us c: bytesWritten(5)\"");
    EXPECT_NE(r.diff.find("--- expected\n+++ actual\n@@ first difference at event 8 @@\n"), std::string::npos);
    EXPECT_NE(r.diff.find("-@100us c: bytesWritten(4)    <== first difference\n+@100us c: bytesWritten(5)\n"),
              std::string::npos)
        << r.diff;
    EXPECT_NE(r.diff.find(" @200us c: readyRead(5)\n"), std::string::npos);
}

TEST(Runner, FinalStateByteCountAndReturnFailures) {
    RunResult r = run(R"J("sockets": {"c": {"state": "ConnectedState", "readBytes": 4}}, "peers": {"srv": {"receivedBytes": 6}},
                         "returns": {"r": "word"})J");
    ASSERT_EQ(r.failures.size(), 4u);
    EXPECT_EQ(r.failures[0], "socket c: state: expected ConnectedState, got UnconnectedState");
    EXPECT_EQ(r.failures[1], "socket c: readBytes: expected 4, got 5");
    EXPECT_EQ(r.failures[2], "peer srv: receivedBytes: expected 6, got 5");
    EXPECT_EQ(r.failures[3], "return r: expected \"word\", got \"world\"");
}

TEST(Runner, SubsequenceIgnoresEventsInBetween) {
    EXPECT_EQ(run(R"J("subsequence": ["c: connected()", "disconnected()"])J").status, RunResult::Status::Passed);
    RunResult r = run(R"J("subsequence": ["c: disconnected()", "c: connected()"])J");
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_EQ(r.failures[0], "subsequence: entry 2 \"c: connected()\" not found after event 14");
    // Call events are matched like signals, return value included.
    EXPECT_EQ(run(R"J("subsequence": ["c: write(\"hello\") -> 5", "c: readAll() -> \"world\""])J").status,
              RunResult::Status::Passed);
    EXPECT_EQ(run(R"J("subsequence": ["c: write(\"hello\") -> 4"])J").failures,
              std::vector<std::string>{"subsequence: entry 1 \"c: write(\"hello\") -> 4\" not found after event 0"});
}

TEST(Runner, ExpectFailurePassesOnlyWithTheNamedFailure) {
    EXPECT_EQ(run(R"J("sockets": {"c": {"state": "ConnectedState"}})J",
                  R"J(, "expectFailure": "socket c: state: expected ConnectedState")J")
                  .status,
              RunResult::Status::Passed);
    RunResult r = run(R"J("sockets": {"c": {"state": "UnconnectedState"}})J", R"J(, "expectFailure": "socket c: state")J");
    EXPECT_EQ(r.status, RunResult::Status::Failed);
    EXPECT_EQ(r.failures[0], "expected the run to fail with \"socket c: state\", but the run passed");
}

TEST(Runner, TwoExecutionsAreByteIdentical) {
    Scenario s = loadScenarioText("t.json", kConnect + "}}");
    std::string error;
    auto w1 = makeWorld("sim", s, error);
    auto w2 = makeWorld("sim", s, error);
    Observation a = executeOnce(s, *w1);
    Observation b = executeOnce(s, *w2);
    EXPECT_EQ(a.serialize(), b.serialize());
    EXPECT_EQ(firstDifferingLine(a.serialize(), b.serialize()), 0u);
    EXPECT_EQ(firstDifferingLine("a\nb\nc\n", "a\nb\nd\n"), 3u);
}

TEST(Runner, OtherEnginesAreSkippedWithAReason) {
    Scenario s = loadScenarioText("t.json", kConnect + "}}");
    RunResult r = runScenario(s, RunOptions{"epoll", std::nullopt});
    EXPECT_EQ(r.status, RunResult::Status::Skipped);
    EXPECT_EQ(r.skipReason, "not written for engine epoll");
}

TEST(Record, SplicesTheTraceAndKeepsEverythingElse) {
    std::string text = "{\n  \"format\": 1,\n  \"expect\": {\n    \"trace\": [\"old\"],\n    \"returns\": {}\n  }\n}\n";
    std::string out = spliceTrace("t.json", text, {"@0ms c: connected()", "x"});
    EXPECT_EQ(out,
              "{\n  \"format\": 1,\n  \"expect\": {\n    \"trace\": [\n      \"@0ms c: connected()\",\n      \"x\"\n    ],\n"
              "    \"returns\": {}\n  }\n}\n");
    std::string noExpect = spliceTrace("t.json", "{\n  \"format\": 1\n}\n", {"y"});
    EXPECT_EQ(noExpect, "{\n  \"format\": 1,\n  \"expect\": {\n    \"trace\": [\n      \"y\"\n    ]\n  }\n}\n");
}

TEST(Reporters, JunitAndJsonLinesAndDiagram) {
    ReportEntry pass{"a.json", "sim", RunResult::Status::Passed, {}, ""};
    ReportEntry fail{"b<.json", "sim", RunResult::Status::Failed, {"trace: x & y"}, "-a\n+b\n"};
    std::string xml = junitXml({pass, fail});
    EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos);
    EXPECT_NE(xml.find("name=\"b&lt;.json\""), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"trace: x &amp; y\">"), std::string::npos);

    Scenario s = loadScenarioText("t.json", kConnect + "}}");
    RunResult r = runScenario(s, RunOptions{});
    std::string lines = traceJsonLines("t.json", r.observation);
    EXPECT_EQ(lines.rfind("{\"scenario\":\"t.json\",\"t\":0,\"object\":\"c\",\"call\":\"connectToHost\","
                          "\"args\":[\"\\\"10.0.0.2\\\"\",\"8080\"],\"returns\":\"\"}\n"
                          "{\"scenario\":\"t.json\",\"t\":0,\"object\":\"c\",\"signal\":\"stateChanged\"",
                          0),
              0u);
    EXPECT_NE(lines.find("\"object\":\"c\",\"call\":\"write\",\"args\":[\"\\\"hello\\\"\"],\"returns\":\"5\"}"),
              std::string::npos);
    EXPECT_NE(lines.find("\"actor\":\"srv\",\"what\":\"accept\""), std::string::npos);
    std::string svg = sequenceDiagramSvg(s, r.observation);
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find(">srv</text>"), std::string::npos);
    EXPECT_NE(svg.find("connectToHost{stateChanged(HostLookupState)}"), std::string::npos);
    EXPECT_NE(svg.find("class=\"callev\">write(&quot;hello&quot;) -&gt; 5</text>"), std::string::npos);
}

}  // namespace
}  // namespace simsock::scenario
