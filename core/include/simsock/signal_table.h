// AbstractSocket's signals as one table: each signal's name, what a trace records as its arguments, and
// how to connect to it. The trace recorder, the scenario runner's signal-triggered actions and the
// scenario loader derive from the table, so a signal added to AbstractSocket is added here once.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/signal.h"

namespace simsock {

class AbstractSocket;

/// What a trace records as a signal's arguments.
enum class SignalArgs {
    None,       ///< nothing (proxyAuthenticationRequired's proxy and authenticator are not recorded)
    State,      ///< one SocketState spelling
    Error,      ///< one SocketError spelling
    ByteCount,  ///< one decimal count (readyRead: bytesAvailable() at delivery; bytesWritten: its argument)
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

}  // namespace simsock
