#include "socket_calls.h"

#include "simsock/network_proxy.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/signal_table.h"

namespace simsock::scenario {

void configureSocket(AbstractSocket& socket, const SocketSpec& spec) {
    for (const auto& [name, value] : spec.options) socket.setSocketOption(*parseSocketOption(name), value);
    if (spec.readBufferSize) socket.setReadBufferSize(*spec.readBufferSize);
    if (spec.connectTimeoutNs) socket.setConnectTimeoutMs(*spec.connectTimeoutNs / 1'000'000);
}

void configureProxy(SocketUnderTest& sut, const SocketSpec& spec, const std::optional<ProxySpec>& realised) {
    if (realised) sut.socket->setProxy(makeNetworkProxy(*realised));
    if (!spec.onProxyAuth) return;
    // Connected after the recorder, so the trace shows the signal before anything the answer causes.
    sut.connections.push_back(sut.socket->proxyAuthenticationRequired.connect(
        [answer = *spec.onProxyAuth](const NetworkProxy&, Authenticator* authenticator) {
            if (!authenticator) return;
            authenticator->setUser(answer.user);
            authenticator->setPassword(answer.password);
        }));
}

void recordServerSignals(ServerUnderTest& s, const std::string& name, EventLoop& loop, Trace& trace) {
    for (const ServerSignalInfo& signal : serverSignals()) {
        auto record = [&s, &loop, &trace, name, signal = signal.name](std::vector<std::string> args) {
            TraceEvent e;
            e.timeNs = loop.nowNs();
            e.object = name;
            e.signal = signal;
            e.args = std::move(args);
            // A server has no state of its own in Qt's API; a trace gives the one its socket engine has.
            e.state = s.server->isListening() ? "ListeningState" : "UnconnectedState";
            e.call = s.calls.empty() ? std::string() : s.calls.back();
            trace.record(std::move(e));
        };
        s.connections.push_back(signal.connect(*s.server, std::move(record)));
    }
}

namespace {

// A warning quotes the host name it was given (connectToHost's): the realised one, on a real engine. The
// trace speaks the scenario's names, so that text is written back as the scenario wrote it.
void respellWarnings(Trace& trace, std::size_t from, const std::string& realHost, const std::string& scenarioHost) {
    if (realHost == scenarioHost || realHost.empty()) return;
    const std::string real = "\\\"" + realHost + "\\\"", named = "\\\"" + scenarioHost + "\\\"";
    for (std::size_t i = from; i < trace.events().size(); ++i) {
        TraceEvent& e = trace.event(i);
        if (e.signal != "warning" || e.args.size() != 1) continue;
        for (auto at = e.args[0].find(real); at != std::string::npos; at = e.args[0].find(real, at + named.size()))
            e.args[0].replace(at, real.size(), named);
    }
}

}  // namespace

std::optional<ReturnValue> performAndRecord(CallTarget& target, const ActionSpec& a, const ActionSpec& realised,
                                            Trace& trace, std::int64_t nowNs) {
    const CallInfo& ci = callInfo(a.call);
    const std::size_t event = trace.beginCall(nowNs, a.socket, ci.name, traceArguments(a));
    std::optional<ReturnValue> r = ci.perform(target, realised);
    trace.endCall(event, r ? traceSpelling(*r) : std::string());
    respellWarnings(trace, event + 1, realised.host, a.host);
    return r;
}

}  // namespace simsock::scenario
