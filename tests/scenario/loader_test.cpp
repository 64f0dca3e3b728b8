// The position-tracking JSON parser, durations, and the loader's model and diagnostics.
#include <gtest/gtest.h>

#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/duration.h"
#include "simsock/scenario/json_tree.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/writer.h"

namespace simsock::scenario {
namespace {

std::string diagnosticOf(const std::string& text) {
    try {
        loadScenarioText("t.json", text);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

TEST(JsonTree, RecordsPositionsOfValuesAndKeys) {
    JsonValue v;
    JsonSyntaxError err;
    ASSERT_TRUE(parseJson("{\n  \"a\": [1, \"x\"],\n  \"b\": true\n}", v, err));
    ASSERT_TRUE(v.isObject());
    EXPECT_EQ(v.keyPos("b").line, 3);
    EXPECT_EQ(v.keyPos("b").column, 3);
    const JsonValue* a = v.find("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->begin.line, 2);
    EXPECT_EQ(a->begin.column, 8);
    EXPECT_EQ(a->items[1].begin.column, 12);
    EXPECT_EQ(a->items[1].text, "x");
    EXPECT_EQ(a->endOffset, 17u);
}

TEST(JsonTree, DecodesEscapesAndSurrogatePairs) {
    JsonValue v;
    JsonSyntaxError err;
    ASSERT_TRUE(parseJson(R"J("a\n\u00e9\ud83d\ude00")J", v, err));
    EXPECT_EQ(v.text, "a\n\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(JsonTree, RejectsLeadingZerosAndTrailingText) {
    JsonValue v;
    JsonSyntaxError err;
    EXPECT_FALSE(parseJson("012", v, err));
    EXPECT_EQ(err.message, "leading zeros are not allowed");
    EXPECT_FALSE(parseJson("{} x", v, err));
    EXPECT_EQ(err.message, "unexpected text after the JSON value");
    EXPECT_EQ(err.pos.column, 4);
}

TEST(JsonTree, BoundsNesting) {
    JsonValue v;
    JsonSyntaxError err;
    EXPECT_FALSE(parseJson(std::string(100, '[') + std::string(100, ']'), v, err));
    EXPECT_EQ(err.message, "nesting deeper than 64 levels");
}

TEST(Duration, ParsesUnitsAndFractions) {
    std::string e;
    EXPECT_EQ(parseDuration("10ms", e), 10'000'000);
    EXPECT_EQ(parseDuration("1.5s", e), 1'500'000'000);
    EXPECT_EQ(parseDuration("250us", e), 250'000);
    EXPECT_EQ(parseDuration("7ns", e), 7);
    EXPECT_FALSE(parseDuration("1.5ns", e));
    EXPECT_EQ(e, "duration \"1.5ns\" is not a whole number of nanoseconds");
    EXPECT_FALSE(parseDuration("ms", e));
    EXPECT_FALSE(parseDuration("10", e));
    EXPECT_FALSE(parseDuration("1..2s", e));
}

TEST(Duration, FormatsWithTheLargestExactUnit) {
    EXPECT_EQ(formatDuration(0), "0ms");
    EXPECT_EQ(formatDuration(30'000'000'000), "30s");
    EXPECT_EQ(formatDuration(1'500'000), "1500us");
    EXPECT_EQ(formatDuration(3'388'529), "3388529ns");
}

constexpr const char* kMinimal = R"J({"format": 1, "engines": ["sim"], "runFor": "1s"})J";

TEST(Loader, MinimalFileGetsTheDocumentedDefaults) {
    Scenario s = loadScenarioText("t.json", kMinimal);
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.runForNs, 1'000'000'000);
    ASSERT_EQ(s.network.hosts.size(), 2u);
    EXPECT_EQ(s.network.hosts[0].name, "client");
    EXPECT_FALSE(s.network.hosts[0].privileged);
    EXPECT_TRUE(s.network.hosts[1].privileged);
    EXPECT_FALSE(s.hasExpect);
}

TEST(Loader, ReadsActionsTriggersAndTraceLines) {
    Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
      "sockets": [{"name": "c", "type": "tcp", "readBufferSize": 10, "options": {"LowDelayOption": 1}}],
      "actions": [{"at": "5ms", "socket": "c", "call": "write", "size": 3, "id": "w"},
                  {"on": {"socket": "c", "signal": "stateChanged(ConnectedState)", "nth": 2, "times": -1},
                   "socket": "c", "call": "abort"}],
      "expect": {"trace": ["@1ms c: connectToHost{hostFound()}", "connected()"], "returns": {"w": 3}}})J");
    ASSERT_EQ(s.actions.size(), 2u);
    EXPECT_EQ(*s.actions[0].atNs, 5'000'000);
    EXPECT_EQ(s.actions[0].data, "abc");
    ASSERT_TRUE(s.actions[1].on);
    EXPECT_EQ(s.actions[1].on->signal, "stateChanged");
    EXPECT_EQ(s.actions[1].on->args, "ConnectedState");
    EXPECT_EQ(s.actions[1].on->nth, 2);
    EXPECT_EQ(s.actions[1].on->times, -1);
    ASSERT_TRUE(s.expect.trace);
    EXPECT_EQ((*s.expect.trace)[0].timeNs, 1'000'000);
    EXPECT_EQ((*s.expect.trace)[0].socket, "c");
    EXPECT_EQ((*s.expect.trace)[0].compact, "connectToHost{hostFound()}");
    EXPECT_EQ((*s.expect.trace)[1].socket, "");
    EXPECT_EQ(std::get<std::int64_t>(s.expect.returns.at("w")), 3);
    EXPECT_EQ(s.sockets[0].options[0].first, "LowDelayOption");
}

TEST(Loader, DiagnosticsPointAtTheValue) {
    EXPECT_EQ(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s", "seed": -1})J"),
              "t.json:1:59: $.seed: -1 is out of range [0, 9223372036854775807]");
    EXPECT_EQ(diagnosticOf(R"J({"format": 1, "engines": [], "runFor": "1s"})J"),
              "t.json:1:26: $.engines: list at least one engine");
    EXPECT_EQ(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": 1.5})J"),
              "t.json:1:45: $.runFor: a bare number is nanoseconds and must be an integer; write e.g. \"1.5ms\"");
}

TEST(Loader, ReadsTheDispatchOrderAndWritesItBackWhenNotTheDefault) {
    EXPECT_EQ(loadScenarioText("t.json", kMinimal).dispatch, DispatchOrder::Glib);
    Scenario s = loadScenarioText("t.json", R"J({"format": 1, "dispatch": "unix", "engines": ["sim"], "runFor": "1s"})J");
    EXPECT_EQ(s.dispatch, DispatchOrder::Unix);
    EXPECT_NE(writeScenario(s).find("\"dispatch\": \"unix\""), std::string::npos);
    EXPECT_EQ(writeScenario(loadScenarioText("t.json", kMinimal)).find("dispatch"), std::string::npos);
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "dispatch": "qt", "engines": ["sim"], "runFor": "1s"})J").find("$.dispatch"),
              std::string::npos);
}

TEST(Loader, ReadsWarningsInTraceLines) {
    Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
      "sockets": [{"name": "c", "type": "tcp"}],
      "expect": {"trace": ["c: write{warning(\"QIODevice::write (TcpSocket): device not open\")}"]}})J");
    ASSERT_TRUE(s.expect.trace);
    EXPECT_EQ((*s.expect.trace)[0].compact, "write{warning(\"QIODevice::write (TcpSocket): device not open\")}");
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s", "sockets": [{"name": "c", "type": "tcp"}],
      "expect": {"trace": ["c: warning(text)"]}})J").find("warning takes one quoted text"), std::string::npos);
}

TEST(Loader, RejectsBadTraceLines) {
    std::string head = R"J({"format": 1, "engines": ["sim"], "runFor": "1s", "sockets": [{"name": "c", "type": "tcp"}],
                           "expect": {"trace": [)J";
    EXPECT_NE(diagnosticOf(head + R"J("c: readyRead(x)"]}})J").find("readyRead takes a byte count, not \"x\""),
              std::string::npos);
    EXPECT_NE(diagnosticOf(head + R"J("c: connected"]}})J").find("write the signal with parentheses"), std::string::npos);
    EXPECT_NE(diagnosticOf(head + R"J("d: connected()"]}})J").find("no socket named \"d\""), std::string::npos);
    EXPECT_NE(diagnosticOf(head + R"J("c: frobnicate{connected()}"]}})J").find("unknown call \"frobnicate\""),
              std::string::npos);
}

TEST(Loader, RejectsDuplicateNamesAndWrongStepsForPeerKinds) {
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
        "sockets": [{"name": "c", "type": "tcp"}, {"name": "c", "type": "udp"}]})J")
                  .find("$.sockets[1].name: the name \"c\" is already used by a socket"),
              std::string::npos);
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
        "peers": [{"name": "u", "kind": "udp", "host": "server", "port": 1, "script": [{"accept": true}]}]})J")
                  .find("$.peers[0].script[0]: a UDP peer cannot accept"),
              std::string::npos);
}

TEST(Loader, FaultFieldsMustFitTheKind) {
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
        "faults": [{"kind": "partition", "host": "client", "port": 80, "otherHost": "server", "at": "0ms"}]})J")
                  .find("$.faults[0].port: field does not apply to a partition fault"),
              std::string::npos);
    EXPECT_NE(diagnosticOf(R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
        "faults": [{"kind": "refuse-port", "host": "server"}]})J")
                  .find("$.faults[0]: a fault needs a trigger"),
              std::string::npos);
}

}  // namespace
}  // namespace simsock::scenario
