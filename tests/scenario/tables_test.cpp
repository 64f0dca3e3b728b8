// The tables of words: every row does what the words promise. A fault kind without its builder, a call
// without its performer, a signal the recorder does not know, or a schema list that differs from its
// table fails here (a missing builder or performer also fails to compile: see the tables' static_asserts).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "simsock/backend.h"
#include "simsock/engines.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/schema_words.h"
#include "simsock/scenario/writer.h"
#include "simsock/signal_table.h"
#include "simsock/sim/fault_kinds.h"
#include "simsock/sim/network.h"
#include "simsock/tcp_socket.h"
#include "simsock/trace.h"
#include "simsock/udp_socket.h"

namespace simsock::scenario {
namespace {

using sim::FaultField;

sim::FaultValues sampleFaultValues() {
    sim::FaultValues v;
    v.host = "server";
    v.otherHost = "client";
    v.port = 8080;
    v.name = "db.test";
    v.failure = sim::DnsFailure::ServFail;
    v.delayNs = 7'000'000;
    v.limit = 1000;
    return v;
}

TEST(FaultTable, EveryKindBuildsAFaultOfItsKindFromItsFields) {
    const sim::FaultValues v = sampleFaultValues();
    std::set<sim::FaultSpec (*)(const sim::FaultValues&)> builders;
    for (const auto& row : sim::faultKinds()) {
        SCOPED_TRACE(row.name);
        const sim::FaultSpec spec = row.build(v);
        EXPECT_EQ(spec.kind, row.kind);
        EXPECT_STREQ(sim::toString(spec.kind), row.name);
        EXPECT_EQ(sim::parseFaultKind(row.name), row.kind);
        EXPECT_TRUE(builders.insert(row.build).second) << "two kinds share one builder";
        if (row.takes.has(FaultField::Host)) {
            EXPECT_EQ(spec.host, "server");
        }
        if (row.takes.has(FaultField::OtherHost)) {
            EXPECT_EQ(spec.otherHost, "client");
        }
        if (row.takes.has(FaultField::Port)) {
            EXPECT_EQ(spec.port, 8080);
        }
        if (row.takes.has(FaultField::Name)) {
            EXPECT_EQ(spec.name, "db.test");
        }
        if (row.takes.has(FaultField::Failure)) {
            EXPECT_EQ(spec.dnsFailure, sim::DnsFailure::ServFail);
        }
        if (row.takes.has(FaultField::Delay)) {
            EXPECT_EQ(spec.delayNs, 7'000'000);
        }
        if (row.takes.has(FaultField::Limit)) {
            EXPECT_EQ(spec.limit, 1000);
        }
        for (int i = 0; i < sim::kFaultFieldCount; ++i)
            EXPECT_TRUE(!row.needs.has(static_cast<FaultField>(i)) || row.takes.has(static_cast<FaultField>(i)));
    }
}

// A fault of kind with the fields it needs: a condition at 0, an action on the first accept (so that the
// network logs it as armed: an action at a time with no connection to act on leaves no trace).
std::string faultJson(const sim::FaultKindInfo& row) {
    std::string f = "{\"kind\": \"" + std::string(row.name) + "\"";
    if (row.takes.has(FaultField::Host)) f += ", \"host\": \"server\"";
    if (row.needs.has(FaultField::OtherHost)) f += ", \"otherHost\": \"client\"";
    if (row.needs.has(FaultField::Port)) f += ", \"port\": 8080";
    if (row.needs.has(FaultField::Name)) f += ", \"name\": \"db.test\"";
    if (row.needs.has(FaultField::Limit)) f += ", \"limit\": 100";
    f += row.condition ? ", \"at\": \"0ms\"}" : ", \"on\": {\"event\": \"accept\"}}";
    return f;
}

// The word reaches the simulator as itself: load, write back, load again, run, and find it in the log.
TEST(FaultTable, EveryKindLoadsWritesBackAndReachesTheSimulatorAsItself) {
    for (const auto& row : sim::faultKinds()) {
        SCOPED_TRACE(row.name);
        const std::string text = "{\"format\": 1, \"engines\": [\"sim\"], \"runFor\": \"1ms\", \"faults\": [" +
                                 faultJson(row) + "]}";
        const Scenario s = loadScenarioText("t.json", text);
        ASSERT_EQ(s.faults.size(), 1u);
        EXPECT_EQ(s.faults[0].kind, row.kind);
        const Scenario again = loadScenarioText("w.json", writeScenario(s));
        EXPECT_EQ(again.faults[0].kind, row.kind);
        const RunResult r = runScenario(s, RunOptions{});
        const std::string expected = (row.condition ? "active " : "armed ") + std::string(row.name) + " ";
        bool logged = false;
        for (const auto& e : r.observation.log) logged = logged || e.detail.find(expected) != std::string::npos;
        EXPECT_TRUE(logged) << "no \"" << expected << "\" in the network log";
    }
}

// An action carrying a plausible value for every argument the call takes.
ActionSpec sampleAction(const CallInfo& row) {
    ActionSpec a;
    a.call = row.call;
    for (CallArg arg : callArgOrder()) {
        if (!row.takes.has(arg)) continue;
        switch (arg) {
        case CallArg::Payload: a.data = "hello"; break;
        case CallArg::HostName:
        case CallArg::LocalAddress:
        case CallArg::RemoteAddress: a.host = "127.0.0.1"; break;
        case CallArg::Port: a.port = 9; break;
        case CallArg::MaxSize: a.size = 5; break;
        case CallArg::BufferSize: a.size = 0; break;
        case CallArg::Option: a.option = SocketOption::LowDelayOption; break;
        case CallArg::Value: a.value = 1; break;
        case CallArg::Timeout: a.timeoutMs = 0; break;
        }
    }
    return a;
}

bool holdsKind(const std::optional<ReturnValue>& r, ReturnKind kind) {
    switch (kind) {
    case ReturnKind::None: return !r.has_value();
    case ReturnKind::Boolean: return r && std::holds_alternative<bool>(*r);
    case ReturnKind::Integer: return r && std::holds_alternative<std::int64_t>(*r);
    case ReturnKind::String: return r && std::holds_alternative<std::string>(*r);
    }
    return false;
}

TEST(CallTable, EveryCallPerformsOnEachSocketTypeThatAcceptsIt) {
    std::set<std::optional<ReturnValue> (*)(CallTarget&, const ActionSpec&)> performers;
    for (const auto& row : calls()) {
        SCOPED_TRACE(row.name);
        EXPECT_EQ(parseCall(row.name), row.call);
        EXPECT_STREQ(toString(row.call), row.name);
        EXPECT_TRUE(row.onTcp || row.onUdp) << "no socket type accepts it";
        EXPECT_TRUE(performers.insert(row.perform).second) << "two calls share one performer";
        for (const SocketType type : {SocketType::TcpSocket, SocketType::UdpSocket}) {
            if (!(type == SocketType::TcpSocket ? row.onTcp : row.onUdp)) continue;
            sim::Network net(1);
            std::unique_ptr<AbstractSocket> socket;
            if (type == SocketType::TcpSocket) socket = std::make_unique<TcpSocket>(net);
            else socket = std::make_unique<UdpSocket>(net);
            std::string read;
            CallTarget target{*socket, read};
            const std::optional<ReturnValue> r = row.perform(target, sampleAction(row));
            EXPECT_TRUE(holdsKind(r, row.returns)) << "on a " << toString(type) << ": the performer's return value "
                                                   << "is not the declared " << toString(row.returns);
        }
    }
}

TEST(CallTable, EveryArgumentHasItsKeysAndTheLoaderReadsThemBack) {
    for (CallArg arg : callArgOrder()) EXPECT_FALSE(callArgKeys(arg).empty());
    const Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
      "sockets": [{"name": "c", "type": "tcp"}, {"name": "u", "type": "udp"}],
      "actions": [{"at": "0ms", "socket": "u", "call": "writeDatagram", "data": "x", "host": "10.0.0.2", "port": 7},
                  {"at": "0ms", "socket": "c", "call": "setSocketOption", "option": "KeepAliveOption", "value": 1},
                  {"at": "0ms", "socket": "c", "call": "waitForReadyRead", "timeout": "25ms"}]})J");
    ASSERT_EQ(s.actions.size(), 3u);
    EXPECT_EQ(s.actions[0].call, Call::WriteDatagram);
    EXPECT_EQ(s.actions[0].host, "10.0.0.2");
    EXPECT_EQ(s.actions[0].port, 7);
    EXPECT_EQ(s.actions[1].option, SocketOption::KeepAliveOption);
    EXPECT_EQ(s.actions[1].value, 1);
    EXPECT_EQ(s.actions[2].timeoutMs, 25);
    const std::string written = writeScenario(s);
    EXPECT_NE(written.find(R"J({"at": "0ms", "socket": "u", "call": "writeDatagram", "data": "x", "host": "10.0.0.2", "port": 7})J"),
              std::string::npos);
    EXPECT_NE(written.find(R"J("call": "setSocketOption", "option": "KeepAliveOption", "value": 1})J"), std::string::npos);
    EXPECT_NE(written.find(R"J("call": "waitForReadyRead", "timeout": "25ms"})J"), std::string::npos);
}

// Emitting each of AbstractSocket's signals by hand: the recorder (which connects through the table) must
// record each under its table name, in the table's order.
TEST(SignalTable, TheRecorderRecordsEverySignalOfAbstractSocket) {
    sim::Network net(1);
    TcpSocket s(net);
    s.setObjectName("c");
    Trace trace;
    TraceRecorder recorder(s, trace);
    NetworkProxy proxy;
    Authenticator auth;
    s.hostFound.emit();
    s.connected.emit();
    s.disconnected.emit();
    s.stateChanged.emit(SocketState::ConnectedState);
    s.errorOccurred.emit(SocketError::NetworkError);
    s.readyRead.emit();
    s.bytesWritten.emit(3);
    s.aboutToClose.emit();
    s.readChannelFinished.emit();
    s.proxyAuthenticationRequired.emit(proxy, &auth);
    std::vector<std::string> names;
    forEachSignal([&](const SignalInfo& info) { names.emplace_back(info.name); });
    ASSERT_EQ(trace.events().size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(trace.events()[i].signal, names[i]);
    EXPECT_EQ(trace.compact(), (std::vector<std::string>{
                                   "hostFound()", "connected()", "disconnected()", "stateChanged(ConnectedState)",
                                   "errorOccurred(NetworkError)", "readyRead(0)", "bytesWritten(3)", "aboutToClose()",
                                   "readChannelFinished()", "proxyAuthenticationRequired()"}));
    for (const auto& name : names) EXPECT_EQ(findSignal(name)->name, name);
    EXPECT_EQ(findSignal("connect"), nullptr);
}

TEST(EngineNames, TheLoaderAcceptsEveryRegisteredEngineAndNothingElse) {
    const std::vector<std::string> names = engineNames();
    EXPECT_EQ(names, BackendRegistry::instance().names());
    ASSERT_NE(std::find(names.begin(), names.end(), kDefaultEngine), names.end());
    std::string all;
    for (const auto& n : names) {
        all += (all.empty() ? "" : ", ") + n;
        EXPECT_NE(BackendRegistry::instance().create(n), nullptr);
        const Scenario s = loadScenarioText("t.json", "{\"format\": 1, \"engines\": [\"" + n + "\"], \"runFor\": \"1s\"}");
        EXPECT_EQ(s.engines, std::vector<std::string>{n});
    }
    try {
        loadScenarioText("t.json", R"J({"format": 1, "engines": ["kqueue"], "runFor": "1s"})J");
        ADD_FAILURE() << "an unregistered engine was accepted";
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), "t.json:1:27: $.engines[0]: unknown value \"kqueue\" (expected one of: " + all + ")");
    }
}

std::string schemaText() {
    std::ifstream in(SIMSOCK_SCHEMA_FILE, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

TEST(SchemaWords, TheShippedSchemaMatchesAndOneChangedWordIsFoundAndRewritten) {
    const std::string text = schemaText();
    ASSERT_FALSE(text.empty());
    EXPECT_TRUE(schemaDifferences("schema.json", text).empty());
    EXPECT_EQ(schemaWithTableWords("schema.json", text), text);

    std::string changed = text;
    const auto at = changed.find("\"heal\"");
    ASSERT_NE(at, std::string::npos);
    changed.replace(at, 6, "\"heel\"");
    const auto differences = schemaDifferences("schema.json", changed);
    ASSERT_EQ(differences.size(), 1u);
    EXPECT_EQ(differences[0].path, "$.$defs.fault.properties.kind.enum");
    EXPECT_NE(differences[0].message.find("heel"), std::string::npos);
    EXPECT_EQ(schemaWithTableWords("schema.json", changed), text);

    std::string signal = text;
    signal.replace(signal.find("|readyRead|"), 11, "|readyReed|");
    ASSERT_EQ(schemaDifferences("schema.json", signal).size(), 1u);
    EXPECT_EQ(schemaDifferences("schema.json", signal)[0].path, "$.$defs.action.properties.on.properties.signal.pattern");
    EXPECT_EQ(schemaWithTableWords("schema.json", signal), text);
}

}  // namespace
}  // namespace simsock::scenario
