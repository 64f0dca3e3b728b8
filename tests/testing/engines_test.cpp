// One body, every engine: the typed suites run on the sim (virtual time) and on epoll (real loopback), and
// the traces they assert are the same.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using ::testing::ElementsAre;
using S = SocketState;

template <class E>
class OnEveryEngine : public EngineTest<E> {};
SIMSOCK_TYPED_TEST_SUITE(OnEveryEngine);

TYPED_TEST(OnEveryEngine, RequestReplyAndRemoteClose) {
    Env& env = this->env;
    auto& srv = env.peer("srv", PeerScript().listen(0).accept().read(5).send("hi").close());
    auto& c = env.tcpSocket("c");
    c.connected.connect([&] { c.write("hello"); });
    c.connectToHost(env.serverAddress().toString(), srv.localPort());
    ASSERT_TRUE(env.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_THAT(env.events("c"),
                ElementsAre("connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                            "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()", "bytesWritten(5)",
                            "readyRead(2)", "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                            "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"));
    EXPECT_THAT(env.events("srv"), ElementsAre("listen()", "accept()", "recv(5)", "send(2)", "close()"));
    EXPECT_EQ(c.readAll(), "hi");
    EXPECT_EQ(env.peerProblems(), std::vector<std::string>{});
}

TYPED_TEST(OnEveryEngine, AListenerAcceptsAndTheTwoEndsTalk) {
    Env& env = this->env;
    auto& listener = env.listen("srv");
    auto& c = env.tcpSocket("c");
    c.connectToHost(env.serverAddress().toString(), listener.port());
    ASSERT_TRUE(env.runUntil([&] { return c.state() == S::ConnectedState && listener.count() == 1; }));
    listener.accepted().write("pong");
    ASSERT_TRUE(env.runUntil([&] { return c.bytesAvailable() == 4; }));
    c.disconnectFromHost();
    ASSERT_TRUE(env.runUntil([&] { return listener.accepted().state() == S::UnconnectedState; }));
    EXPECT_THAT(env.events("c"),
                ElementsAre("connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                            "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()", "readyRead(4)",
                            "disconnectFromHost{stateChanged(ClosingState)}",
                            "disconnectFromHost{stateChanged(UnconnectedState)}",
                            "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"));
    EXPECT_THAT(env.events("srv.0"),
                ElementsAre("bytesWritten(4)", "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                            "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"));
}

TYPED_TEST(OnEveryEngine, AdvanceLetsTimePassAndRunUntilIdleSettles) {
    Env& env = this->env;
    const std::int64_t t0 = env.backend().loop().nowNs();
    env.advance(20);
    EXPECT_GE(env.backend().loop().nowNs() - t0, 20'000'000);
    auto& srv = env.peer("srv", PeerScript().listen(0).accept().echo());
    auto& c = env.tcpSocket("c");
    c.connectToHost(env.serverAddress().toString(), srv.localPort());
    c.write("abc");
    EXPECT_TRUE(env.runUntilIdle());
    EXPECT_EQ(c.readAll(), "abc");
    if constexpr (std::is_same_v<TypeParam, SimEnv>) {
        EXPECT_EQ(env.engine(), "sim");
        // Only the sim knows nothing is left to happen; its clock moved exactly as asked.
        EXPECT_EQ(t0, 0);
    } else {
        EXPECT_EQ(env.engine(), "epoll");
        EXPECT_NONFATAL_FAILURE(this->env.advance(kMaxRealAdvanceMs + 1), "advance(2001) on epoll waits real time");
    }
}

TEST(EngineNames, NameEachFlavour) {
    EXPECT_EQ(EngineNames::GetName<SimEnv>(0), "sim");
#if SIMSOCK_TESTING_WITH_EPOLL
    EXPECT_EQ(EngineNames::GetName<EpollEnv>(0), "epoll");
    EXPECT_TRUE((std::is_same_v<Engines, ::testing::Types<SimEnv, EpollEnv>>));
#endif
}

TEST(SimEnvOnly, ReachesTheNetworkForFaults) {
    SimEnv env;
    auto& srv = env.peer("srv", PeerScript().listen(7000).accept());
    env.net().refuse(SimEnv::kServerHost, 7000);
    auto& c = env.tcpSocket("c");
    c.connectToHost(SimEnv::kServerAddress, 7000);
    ASSERT_TRUE(env.runUntil([&] { return c.state() == S::UnconnectedState; }));
    EXPECT_EQ(c.error(), SocketError::ConnectionRefusedError);
    EXPECT_EQ(srv.accepted(), 0);
}

}  // namespace
}  // namespace simsock::testing
