// SimNet: hosts, virtual time, sockets, listeners and scripted peers, each recorded, and the network's log.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using S = SocketState;

TEST(SimNetTest, HostsHaveBackendsAndMistakesAreFailures) {
    SimNet net;
    sim::SimBackend& server = net.addHost("server", "10.0.0.2");
    EXPECT_EQ(server.host(), "server");
    EXPECT_EQ(&net.host("server"), &server);
    EXPECT_EQ(net.host().host(), "local");
    EXPECT_EQ(net.network().hostAddresses("server"), std::vector<HostAddress>{HostAddress("10.0.0.2")});
    EXPECT_NONFATAL_FAILURE(net.addHost("server", "10.0.0.9"), "addHost(\"server\"): the name or an address");
    EXPECT_NONFATAL_FAILURE(EXPECT_THROW(net.addHost("other", "10.0.0.2"), std::out_of_range),
                            "addHost(\"other\"): the name or an address");
    EXPECT_NONFATAL_FAILURE(EXPECT_THROW(net.addHost("bad", "10.0.0"), std::invalid_argument),
                            "addHost(\"bad\", \"10.0.0\"): not an address");
    EXPECT_FALSE(net.network().hasHost("other"));
    EXPECT_FALSE(net.network().hasHost("bad"));
    EXPECT_NONFATAL_FAILURE(EXPECT_THROW(net.host("nowhere"), std::out_of_range), "no host \"nowhere\"");
    // A host added on the network directly is reachable too.
    ASSERT_TRUE(net.network().addHost("direct", {HostAddress("10.0.0.3")}));
    EXPECT_EQ(net.host("direct").host(), "direct");
}

TEST(SimNetTest, AdvanceAndAtMoveVirtualTimeExactly) {
    SimNet net;
    std::vector<std::int64_t> firedAt;
    net.at(400, [&] { firedAt.push_back(net.nowMs()); });
    net.at(100, [&] { firedAt.push_back(net.nowMs()); });
    net.advance(250);
    EXPECT_EQ(net.nowMs(), 250);
    EXPECT_EQ(firedAt, (std::vector<std::int64_t>{100}));
    net.advance(250);
    EXPECT_EQ(net.nowNs(), 500'000'000);
    EXPECT_EQ(firedAt, (std::vector<std::int64_t>{100, 400}));
    net.at(10, [&] { firedAt.push_back(net.nowMs()); });  // in the past: as soon as the loop runs
    net.advance(0);
    EXPECT_TRUE(net.runUntilIdle());
    EXPECT_EQ(firedAt, (std::vector<std::int64_t>{100, 400, 500}));
    EXPECT_NONFATAL_FAILURE(net.advance(-1), "advance(-1): time only moves forward");
}

TEST(SimNetTest, RunUntilSaysWhenTheConditionNeverHeld) {
    SimNet net;
    net.advance(5);
    const ::testing::AssertionResult r = net.runUntil([] { return false; }, 1000);
    EXPECT_FALSE(r);
    EXPECT_EQ(std::string(r.message()), "the condition did not hold within 1000 ms of virtual time (from 5 ms to 1005 ms)");
    EXPECT_EQ(net.nowMs(), 1005);
    int n = 0;
    net.at(1200, [&] { n = 1; });
    EXPECT_TRUE(net.runUntil([&] { return n == 1; }, 1000));
    EXPECT_EQ(net.nowMs(), 1200);
}

TEST(SimNetTest, RunUntilIdleStopsWhenNothingIsLeftAndFailsOnARepeatingTimer) {
    SimNet net;
    net.at(300, [] {});
    EXPECT_TRUE(net.runUntilIdle());
    EXPECT_EQ(net.nowMs(), 300);
    net.network().loop().startTimer(1'000'000, [] {}, true);
    const ::testing::AssertionResult r = net.runUntilIdle(100);
    EXPECT_FALSE(r);
    EXPECT_THAT(r.message(), HasSubstr("still busy after 100 ms of virtual time (now 400 ms; next event at 401 ms)"));
}

TEST(SimNetTest, ASocketTalksToAScriptedPeerOnAnotherHostAndBothAreRecorded) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    auto& srv = net.peer("srv", "server", PeerScript().listen(8080).accept().read(5).send("hi").close());
    auto& c = net.tcpSocket("c");
    c.connected.connect([&] { c.write("hello"); });
    c.connectToHost("server", 8080);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_THAT(net.events("c"),
                ElementsAre("connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)", "hostFound()",
                            "stateChanged(ConnectedState)", "connected()", "bytesWritten(5)", "readyRead(2)",
                            "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                            "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"));
    EXPECT_THAT(net.events("srv"), ElementsAre("listen()", "accept()", "recv(5)", "send(2)", "close()"));
    EXPECT_EQ(srv.received(), "hello");
    EXPECT_EQ(c.readAll(), "hi");
    EXPECT_EQ(net.peerProblems(), std::vector<std::string>{});
    // Everything in one recording, in the order it happened, with the time of each event.
    EXPECT_EQ(net.events().size(), net.events("c").size() + net.events("srv").size());
    EXPECT_EQ(net.trace().trace().events().front().timeNs, 0);
}

TEST(SimNetTest, PeerScriptsMayNameHostsOfTheNetwork) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    auto& listener = net.listen("srv", "server", 9000);
    auto& cli = net.peer("cli", "local", PeerScript().connect("server", 9000).send("ping"));
    ASSERT_TRUE(net.runUntil([&] { return listener.count() == 1 && listener.accepted().bytesAvailable() == 4; }));
    EXPECT_THAT(net.events("cli"), ElementsAre("connect()", "connected()", "send(4)"));
    EXPECT_EQ(listener.accepted(0).objectName(), "srv.0");
    EXPECT_EQ(listener.port(), 9000);
    EXPECT_EQ(listener.accepted().readAll(), "ping");
    EXPECT_EQ(cli.received(), "");
    EXPECT_NONFATAL_FAILURE(EXPECT_THROW(listener.accepted(1), std::out_of_range),
                            "listener srv: connection 1 asked for, 1 accepted");
}

TEST(SimNetTest, AcceptedSocketsAreRecordedUnderTheListenersName) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    auto& listener = net.listen("srv", "server", 7000);
    auto& c = net.tcpSocket("c");
    c.connectToHost("10.0.0.2", 7000);
    ASSERT_TRUE(net.runUntil([&] { return listener.count() == 1; }));
    listener.accepted().write("abc");
    ASSERT_TRUE(net.runUntil([&] { return c.bytesAvailable() == 3; }));
    EXPECT_THAT(net.events("srv.0"), ElementsAre("bytesWritten(3)"));
    EXPECT_THAT(net.events("c"), Contains("readyRead(3)"));
}

TEST(SimNetTest, APeerThatCannotStartIsAFailure) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    EXPECT_NONFATAL_FAILURE(net.peer("srv", "server", PeerScript().listen(80)), "peer srv did not start");
}

TEST(SimNetTest, PeerProblemsAreCollectedByName) {
    SimNet net;
    net.peer("lost", "local", PeerScript().delay(1'000'000).send("nowhere"));
    EXPECT_TRUE(net.runUntilIdle());
    ASSERT_EQ(net.peerProblems().size(), 1u);
    EXPECT_THAT(net.peerProblems()[0], HasSubstr("lost: "));
}

TEST(SimNetTest, TheNetworkLogIsKeptOnlyOnceAskedFor) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    net.listen("srv", "server", 7000);
    auto& c = net.tcpSocket("c");
    c.connectToHost("10.0.0.2", 7000);
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::ConnectedState; }));
    EXPECT_EQ(net.networkLog(), std::vector<std::string>{});
    net.watchNetwork();
    c.write("x");
    ASSERT_TRUE(net.runUntilIdle());
    EXPECT_THAT(net.networkLog(), Contains(HasSubstr(" data ")));
}

TEST(SimNetTest, UdpSocketsLiveOnHostsToo) {
    SimNet net;
    net.addHost("server", "10.0.0.2");
    auto& echo = net.peer("echo", "server", PeerScript().bind(5353).echo());
    auto& u = net.udpSocket("u");
    ASSERT_TRUE(u.bind(HostAddress("192.0.2.1"), 4000));
    EXPECT_EQ(u.writeDatagram("ping", HostAddress("10.0.0.2"), 5353), 4);
    ASSERT_TRUE(net.runUntilIdle());
    EXPECT_THAT(net.events("u"),
                ElementsAre("bind{stateChanged(BoundState)}", "writeDatagram{bytesWritten(4)}", "readyRead(4)"));
    EXPECT_THAT(net.events("echo"), ElementsAre("bind()", "recv(4)", "echo(4)"));
    EXPECT_EQ(echo.datagrams(), std::vector<std::string>{"ping"});
}

}  // namespace
}  // namespace simsock::testing
