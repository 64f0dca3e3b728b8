// QT-DETAILS.md §6, QTcpServer: fresh values, listen while listening, the sticky serverError,
// maxPendingConnections, pendingConnectionAvailable, waitForNewConnection, close, address in use.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;
using Log = std::vector<std::string>;

class ServerDetails : public SimFixture {
protected:
    /// A second server "srv2" whose signals go to log, as "name" entries.
    void record(TcpServer& s) {
        s.pendingConnectionAvailable.connect([this] { log.push_back("pendingConnectionAvailable"); });
        s.newConnection.connect([this] { log.push_back("newConnection"); });
    }
    TcpSocket& client(const std::string& name, std::uint16_t port) {
        auto& c = make(name);
        c.connectToHost("127.0.0.1", port);
        return c;
    }
    Log log;
};

TEST_F(ServerDetails, AFreshServerHasQtsValues) {
    TcpServer s(net);
    EXPECT_FALSE(s.isListening());
    EXPECT_EQ(s.serverAddress().toString(), "");
    EXPECT_EQ(s.serverPort(), 0);
    EXPECT_EQ(s.serverError(), SocketError::UnknownSocketError);
    EXPECT_EQ(s.errorString(), "");  // empty, where a socket says "Unknown error"
    EXPECT_EQ(s.maxPendingConnections(), 30);
    EXPECT_EQ(s.listenBacklogSize(), 50);
    EXPECT_EQ(s.socketDescriptor(), -1);
    EXPECT_FALSE(s.hasPendingConnections());
    EXPECT_EQ(s.nextPendingConnection(), nullptr);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(s.listenBacklogSize(), 50);
}

TEST_F(ServerDetails, ListenWhileListeningFailsAndChangesNothing) {
    EXPECT_FALSE(server.listen(HostAddress("127.0.0.1"), 0));
    EXPECT_TRUE(server.isListening());
    EXPECT_EQ(server.serverPort(), kPort);
    EXPECT_EQ(server.serverError(), SocketError::UnknownSocketError);
    EXPECT_EQ(server.errorString(), "");
}

TEST_F(ServerDetails, AddressInUseAndTheStickyServerError) {
    TcpServer s(net);
    EXPECT_FALSE(s.listen(HostAddress("127.0.0.1"), kPort));
    EXPECT_EQ(s.serverError(), SocketError::AddressInUseError);
    EXPECT_EQ(s.errorString(), "The bound address is already in use");
    EXPECT_FALSE(s.listen(HostAddress(HostAddress::SpecialAddress::Any), kPort));  // Any on the same port too
    EXPECT_EQ(s.serverError(), SocketError::AddressInUseError);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    EXPECT_EQ(s.serverError(), SocketError::AddressInUseError);  // a successful listen() keeps it
    s.close();
    EXPECT_EQ(s.serverError(), SocketError::AddressInUseError);
    EXPECT_EQ(s.errorString(), "The bound address is already in use");
}

TEST_F(ServerDetails, CloseTwiceIsHarmlessAndListenWorksAgain) {
    server.close();
    server.close();
    EXPECT_FALSE(server.isListening());
    EXPECT_EQ(server.serverPort(), 0);
    EXPECT_EQ(server.serverAddress().toString(), "");
    ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 0));
    EXPECT_NE(server.serverPort(), 0);
    EXPECT_NE(server.serverPort(), kPort);
}

TEST_F(ServerDetails, PendingConnectionAvailableThenNewConnectionFromTheLoop) {
    TcpServer s(net);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    record(s);
    client("a", s.serverPort());
    EXPECT_TRUE(log.empty());  // nothing inside connectToHost
    runUntil([&] { return log.size() == 2; });
    EXPECT_EQ(log, (Log{"pendingConnectionAvailable", "newConnection"}));
}

TEST_F(ServerDetails, MaxPendingConnectionsIsStoredAsGiven) {
    server.setMaxPendingConnections(0);
    EXPECT_EQ(server.maxPendingConnections(), 0);
    server.setMaxPendingConnections(-3);
    EXPECT_EQ(server.maxPendingConnections(), -3);
}

TEST_F(ServerDetails, WithMaxPendingZeroClientsConnectButAreNotAccepted) {
    TcpServer s(net);
    s.setMaxPendingConnections(0);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    record(s);
    auto& a = client("a", s.serverPort());
    runFor(500);
    EXPECT_EQ(a.state(), S::ConnectedState);  // the kernel completed the handshake
    EXPECT_EQ(a.write("queued"), 6);
    runFor(100);
    EXPECT_TRUE(log.empty());
    EXPECT_FALSE(s.hasPendingConnections());
}

TEST_F(ServerDetails, EachNextPendingConnectionLetsTheNextQueuedOneIn) {
    TcpServer s(net);
    s.setMaxPendingConnections(1);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    record(s);
    for (const char* name : {"a", "b", "c"}) client(name, s.serverPort());
    runFor(500);
    EXPECT_EQ(log, (Log{"pendingConnectionAvailable", "newConnection"}));
    std::vector<std::unique_ptr<TcpSocket>> taken;
    for (int i = 0; i < 3; ++i) {
        taken.push_back(s.nextPendingConnection());
        ASSERT_NE(taken.back(), nullptr);
        EXPECT_FALSE(s.hasPendingConnections());  // the next one comes from the loop
        runFor(100);
    }
    EXPECT_EQ(log.size(), 6u);
    for (std::size_t i = 0; i < 3; ++i) {  // a, b, c: accepted in the order they connected
        EXPECT_EQ(sockets[i]->state(), S::ConnectedState);
        EXPECT_EQ(taken[i]->peerPort(), sockets[i]->localPort()) << i;
    }
}

TEST_F(ServerDetails, WaitForNewConnection) {
    TcpServer s(net);
    bool timedOut = true;
    EXPECT_FALSE(s.waitForNewConnection(100, &timedOut));
    EXPECT_FALSE(timedOut);
    EXPECT_EQ(s.serverError(), SocketError::UnknownSocketError);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    const auto before = net.loop().nowNs();
    EXPECT_FALSE(s.waitForNewConnection(100, &timedOut));
    EXPECT_EQ(net.loop().nowNs() - before, 100'000'000);
    EXPECT_TRUE(timedOut);
    EXPECT_EQ(s.serverError(), SocketError::SocketTimeoutError);
    EXPECT_EQ(s.errorString(), "Network operation timed out");
}

TEST_F(ServerDetails, PauseAndResumeAcceptingWhileListening) {
    TcpServer s(net);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    record(s);
    s.pauseAccepting();
    s.pauseAccepting();
    auto& a = client("a", s.serverPort());
    runFor(500);
    EXPECT_EQ(a.state(), S::ConnectedState);
    EXPECT_TRUE(log.empty());
    EXPECT_TRUE(s.isListening());
    s.resumeAccepting();
    s.resumeAccepting();
    EXPECT_TRUE(log.empty());  // accepted from the loop
    runFor(100);
    EXPECT_EQ(log, (Log{"pendingConnectionAvailable", "newConnection"}));
}

// Qt crashes (SIGSEGV) here; simsock remembers the pause for the next listen() (README behaviour notes).
TEST_F(ServerDetails, PauseBeforeListeningDoesNotCrashAndHoldsForTheNextListen) {
    TcpServer s(net);
    s.pauseAccepting();
    EXPECT_FALSE(s.isListening());
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    record(s);
    client("a", s.serverPort());
    runFor(500);
    EXPECT_TRUE(log.empty());
    s.resumeAccepting();
    runFor(100);
    EXPECT_EQ(log, (Log{"pendingConnectionAvailable", "newConnection"}));
}

TEST_F(ServerDetails, CloseWithPendingConnectionsClosesThemAll) {
    TcpServer s(net);
    s.setMaxPendingConnections(1);
    ASSERT_TRUE(s.listen(HostAddress("127.0.0.1"), 0));
    auto& a = client("a", s.serverPort());
    auto& b = client("b", s.serverPort());
    runFor(500);
    ASSERT_TRUE(s.hasPendingConnections());
    ASSERT_EQ(b.state(), S::ConnectedState);  // queued in the kernel, not accepted
    trace.clear();
    s.close();
    EXPECT_FALSE(s.hasPendingConnections());
    runUntil([&] { return a.state() == S::UnconnectedState && b.state() == S::UnconnectedState; });
    const Events remoteClose = {"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"};
    EXPECT_EQ(events("a"), remoteClose);
    EXPECT_EQ(events("b"), remoteClose);
}

}  // namespace
}  // namespace simsock::testing
