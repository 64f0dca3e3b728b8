// AbstractSocket's signals as one table, and TcpServer's as another: each signal's name, what a trace
// records as its arguments, and how to connect to it. The trace recorder, the scenario runner's
// signal-triggered actions and the scenario loader derive from the tables, so a signal added to
// AbstractSocket or TcpServer is added here once.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/signal.h"

namespace simsock {

class AbstractSocket;
class TcpServer;

/// What a trace records as a signal's arguments.
enum class SignalArgs {
    None,       ///< nothing (proxyAuthenticationRequired's proxy and authenticator are not recorded)
    State,      ///< one SocketState spelling
    Error,      ///< one SocketError spelling
    ByteCount,  ///< one decimal count (readyRead: bytesAvailable() at delivery; bytesWritten: its argument)
    Text,       ///< one quoted, escaped string (appendJsonString): warning's text
};

/// Receives one emission, with its arguments spelled as a trace spells them.
using SignalHandler = std::function<void(std::vector<std::string> args)>;

/// One row of the table.
struct SignalInfo {
    std::string_view name;  ///< the member's name: "stateChanged"
    SignalArgs args;
    /// Connects handler to this signal of socket; the handler runs after those connected before it.
    Connection (*connect)(AbstractSocket& socket, SignalHandler handler);
};

/// Every signal of AbstractSocket, in declaration order.
std::span<const SignalInfo> socketSignals();

/// Calls fn(const SignalInfo&) for every signal of AbstractSocket, in declaration order.
template <typename F>
void forEachSignal(F&& fn) {
    for (const SignalInfo& s : socketSignals()) fn(s);
}

/// The signal named name, or null.
const SignalInfo* findSignal(std::string_view name);

/// One row of TcpServer's table.
struct ServerSignalInfo {
    std::string_view name;  ///< "newConnection"
    SignalArgs args;
    /// Connects handler to this signal of server; the handler runs after those connected before it.
    Connection (*connect)(TcpServer& server, SignalHandler handler);
};

/// Every signal of TcpServer, in declaration order. No name is also a socket signal's.
std::span<const ServerSignalInfo> serverSignals();

/// The server signal named name, or null.
const ServerSignalInfo* findServerSignal(std::string_view name);

}  // namespace simsock
