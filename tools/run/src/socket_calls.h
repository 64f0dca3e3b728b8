// The objects under test of one execution — sockets and servers — with their recorders, and how an
// action's call is performed on one of them and recorded as a call event.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "simsock/abstract_socket.h"
#include "simsock/event_loop.h"
#include "simsock/scenario/model.h"
#include "simsock/signal.h"
#include "simsock/tcp_server.h"
#include "simsock/trace.h"

namespace simsock::scenario {

/// A socket under test with its recorder and what the scenario's reads returned.
struct SocketUnderTest {
    std::unique_ptr<AbstractSocket> socket;
    std::unique_ptr<TraceRecorder> recorder;
    std::vector<Connection> connections;  ///< signal-triggered actions
    std::string read;
};

/// A server under test. Its signals are recorded by the execution (core's TraceRecorder is a socket's),
/// with the scenario call running on it as their in-call marker.
/// Sets realised (spec's proxy with this world's host and port) on sut's socket, and answers its
/// proxyAuthenticationRequired with spec's onProxyAuth.
void configureProxy(SocketUnderTest& sut, const SocketSpec& spec, const std::optional<ProxySpec>& realised);

struct ServerUnderTest {
    std::unique_ptr<TcpServer> server;
    std::vector<Connection> connections;  ///< the recording first, then signal-triggered actions
    std::vector<std::string> calls;       ///< the scenario calls running on it, innermost last
    std::string read;                     ///< unused: a server reads nothing, but a performer's target needs one
};

/// Applies options, read buffer size and connect timeout from spec (the proxy: configureProxy, once the
/// peers listen).
void configureSocket(AbstractSocket& socket, const SocketSpec& spec);

/// Records every signal of server into trace as object name, in the server table's order.
void recordServerSignals(ServerUnderTest& server, const std::string& name, EventLoop& loop, Trace& trace);

/// Performs one call of a on target (its row in calls()), recording it into trace as a call event of
/// a.socket: the scenario's own arguments (not where the world put them) and the return value as the trace
/// spells it. realised is a with this world's addresses and ports. Returns the value when it has one.
std::optional<ReturnValue> performAndRecord(CallTarget& target, const ActionSpec& a, const ActionSpec& realised,
                                            Trace& trace, std::int64_t nowNs);

}  // namespace simsock::scenario
