// The signal grammar every TCP client trace must obey, whatever the timing (SEMANTICS.md), checked one
// event at a time so a property can report the first offending event with its index.
#pragma once

#include <cstddef>
#include <string>

#include "simsock/simsock.h"

namespace simsock::testing {

class GrammarChecker {
public:
    /// Checks e against everything seen before; returns "" when it fits, else why not.
    std::string feed(const TraceEvent& e) {
        std::string why = check(e);
        if (why.empty()) advance(e);
        ++index_;
        return why.empty() ? why : "event " + std::to_string(index_ - 1) + " " + e.str() + " [" + e.state + "]: " + why;
    }
    /// Feeds every event from `from` on; returns the first complaint or "".
    std::string feedAll(const Trace& t, std::size_t from = 0) {
        for (std::size_t i = from; i < t.events().size(); ++i)
            if (auto why = feed(t.events()[i]); !why.empty()) return why;
        return {};
    }
    const std::string& state() const { return state_; }

private:
    static bool legal(const std::string& from, const std::string& to) {
        if (to == "UnconnectedState") return from != "UnconnectedState";
        if (to == "HostLookupState") return from == "UnconnectedState";
        if (to == "ConnectingState") return from == "HostLookupState";
        if (to == "ConnectedState") return from == "ConnectingState";
        if (to == "ClosingState") return from == "ConnectedState";
        return false;
    }

    std::string check(const TraceEvent& e) const {
        if (e.signal == "stateChanged") {
            if (e.args.size() != 1 || !legal(prev_, e.args[0])) return "illegal transition from " + prev_;
            if (e.state != e.args[0]) return "stateChanged delivered before the state changed";
            return {};
        }
        // The state recorded at delivery is the state the last stateChanged announced.
        if (e.state != state_) return "delivered in " + e.state + " but the last stateChanged said " + state_;
        if (e.signal == "connected" && !(last_.signal == "stateChanged" && last_.args == std::vector<std::string>{"ConnectedState"}))
            return "connected not right after stateChanged(ConnectedState)";
        if (e.signal == "disconnected" && !(connectedSeen_ && !disconnectedSeen_))
            return "disconnected without a connected of the same connection";
        if (e.signal == "hostFound" &&
            !(last_.signal == "stateChanged" && last_.args == std::vector<std::string>{"ConnectingState"} && lookedUp_))
            return "hostFound outside HostLookup -> Connecting";
        if (e.signal == "errorOccurred" && !e.args.empty() && e.args[0] == "RemoteHostClosedError" &&
            e.state != "ConnectedState" && e.state != "ClosingState")
            return "RemoteHostClosedError delivered after the connection was already gone";
        return {};
    }

    void advance(const TraceEvent& e) {
        if (e.signal == "stateChanged") {
            prev_ = e.args[0];
            state_ = e.args[0];
            if (state_ == "HostLookupState") {
                lookedUp_ = true;
                connectedSeen_ = disconnectedSeen_ = false;
            }
            if (state_ == "UnconnectedState") lookedUp_ = false;
        }
        if (e.signal == "connected") connectedSeen_ = true;
        if (e.signal == "disconnected") disconnectedSeen_ = true;
        last_ = e;
    }

    std::string state_ = "UnconnectedState";
    std::string prev_ = "UnconnectedState";
    TraceEvent last_;
    bool lookedUp_ = false;
    bool connectedSeen_ = false;
    bool disconnectedSeen_ = false;
    std::size_t index_ = 0;
};

}  // namespace simsock::testing
