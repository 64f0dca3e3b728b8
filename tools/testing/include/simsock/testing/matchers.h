// gmock matchers over compact event strings (recorder.h), for the parts of an event a test cares about:
//
//   EXPECT_THAT(net.events("c"), Contains(SignalIs("connected")));
//   EXPECT_THAT(net.events("c"), ElementsAre(InsideCall("connectToHost"), _, _, Emitted("connected()")));
//   EXPECT_THAT(net.events("c").back(), AllOf(FromLoop(), Emitted("errorOccurred(ConnectionRefusedError)")));
//
// Whole strings need no matcher of their own: ElementsAre("connected()"), Contains("disconnected()").
#pragma once

#include <gmock/gmock.h>

#include <string>

namespace simsock::testing {

/// An event's parts: `call{signal(args)}` or `signal(args)`.
struct EventParts {
    std::string call;    ///< the public call it fired inside, or "" from the loop
    std::string signal;  ///< the signal or peer step: "stateChanged", "recv"
    std::string args;    ///< the arguments as written, comma-separated: "ConnectedState", "5"
    /// The event without its call: "signal(args)".
    std::string bare() const { return signal + "(" + args + ")"; }
};

/// Splits a compact event; text that is not one comes back whole as a signal without arguments.
EventParts parseEvent(const std::string& event);

/// The event's signal (or peer step) is name, whatever its arguments and wherever it fired:
/// SignalIs("connected") matches "connected()" and "connectToHost{connected()}".
::testing::Matcher<const std::string&> SignalIs(std::string name);

/// The event is bare once the call it fired inside is taken away:
/// Emitted("hostFound()") matches "hostFound()" and "connectToHost{hostFound()}".
::testing::Matcher<const std::string&> Emitted(std::string bare);

/// The event fired inside the public call call: InsideCall("connectToHost").
::testing::Matcher<const std::string&> InsideCall(std::string call);

/// The event fired from the loop, not inside a public call.
::testing::Matcher<const std::string&> FromLoop();

}  // namespace simsock::testing
