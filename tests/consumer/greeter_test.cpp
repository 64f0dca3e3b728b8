// The consumer's tests, written with simsock's GoogleTest kit as a user would: a seeded simulated network,
// a scripted server, a fault, and the same body on the sim and on epoll.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <simsock/testing.h>

#include "greeter.h"

namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using simsock::testing::PeerScript;
using simsock::testing::SignalIs;

class GreeterTest : public simsock::testing::SimTest {
protected:
    void SetUp() override { net.addHost("server", "10.0.0.2"); }
};

TEST_F(GreeterTest, GreetsAndReadsTheReply) {
    net.peer("srv", "server", PeerScript().listen(7000).accept().read(10).send("welcome ada\n").read(1));
    consumer::Greeter greeter(net.tcpSocket("greeter"), "ada");
    greeter.greet("server", 7000);
    ASSERT_TRUE(net.runUntil([&] { return greeter.done(); }));
    EXPECT_EQ(greeter.reply(), "welcome ada");
    ASSERT_TRUE(net.runUntilIdle());
    EXPECT_THAT(net.events("greeter"),
                ElementsAre("connectToHost{stateChanged(HostLookupState)}", "stateChanged(ConnectingState)",
                            "hostFound()", "stateChanged(ConnectedState)", "connected()", "bytesWritten(10)",
                            "readyRead(12)", "disconnectFromHost{stateChanged(ClosingState)}",
                            "disconnectFromHost{stateChanged(UnconnectedState)}",
                            "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"));
    EXPECT_THAT(net.events("srv"), ElementsAre("listen()", "accept()", "recv(10)", "send(12)", "eof()"));
}

TEST_F(GreeterTest, ReportsARefusedConnection) {
    net.refuse("server", 7000);
    consumer::Greeter greeter(net.tcpSocket("greeter"), "ada");
    greeter.greet("10.0.0.2", 7000);
    ASSERT_TRUE(net.runUntil([&] { return greeter.done(); }));
    EXPECT_EQ(greeter.reply(), "error: ConnectionRefusedError");
    EXPECT_THAT(net.events("greeter"), Contains("errorOccurred(ConnectionRefusedError)"));
    EXPECT_THAT(net.events("greeter"), Contains(SignalIs("hostFound")));
}

template <class E>
class GreeterOnEveryEngine : public simsock::testing::EngineTest<E> {};
SIMSOCK_TYPED_TEST_SUITE(GreeterOnEveryEngine);

TYPED_TEST(GreeterOnEveryEngine, GreetsTheSameWay) {
    simsock::testing::Env& env = this->env;
    auto& srv = env.peer("srv", PeerScript().listen(0).accept().read(10).send("welcome ada\n").read(1));
    consumer::Greeter greeter(env.tcpSocket("greeter"), "ada");
    greeter.greet(env.serverAddress().toString(), srv.localPort());
    ASSERT_TRUE(env.runUntil([&] { return greeter.done(); }));
    EXPECT_EQ(greeter.reply(), "welcome ada");
    EXPECT_THAT(env.events("greeter"),
                ElementsAre("connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                            "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()",
                            "bytesWritten(10)", "readyRead(12)", "disconnectFromHost{stateChanged(ClosingState)}",
                            "disconnectFromHost{stateChanged(UnconnectedState)}",
                            "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"));
}

}  // namespace
