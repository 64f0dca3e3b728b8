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
#include "simsock/tcp_server.h"
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
        ASSERT_NE(row.build, nullptr) << "a row without a builder";
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
        case CallArg::Byte: a.data = "x"; break;
        case CallArg::Tag: a.data = "tag"; break;
        case CallArg::Pause: a.pauseMode = PauseMode::PauseOnSslErrors; break;
        case CallArg::ProxyArg: a.proxy.type = NetworkProxy::NoProxy; break;
        case CallArg::Descriptor: a.descriptor = -1; break;
        case CallArg::StateArg: a.state = SocketState::ConnectedState; break;
        case CallArg::OpenModeArg: a.openMode = OpenModeFlag::ReadWrite; break;
        case CallArg::As: a.as = "a"; break;
        }
    }
    return a;
}

bool holdsKind(const std::optional<ReturnValue>& r, ReturnKind kind) {
    auto holds = [&](auto tag) { return r && std::holds_alternative<decltype(tag)>(*r); };
    switch (kind) {
    case ReturnKind::None: return !r.has_value();
    case ReturnKind::Boolean: return holds(bool{});
    case ReturnKind::Integer: return holds(std::int64_t{});
    case ReturnKind::Text:
    case ReturnKind::Address: return holds(std::string{});
    case ReturnKind::Name: return holds(Word{});
    case ReturnKind::Port:
    case ReturnKind::Descriptor: return holds(std::int64_t{}) || holds(Word{});
    case ReturnKind::Datagram: return holds(std::string{}) || holds(nullptr);
    case ReturnKind::Socket: return holds(Word{}) || holds(nullptr);
    }
    return false;
}

// The run's side of a performer, for calls made on a lone object: nothing to take, nothing adopted.
class LoneContext final : public CallContext {
public:
    std::intptr_t takeDescriptor(const std::string&) override { return -1; }
    void adopt(std::unique_ptr<TcpSocket>, const std::string& as) override { adopted.push_back(as); }
    ReturnValue port(std::uint16_t port) const override { return std::int64_t{port}; }
    std::string address(const HostAddress& address) const override { return address.toString(); }
    std::vector<std::string> adopted;
};

TEST(CallTable, EveryCallPerformsOnEachTargetThatAcceptsIt) {
    std::set<std::optional<ReturnValue> (*)(CallTarget&, const ActionSpec&)> performers;
    for (const auto& row : calls()) {
        SCOPED_TRACE(row.name);
        ASSERT_NE(row.perform, nullptr) << "a row without a performer";
        EXPECT_STREQ(toString(row.call), row.name);
        EXPECT_TRUE(isCallName(row.name));
        EXPECT_TRUE(row.on.has(Target::Tcp) || row.on.has(Target::Udp) || row.on.has(Target::Server)) << "nothing accepts it";
        EXPECT_FALSE(row.on.has(Target::Server) && (row.on.has(Target::Tcp) || row.on.has(Target::Udp)))
            << "a row acts on sockets or on servers (a name both have gets two rows)";
        EXPECT_TRUE(performers.insert(row.perform).second) << "two calls share one performer";
        EXPECT_EQ(findSignal(row.name), nullptr) << "a call and a signal share a name: trace lines would be ambiguous";
        EXPECT_EQ(findServerSignal(row.name), nullptr);
        for (const Target target : {Target::Tcp, Target::Udp, Target::Server}) {
            if (!row.on.has(target)) continue;
            EXPECT_EQ(parseCall(row.name, target), row.call);
            sim::Network net(1);
            std::unique_ptr<AbstractSocket> socket;
            std::unique_ptr<TcpServer> server;
            if (target == Target::Tcp) socket = std::make_unique<TcpSocket>(net);
            if (target == Target::Udp) socket = std::make_unique<UdpSocket>(net);
            if (target == Target::Server) server = std::make_unique<TcpServer>(net);
            std::string read;
            LoneContext context;
            CallTarget t{socket.get(), server.get(), read, context};
            const std::optional<ReturnValue> r = row.perform(t, sampleAction(row));
            EXPECT_TRUE(holdsKind(r, row.returns)) << "on a " << toString(target) << ": the performer's return value "
                                                   << "is not the declared " << toString(row.returns);
        }
    }
}

TEST(CallTable, CallEventsSpellArgumentsAndReturnsAsTheFileWroteThem) {
    const Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim"], "runFor": "1s",
      "peers": [{"name": "p", "kind": "tcp-server", "host": "server", "port": 7, "script": [{"handOver": true}]}],
      "servers": [{"name": "srv", "host": "server"}],
      "sockets": [{"name": "c", "type": "tcp"}, {"name": "u", "type": "udp"},
                  {"name": "a", "type": "tcp", "acceptedBy": "srv"}, {"name": "d", "type": "tcp", "host": "server"}],
      "actions": [{"at": "0ms", "socket": "u", "call": "writeDatagram", "size": 100, "host": "10.0.0.2", "port": {"portOf": "p"}},
                  {"at": "0ms", "socket": "c", "call": "setSocketOption", "option": "KeepAliveOption", "value": 1},
                  {"at": "0ms", "socket": "c", "call": "waitForReadyRead", "timeout": "25ms"},
                  {"at": "0ms", "socket": "c", "call": "putChar", "char": "\n"},
                  {"at": "0ms", "socket": "c", "call": "setProxy", "proxy": {"type": "HttpProxy", "host": "px", "port": 3128}},
                  {"at": "0ms", "server": "srv", "call": "nextPendingConnection", "as": "a"},
                  {"at": "0ms", "socket": "d", "call": "setSocketDescriptor", "descriptor": {"takeFrom": "p"}, "openMode": "ReadOnly"},
                  {"at": "0ms", "socket": "c", "call": "readLine"}]})J");
    std::vector<std::string> spelled;
    for (const auto& a : s.actions) {
        std::string line = std::string(toString(a.call)) + "(";
        const auto args = traceArguments(a);
        for (std::size_t i = 0; i < args.size(); ++i) line += (i ? ", " : "") + args[i];
        spelled.push_back(line + ")");
    }
    EXPECT_EQ(spelled, (std::vector<std::string>{
                           "writeDatagram(<100 bytes>, \"10.0.0.2\", portOf(p))", "setSocketOption(KeepAliveOption, 1)",
                           "waitForReadyRead(25)", "putChar(\"\\n\")", "setProxy(HttpProxy, \"px\", 3128)",
                           "nextPendingConnection()", "setSocketDescriptor(takeFrom(p), ReadOnly)", "readLine()"}));
    EXPECT_EQ(traceSpelling(true), "true");
    EXPECT_EQ(traceSpelling(std::int64_t{-1}), "-1");
    EXPECT_EQ(traceSpelling(std::string("a\"b")), "\"a\\\"b\"");
    EXPECT_EQ(traceSpelling(std::string(41, 'x')), "<41 bytes>");
    EXPECT_EQ(traceSpelling(Word{"ConnectedState"}), "ConnectedState");
    EXPECT_EQ(traceSpelling(nullptr), "null");
    // The written file reads back to the same actions.
    const Scenario again = loadScenarioText("w.json", writeScenario(s));
    ASSERT_EQ(again.actions.size(), s.actions.size());
    for (std::size_t i = 0; i < s.actions.size(); ++i) EXPECT_EQ(traceArguments(again.actions[i]), traceArguments(s.actions[i]));
    EXPECT_EQ(writeScenario(again), writeScenario(s));
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
    s.warning.emit("QIODevice::write (TcpSocket): \"x\"");
    std::vector<std::string> names;
    forEachSignal([&](const SignalInfo& info) { names.emplace_back(info.name); });
    ASSERT_EQ(trace.events().size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(trace.events()[i].signal, names[i]);
    EXPECT_EQ(trace.compact(), (std::vector<std::string>{
                                   "hostFound()", "connected()", "disconnected()", "stateChanged(ConnectedState)",
                                   "errorOccurred(NetworkError)", "readyRead(0)", "bytesWritten(3)", "aboutToClose()",
                                   "readChannelFinished()", "proxyAuthenticationRequired()",
                                   R"(warning("QIODevice::write (TcpSocket): \"x\""))"}));
    for (const auto& name : names) EXPECT_EQ(findSignal(name)->name, name);
    EXPECT_EQ(findSignal("connect"), nullptr);
}

// TcpServer's signals, recorded by a scenario run: each under its table name, with its argument.
TEST(SignalTable, EveryServerSignalHasARowAndNoSocketSignalSharesItsName) {
    sim::Network net(1);
    TcpServer server(net);
    std::vector<std::string> got;
    std::vector<Connection> connections;
    for (const auto& info : serverSignals()) {
        EXPECT_EQ(findServerSignal(info.name), &info);
        EXPECT_EQ(findSignal(info.name), nullptr);
        connections.push_back(info.connect(server, [&got, name = std::string(info.name)](std::vector<std::string> args) {
            got.push_back(name + "(" + (args.empty() ? "" : args[0]) + ")");
        }));
    }
    server.newConnection.emit();
    server.acceptError.emit(SocketError::SocketResourceError);
    EXPECT_EQ(got, (std::vector<std::string>{"newConnection()", "acceptError(SocketResourceError)"}));
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
