#include <gtest/gtest.h>

#include "simsock/trace.h"

namespace simsock {
namespace {

TEST(Trace, CompactFormMarksCallsAndArguments) {
    TraceEvent inCall{0, "c", "stateChanged", {"HostLookupState"}, "HostLookupState", "connectToHost"};
    TraceEvent fromLoop{5, "c", "connected", {}, "ConnectedState", ""};
    EXPECT_EQ(inCall.str(), "connectToHost{stateChanged(HostLookupState)}");
    EXPECT_EQ(fromLoop.str(), "connected()");
}

TEST(Trace, JsonLineHasFixedKeyOrderAndEscapes) {
    TraceEvent e{1500, "a\"b", "bytesWritten", {"5"}, "ConnectedState", ""};
    EXPECT_EQ(e.toJson(),
              R"({"t":1500,"object":"a\"b","signal":"bytesWritten","args":["5"],"state":"ConnectedState","call":""})");
    Trace t;
    t.record(e);
    t.record(TraceEvent{2, "x", "readyRead", {"3"}, "ConnectedState", ""});
    EXPECT_EQ(t.compact("x"), std::vector<std::string>{"readyRead(3)"});
    EXPECT_EQ(t.serialize().size(), e.toJson().size() + 1 + t.events()[1].toJson().size() + 1);
}

}  // namespace
}  // namespace simsock
