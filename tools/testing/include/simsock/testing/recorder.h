// A test's recording: every signal of the sockets it watches and every step of its scripted peers, in the
// order they happened, as compact event strings that gmock matchers read (see matchers.h):
//
//   EXPECT_THAT(trace.events("c"), ElementsAre("connectToHost{stateChanged(HostLookupState)}", ...));
//   EXPECT_THAT(trace.events("srv"), Contains("recv(5)"));
//
// A socket's events are Trace::compact's: `signal(args)` from the loop, `call{signal(args)}` inside a public
// call. A peer's events are its log: `listen()`, `accept()`, `recv(5)`, `send(2)`, `eof()`, `close()`, and
// failures with their text, `connect-failed(Connection refused)` (peer_environment.h lists the words).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simsock/abstract_socket.h"
#include "simsock/peer/peer_environment.h"
#include "simsock/trace.h"

namespace simsock::testing {

/// Compact event strings, in order.
using Events = std::vector<std::string>;

class Recorder {
public:
    Recorder() = default;
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    /// Records every signal of socket under its objectName from now on, before any handler connected later
    /// (handlers connected earlier run first, so a readyRead is recorded after they read: make the socket
    /// through the kit, or record it, before your code connects to it). The socket may be destroyed first:
    /// recording just stops.
    void record(AbstractSocket& socket);
    /// A peer log callback (PeerEnvironment::log) that records the peer's steps under name.
    std::function<void(const peer::PeerEvent&)> peerLog(std::string name);

    /// The compact events of object, or of everything when object is empty.
    Events events(const std::string& object = {}) const;
    /// events(object) from index from on (empty when fewer were recorded).
    Events eventsFrom(std::size_t from, const std::string& object = {}) const;
    /// Everything recorded, with times, states at delivery and calls (Trace::serialize gives JSON Lines).
    const Trace& trace() const { return trace_; }
    /// Forgets what was recorded so far; recording goes on.
    void clear() { trace_.clear(); }

private:
    Trace trace_;
    std::vector<std::unique_ptr<TraceRecorder>> recorders_;
};

/// A peer log event as a compact string: what(bytes) when bytes moved, what(detail) for an error text,
/// else what(). Listen and bind ports are left out: they differ between engines.
std::string compactPeerEvent(const peer::PeerEvent& event);

}  // namespace simsock::testing
