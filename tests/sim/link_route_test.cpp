// A connected socket keeps its link as last looked up (LinkRoute), so a segment costs no lookup by host
// names; changing a link mid-connection must still reach the next segment.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "sim_test_util.h"

namespace simsock::sim::test {
namespace {

// Virtual nanoseconds from a one-byte write on the client to the server's read notification.
std::int64_t oneByteTripNs(Network& net, Pair& p) {
    const std::int64_t start = net.simLoop().nowNs();
    const int readsBefore = p.server.receiver->reads;
    p.server.engine->setReadNotificationEnabled(true);
    EXPECT_EQ(p.client.engine->write("x", 1).bytes, 1);
    EXPECT_TRUE(net.simLoop().runUntil([&] { return p.server.receiver->reads > readsBefore; }, 1000));
    EXPECT_EQ(drain(*p.server.engine), "x");
    return net.simLoop().nowNs() - start;
}

TEST(LinkRouteTest, LinkChangedMidConnectionReachesTheNextSegment) {
    Network net(1);
    ASSERT_TRUE(net.addHost("server", {kServer}));
    LinkParams link;
    link.latencyNs = 1'000'000;
    net.setLink("local", "server", link);
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    EXPECT_EQ(oneByteTripNs(net, p), 1'000'000);
    EXPECT_EQ(oneByteTripNs(net, p), 1'000'000);
    link.latencyNs = 5'000'000;
    net.setLink("server", "local", link);  // either order names the same link
    EXPECT_EQ(oneByteTripNs(net, p), 5'000'000);
    LinkParams fallback;
    fallback.latencyNs = 3'000'000;
    net.setDefaultLink(fallback);  // does not apply: the pair has a link of its own
    EXPECT_EQ(oneByteTripNs(net, p), 5'000'000);
}

TEST(LinkRouteTest, NewLinkDefaultAndLoopbackChangesReachConnectedSockets) {
    Network net(1);
    ASSERT_TRUE(net.addHost("server", {kServer}));
    Pair remote = connectPair(net, "local", "server", kServer, 8080);
    Pair loop = connectPair(net, "local", "local", kLo, 8081);
    LinkParams fallback;
    fallback.latencyNs = 3'000'000;
    net.setDefaultLink(fallback);
    EXPECT_EQ(oneByteTripNs(net, remote), 3'000'000);
    LinkParams own;
    own.latencyNs = 9'000'000;
    net.setLink("local", "server", own);  // a new link for the pair replaces the default it was using
    EXPECT_EQ(oneByteTripNs(net, remote), 9'000'000);
    LinkParams lo;
    lo.latencyNs = 7'000;
    net.setLoopbackLink(lo);
    EXPECT_EQ(oneByteTripNs(net, loop), 7'000);
}

}  // namespace
}  // namespace simsock::sim::test
