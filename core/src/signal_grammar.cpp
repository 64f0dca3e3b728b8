#include "simsock/signal_grammar.h"

#include <array>

namespace simsock {
namespace {

using S = SocketState;

// Every transition the machine makes. `client` marks the TCP client's life cycle, the part a client
// trace may show; the rest belongs to bound (UDP) and listening sockets.
struct Edge {
    S from, to;
    bool client;
};

constexpr std::array kEdges{
    Edge{S::UnconnectedState, S::HostLookupState, true},
    Edge{S::UnconnectedState, S::ConnectingState, false},
    Edge{S::UnconnectedState, S::ConnectedState, false},
    Edge{S::UnconnectedState, S::BoundState, false},
    Edge{S::UnconnectedState, S::ListeningState, false},
    Edge{S::HostLookupState, S::ConnectingState, true},
    Edge{S::HostLookupState, S::UnconnectedState, true},
    Edge{S::ConnectingState, S::ConnectedState, true},
    Edge{S::ConnectingState, S::UnconnectedState, true},
    Edge{S::ConnectedState, S::ClosingState, true},
    Edge{S::ConnectedState, S::UnconnectedState, true},
    Edge{S::BoundState, S::HostLookupState, false},
    Edge{S::BoundState, S::ConnectedState, false},
    Edge{S::BoundState, S::ClosingState, false},
    Edge{S::BoundState, S::UnconnectedState, false},
    // Qt's connectToHost accepts a listening socket (one put there by setSocketState/setSocketDescriptor).
    Edge{S::ListeningState, S::HostLookupState, false},
    Edge{S::ListeningState, S::ClosingState, false},
    Edge{S::ListeningState, S::UnconnectedState, false},
    Edge{S::ClosingState, S::UnconnectedState, true},
};

const Edge* findEdge(S from, S to) {
    for (const Edge& e : kEdges)
        if (e.from == from && e.to == to) return &e;
    return nullptr;
}

}  // namespace

bool legalTransition(SocketState from, SocketState to) { return findEdge(from, to) != nullptr; }

bool clientTransition(SocketState from, SocketState to) {
    const Edge* e = findEdge(from, to);
    return e != nullptr && e->client;
}

std::string SignalGrammar::checkTransition(const TraceEvent& e) const {
    const auto to = e.args.size() == 1 ? parseSocketState(e.args[0]) : std::nullopt;
    if (!to || !clientTransition(announced_, *to)) return "illegal transition from " + std::string(toString(announced_));
    if (e.state != e.args[0]) return "stateChanged delivered before the state changed";
    return {};
}

std::string SignalGrammar::checkOrder(const TraceEvent& e) const {
    const bool passive = handlers_ == Handlers::Passive;
    const auto lastAnnounced = [&](S s) { return lastWasStateChange_ && announced_ == s; };
    if (e.signal == "connected") {
        if (passive && !lastAnnounced(S::ConnectedState))
            return "connected not right after stateChanged(ConnectedState)";
        if (!passive && !(seen(S::ConnectedState) && !connectedSeen_))
            return "connected without stateChanged(ConnectedState) before it in the same attempt";
    }
    if (e.signal == "disconnected" && !(connectedSeen_ && !disconnectedSeen_))
        return "disconnected without a connected of the same connection";
    if (e.signal == "hostFound") {
        if (passive && !(lastAnnounced(S::ConnectingState) && lookedUp_))
            return "hostFound outside HostLookup -> Connecting";
        if (!passive && !(seen(S::ConnectingState) && !hostFoundSeen_))
            return "hostFound without stateChanged(ConnectingState) before it in the same attempt";
    }
    if (e.signal == "errorOccurred" && !e.args.empty() && e.args[0] == "RemoteHostClosedError" &&
        e.state != "ConnectedState" && e.state != "ClosingState")
        return "RemoteHostClosedError delivered after the connection was already gone";
    return {};
}

void SignalGrammar::advance(const TraceEvent& e) {
    // A warning is not one of Qt's signals: it leaves the signal order as it was (a handler of
    // stateChanged may misuse the socket before the signal that must follow).
    if (e.signal == "warning") return;
    lastWasStateChange_ = e.signal == "stateChanged";
    if (lastWasStateChange_) {
        announced_ = *parseSocketState(e.args[0]);
        if (announced_ == S::HostLookupState) {
            seenStates_ = 0;
            lookedUp_ = true;
            hostFoundSeen_ = connectedSeen_ = disconnectedSeen_ = false;
        }
        if (announced_ == S::UnconnectedState) lookedUp_ = false;
        seenStates_ |= bit(announced_);
    }
    if (e.signal == "hostFound") hostFoundSeen_ = true;
    if (e.signal == "connected") connectedSeen_ = true;
    if (e.signal == "disconnected") disconnectedSeen_ = true;
}

std::string SignalGrammar::rule(const TraceEvent& e) const {
    std::string why;
    if (e.signal == "stateChanged") {
        why = checkTransition(e);
    } else if (e.state != toString(announced_)) {
        // The state recorded at delivery is the state the last stateChanged announced.
        why = "delivered in " + e.state + " but the last stateChanged said " + std::string(toString(announced_));
    } else {
        why = checkOrder(e);
    }
    return why;
}

std::string SignalGrammar::feed(const TraceEvent& e) {
    std::string why = rule(e);
    const std::size_t index = index_++;
    if (why.empty()) {
        advance(e);
        return why;
    }
    return "event " + std::to_string(index) + " " + e.str() + " [" + e.state + "]: " + why;
}

std::string SignalGrammar::feedAll(const Trace& t, std::size_t from) {
    for (std::size_t i = from; i < t.events().size(); ++i)
        if (auto why = feed(t.events()[i]); !why.empty()) return why;
    return {};
}

}  // namespace simsock
