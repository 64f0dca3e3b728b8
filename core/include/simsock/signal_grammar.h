// The signal grammar, written once: which state transitions a socket may make, and the order the TCP
// client signals must come in (SEMANTICS.md). The state machine asserts every transition it makes
// against legalTransition, in every build type; the property tests and the scenario invariants feed
// recorded traces to SignalGrammar. setSocketState (a protected Qt API) and setSocketDescriptor (which
// adopts a socket in any state) bypass the grammar on purpose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "simsock/socket_types.h"
#include "simsock/trace.h"

namespace simsock {

/// True when the state machine may move from `from` to `to` (clients, bound and listening sockets).
bool legalTransition(SocketState from, SocketState to);

/// True when from -> to is a step of a TCP client's life (Unconnected, HostLookup, Connecting,
/// Connected, Closing): the subset of legalTransition a client trace may show.
bool clientTransition(SocketState from, SocketState to);

/// Checks one TCP client socket's trace, one event at a time.
class SignalGrammar {
public:
    enum class Handlers {
        /// Handlers do not call into the socket: a signal follows the stateChanged it belongs to directly.
        Passive,
        /// Handlers call into the socket, so their own signals may come between a stateChanged and the
        /// signal that follows it; the order must hold within one connection attempt (since ->HostLookup).
        Reentrant,
    };

    explicit SignalGrammar(Handlers handlers = Handlers::Passive) : handlers_(handlers) {}

    /// "" when e fits everything fed before; else (and e is not taken in) the complaint
    /// `event N <e.str()> [<e.state>]: <rule>`, N counting every event fed so far from 0.
    std::string feed(const TraceEvent& e);
    /// Feeds the events from `from` on; returns the first complaint or "".
    std::string feedAll(const Trace& t, std::size_t from = 0);
    /// The state the last accepted stateChanged announced.
    SocketState state() const { return announced_; }

private:
    std::string rule(const TraceEvent& e) const;
    std::string checkTransition(const TraceEvent& e) const;
    std::string checkOrder(const TraceEvent& e) const;
    void advance(const TraceEvent& e);
    bool seen(SocketState s) const { return (seenStates_ & bit(s)) != 0; }
    static std::uint32_t bit(SocketState s) { return 1u << static_cast<unsigned>(s); }

    Handlers handlers_;
    SocketState announced_ = SocketState::UnconnectedState;
    std::uint32_t seenStates_ = 0;      ///< the states announced in this attempt
    bool lastWasStateChange_ = false;   ///< the previous accepted event was a stateChanged (to announced_)
    bool lookedUp_ = false;             ///< ->HostLookup since the last ->Unconnected
    bool hostFoundSeen_ = false;
    bool connectedSeen_ = false;
    bool disconnectedSeen_ = false;
    std::size_t index_ = 0;
};

}  // namespace simsock
