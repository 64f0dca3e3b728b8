// Performing a scenario action on a socket under test, and configuring a socket from its spec.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "simsock/abstract_socket.h"
#include "simsock/scenario/model.h"
#include "simsock/trace.h"

namespace simsock::scenario {

/// A socket under test with its recorder and what the scenario's reads returned.
struct SocketUnderTest {
    std::unique_ptr<AbstractSocket> socket;
    std::unique_ptr<TraceRecorder> recorder;
    std::vector<Connection> connections;  ///< signal-triggered actions
    std::string read;
};

/// Applies options, read buffer size, connect timeout and proxy from spec.
void configureSocket(AbstractSocket& socket, const SocketSpec& spec);

/// Calls a.call on s with a's arguments (the call's row in calls()); the return value when it has one.
std::optional<ReturnValue> performCall(SocketUnderTest& s, const ActionSpec& a);

}  // namespace simsock::scenario
