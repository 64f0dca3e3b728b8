// Recorded signals and calls, and their exact serialized form. A trace is what scenarios and tests compare,
// so its text form is fixed: changing it changes every expectation.
//
// Two kinds of event share one sequence. A signal event is one delivered signal (TraceRecorder records
// them). A call event is one public call a program made on an object under test, recorded when the call is
// made and completed with its return value when it returns (Trace::beginCall/endCall): the signals the
// call emits therefore follow its call event, each with the call's in-call marker. A call made inside a
// handler during another call comes after the outer call's event and before the outer call's later
// signals, as the program ran it:
//
//   c: write("y") -> 1
//   c: write{bytesWritten(1)}
//
// Who records calls decides which calls are traced (the scenario runner: its actions only); the library
// never records its own internal calls.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/signal.h"

namespace simsock {

class AbstractSocket;

/// Appends s as a quoted JSON string, escaped the one way every serialized form of simsock uses. The
/// result is valid UTF-8 whatever s holds: control characters are escaped, and each invalid sequence
/// (a stray byte, a truncated or overlong sequence, an encoded surrogate) becomes one U+FFFD.
void appendJsonString(std::string& out, std::string_view s);

/// The length of the valid UTF-8 sequence (RFC 3629) at the start of s, or 0 when it is not one; then
/// *invalid is how many bytes to replace by one U+FFFD (the maximal part that could have begun a
/// sequence, at least 1). s must not be empty.
std::size_t utf8SequenceLength(std::string_view s, std::size_t* invalid);

/// One delivered signal, or one call (isCall()).
struct TraceEvent {
    std::int64_t timeNs = 0;
    std::string object;             ///< the socket's objectName (or a peer's name)
    std::string signal;             ///< "stateChanged"; empty for a call event
    std::vector<std::string> args;  ///< signal: Qt spellings: {"ConnectedState"}; readyRead carries
                                    ///< bytesAvailable. call: each argument as the trace spells it: {"\"y\""}
    std::string state;              ///< the socket's state at delivery; empty for a call event
    std::string call;               ///< signal: the public call it fired inside, or empty when from the loop;
                                    ///< call event: the call's name
    std::string returns = {};       ///< call event: the return value as the trace spells it ("" for none)
    bool isCallEvent = false;       ///< a call event (made by Trace::beginCall)

    bool isCall() const { return isCallEvent; }
    /// Compact form used by tests. Signals: `connectToHost{stateChanged(HostLookupState)}` when inside a
    /// call, `stateChanged(ConnectedState)` from the loop. Calls: `write("y") -> 1`, arguments joined by
    /// ", ", and ` -> <returns>` only for a call that returns something: `abort()`.
    std::string str() const;
    /// One JSON object on one line, keys in a fixed order. Signals: t, object, signal, args, state, call.
    /// Calls: t, object, call, args, returns (no "signal" key: that is how a reader tells them apart).
    std::string toJson() const;
    friend bool operator==(const TraceEvent&, const TraceEvent&) = default;
};

class Trace {
public:
    void record(TraceEvent e) { events_.push_back(std::move(e)); }
    /// Records a call event for object's call name with its spelled arguments, made at timeNs; returns
    /// its index for endCall. Signals recorded until then come after it.
    std::size_t beginCall(std::int64_t timeNs, std::string object, std::string name, std::vector<std::string> args);
    /// Completes the call event at index with its spelled return value ("" for a call returning nothing).
    void endCall(std::size_t index, std::string returns);
    const std::vector<TraceEvent>& events() const { return events_; }
    /// Event index, for a recorder that respells what it recorded (the scenario runner writes a realised
    /// address back as the scenario names it).
    TraceEvent& event(std::size_t index) { return events_.at(index); }
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
