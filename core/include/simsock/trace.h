// Recorded signals and their exact serialized form. A trace is what scenarios and tests compare, so its
// text form is fixed: changing it changes every expectation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/signal.h"

namespace simsock {

class AbstractSocket;

/// Appends s as a quoted JSON string, escaped the one way every serialized form of simsock uses.
void appendJsonString(std::string& out, std::string_view s);

/// One delivered signal.
struct TraceEvent {
    std::int64_t timeNs = 0;
    std::string object;             ///< the socket's objectName (or a peer's name)
    std::string signal;             ///< "stateChanged"
    std::vector<std::string> args;  ///< Qt spellings: {"ConnectedState"}; readyRead carries bytesAvailable
    std::string state;              ///< the socket's state at delivery
    std::string call;               ///< the public call it fired inside, or empty when from the loop

    /// Compact form used by tests: `connectToHost{stateChanged(HostLookupState)}` when inside a call,
    /// `stateChanged(ConnectedState)` from the loop.
    std::string str() const;
    /// One JSON object on one line, keys in a fixed order: t, object, signal, args, state, call.
    std::string toJson() const;
    friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};

class Trace {
public:
    void record(TraceEvent e) { events_.push_back(std::move(e)); }
    const std::vector<TraceEvent>& events() const { return events_; }
    void clear() { events_.clear(); }
    /// The compact forms, optionally of one object only.
    std::vector<std::string> compact(const std::string& object = {}) const;
    /// JSON Lines: one toJson() per line, each ending in '\n'.
    std::string serialize() const;

private:
    std::vector<TraceEvent> events_;
};

/// Records every signal of a socket (signal_table.h) into a trace, as the first handler of each signal.
/// Attach before connecting other handlers so that recording order is delivery order.
class TraceRecorder {
public:
    TraceRecorder(AbstractSocket& socket, Trace& trace);
    ~TraceRecorder();
    TraceRecorder(const TraceRecorder&) = delete;
    TraceRecorder& operator=(const TraceRecorder&) = delete;
    /// Stops recording (the socket may already be gone).
    void detach();

private:
    void add(std::string_view signal, std::vector<std::string> args);
    AbstractSocket* socket_;
    Trace& trace_;
    std::vector<Connection> connections_;
};

}  // namespace simsock
