// The matchers over compact events: what each accepts and refuses, and what a failure says.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;
using namespace std::string_literals;

const Events kConnect = {"connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                         "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()"};

std::string describe(const ::testing::Matcher<const std::string&>& m) {
    std::ostringstream os;
    m.DescribeTo(&os);
    return os.str();
}

TEST(Matchers, ParseEventSplitsCallSignalAndArguments) {
    const EventParts inside = parseEvent("connectToHost{stateChanged(HostLookupState)}");
    EXPECT_EQ(inside.call, "connectToHost");
    EXPECT_EQ(inside.signal, "stateChanged");
    EXPECT_EQ(inside.args, "HostLookupState");
    EXPECT_EQ(inside.bare(), "stateChanged(HostLookupState)");
    const EventParts loop = parseEvent("readyRead(5)");
    EXPECT_EQ(loop.call, "");
    EXPECT_EQ(loop.signal, "readyRead");
    EXPECT_EQ(loop.args, "5");
    const EventParts none = parseEvent("connected()");
    EXPECT_EQ(none.signal, "connected");
    EXPECT_EQ(none.args, "");
    const EventParts peer = parseEvent("connect-failed(Connection refused)");
    EXPECT_EQ(peer.signal, "connect-failed");
    EXPECT_EQ(peer.args, "Connection refused");
    const EventParts junk = parseEvent("not an event");
    EXPECT_EQ(junk.call, "");
    EXPECT_EQ(junk.signal, "not an event");
    EXPECT_EQ(junk.args, "");
}

TEST(Matchers, SignalIsIgnoresArgumentsAndCalls) {
    EXPECT_THAT("connected()"s, SignalIs("connected"));
    EXPECT_THAT("connectToHost{stateChanged(ConnectingState)}"s, SignalIs("stateChanged"));
    EXPECT_THAT("stateChanged(ConnectedState)"s, Not(SignalIs("connected")));
    EXPECT_THAT(kConnect, Contains(SignalIs("connected")));
    EXPECT_THAT(kConnect, Not(Contains(SignalIs("disconnected"))));
    EXPECT_EQ(describe(SignalIs("connected")), "is a connected event");
}

TEST(Matchers, EmittedIgnoresOnlyTheCall) {
    EXPECT_THAT("connectToHost{hostFound()}"s, Emitted("hostFound()"));
    EXPECT_THAT("hostFound()"s, Emitted("hostFound()"));
    EXPECT_THAT("stateChanged(ConnectedState)"s, Not(Emitted("stateChanged(ConnectingState)")));
    EXPECT_THAT(kConnect, ElementsAre(Emitted("stateChanged(HostLookupState)"), Emitted("stateChanged(ConnectingState)"),
                                      Emitted("hostFound()"), Emitted("stateChanged(ConnectedState)"),
                                      Emitted("connected()")));
}

TEST(Matchers, InsideCallAndFromLoopTellWhereAnEventFired) {
    EXPECT_THAT(kConnect, ElementsAre(InsideCall("connectToHost"), InsideCall("connectToHost"),
                                      InsideCall("connectToHost"), FromLoop(), FromLoop()));
    EXPECT_THAT("connectToHost{hostFound()}"s, AllOf(InsideCall("connectToHost"), Not(FromLoop())));
    EXPECT_THAT("disconnectFromHost{disconnected()}"s, Not(InsideCall("connectToHost")));
    EXPECT_EQ(describe(InsideCall("abort")), "fired inside abort");
    EXPECT_EQ(describe(FromLoop()), "fired from the loop");
}

TEST(Matchers, AMismatchSaysWhereTheEventFired) {
    EXPECT_NONFATAL_FAILURE(EXPECT_THAT("connectToHost{hostFound()}"s, FromLoop()),
                            "which is inside connectToHost, signal hostFound");
    EXPECT_NONFATAL_FAILURE(EXPECT_THAT("connected()"s, SignalIs("disconnected")),
                            "which is from the loop, signal connected");
}

}  // namespace
}  // namespace simsock::testing
