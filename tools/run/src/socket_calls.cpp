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

std::optional<ReturnValue> performAndRecord(CallTarget& target, const ActionSpec& a, const ActionSpec& realised,
                                            Trace& trace, std::int64_t nowNs) {
    const CallInfo& ci = callInfo(a.call);
    const std::size_t event = trace.beginCall(nowNs, a.socket, ci.name, traceArguments(a));
    std::optional<ReturnValue> r = ci.perform(target, realised);
    trace.endCall(event, r ? traceSpelling(*r) : std::string());
    return r;
}

}  // namespace simsock::scenario
