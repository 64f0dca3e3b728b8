#include "simsock/testing/recorder.h"

#include <algorithm>
#include <utility>

namespace simsock::testing {
namespace {

// A peer's step as a trace event of object; its one argument is the byte count, else an error text.
TraceEvent peerTraceEvent(const peer::PeerEvent& e, std::string object) {
    TraceEvent t;
    t.timeNs = e.timeNs;
    t.object = std::move(object);
    t.signal = e.what;
    if (e.bytes > 0) {
        t.args.push_back(std::to_string(e.bytes));
    } else if (!e.detail.empty() && e.detail.rfind("port ", 0) != 0) {
        t.args.push_back(e.detail);
    }
    return t;
}

}  // namespace

void Recorder::record(AbstractSocket& socket) { recorders_.push_back(std::make_unique<TraceRecorder>(socket, trace_)); }

std::function<void(const peer::PeerEvent&)> Recorder::peerLog(std::string name) {
    return [this, name = std::move(name)](const peer::PeerEvent& e) { trace_.record(peerTraceEvent(e, name)); };
}

Events Recorder::events(const std::string& object) const { return trace_.compact(object); }

Events Recorder::eventsFrom(std::size_t from, const std::string& object) const {
    Events all = events(object);
    all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())));
    return all;
}

std::string compactPeerEvent(const peer::PeerEvent& event) { return peerTraceEvent(event, {}).str(); }

}  // namespace simsock::testing
