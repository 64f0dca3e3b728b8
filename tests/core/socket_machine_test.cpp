// The state machine's own guarantees, driven through its internals where no public call can reach:
// an unexpected (state, event) pair and an illegal transition stop the program naming the state, in
// every build type (the default build is RelWithDebInfo, so these death tests run with NDEBUG set).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "simsock/check.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"
#include "socket_machine.h"

namespace simsock::detail {

// The test hook the machine befriends.
struct MachineTestAccess {
    static Fate setState(SocketMachine& m, SocketState s) { return m.setState(s); }
    static void connectionNotification(SocketMachine& m) { m.connectionNotification(); }
    static void connectTimeout(SocketMachine& m) { m.connectTimeout(); }
};

}  // namespace simsock::detail

namespace simsock::testing {
namespace {

using detail::Fate;
using detail::MachineTestAccess;
using S = SocketState;
constexpr std::uint16_t kPort = 5000;

class ExposedSocket : public TcpSocket {
public:
    using TcpSocket::TcpSocket;
    using AbstractSocket::machine;
};

class SocketMachineTest : public ::testing::Test {
protected:
    void SetUp() override {
        GTEST_FLAG_SET(death_test_style, "threadsafe");
        ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), kPort));
        server.newConnection.connect([this] {
            while (auto s = server.nextPendingConnection()) accepted.push_back(std::move(s));
        });
        socket.setObjectName("c");
    }
    void connect() {
        socket.connectToHost("127.0.0.1", kPort);
        ASSERT_TRUE(net.loop().runUntil([&] { return socket.state() == S::ConnectedState; }, 60'000));
    }

    sim::Network net{42};
    TcpServer server{net};
    std::vector<std::unique_ptr<TcpSocket>> accepted;
    ExposedSocket socket{net};
};

TEST_F(SocketMachineTest, AssertStateNamesTheState) {
    EXPECT_DEATH(SIMSOCK_ASSERT_STATE(1 + 1 == 3, S::BoundState), "assertion failed: 1 \\+ 1 == 3 at .* in BoundState");
}

TEST_F(SocketMachineTest, AnUnexpectedPairAbortsNamingEventAndState) {
    connect();
    // The engine reports a connection once, while Connecting: a second report has no meaning.
    EXPECT_DEATH(MachineTestAccess::connectionNotification(socket.machine()),
                 "unexpected connectionNotification at .*socket_machine_table.cpp:[0-9]+ in ConnectedState");
}

TEST_F(SocketMachineTest, AConnectTimerOutsideConnectingAborts) {
    EXPECT_DEATH(MachineTestAccess::connectTimeout(socket.machine()), "unexpected connectTimeout at .* in UnconnectedState");
}

TEST_F(SocketMachineTest, AnIllegalTransitionAbortsInEveryBuildType) {
    connect();
    EXPECT_DEATH(MachineTestAccess::setState(socket.machine(), S::BoundState),
                 "legalTransition\\(state_, s\\) at .* in ConnectedState");
}

TEST_F(SocketMachineTest, LegalTransitionsPass) {
    connect();
    EXPECT_EQ(MachineTestAccess::setState(socket.machine(), S::ClosingState), Fate::Alive);
    EXPECT_EQ(socket.state(), S::ClosingState);
}

TEST_F(SocketMachineTest, EmissionReportsADestroyedSocket) {
    auto owned = std::make_unique<ExposedSocket>(net);
    auto* raw = owned.get();
    raw->stateChanged.connect([&](SocketState) { owned.reset(); });
    EXPECT_EQ(MachineTestAccess::setState(raw->machine(), S::BoundState), Fate::Destroyed);
    EXPECT_EQ(owned, nullptr);
}

TEST_F(SocketMachineTest, EmissionReportsASupersedingCall) {
    connect();
    bool once = false;
    socket.stateChanged.connect([&](SocketState s) {
        if (s != S::UnconnectedState || once) return;
        once = true;
        socket.connectToHost("127.0.0.1", kPort);  // a new connection from inside the handler
    });
    // setState alone does not begin a connection; the handler's connectToHost does.
    EXPECT_EQ(MachineTestAccess::setState(socket.machine(), S::UnconnectedState), Fate::Superseded);
    EXPECT_EQ(socket.state(), S::ConnectingState);
}

TEST_F(SocketMachineTest, SetSocketStateBypassesTheGrammar) {
    // Unconnected -> Closing is no transition of the grammar; the protected setter may still make it.
    class Forcing : public TcpSocket {
    public:
        using TcpSocket::TcpSocket;
        using AbstractSocket::setSocketState;
    } forced(net);
    Trace trace;
    TraceRecorder recorder(forced, trace);
    forced.setSocketState(S::ClosingState);
    EXPECT_EQ(forced.state(), S::ClosingState);
    EXPECT_EQ(trace.compact(), (std::vector<std::string>{"stateChanged(ClosingState)"}));
}

}  // namespace
}  // namespace simsock::testing
