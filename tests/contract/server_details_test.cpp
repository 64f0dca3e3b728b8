// QT-DETAILS.md §6 on every engine: what the kernel decides (address in use, the accept queue beyond
// maxPendingConnections, close with connections queued) must come out the same on each.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "simsock/engines.h"
#include "simsock/simsock.h"

namespace simsock::server_details {

using Log = std::vector<std::string>;
using S = SocketState;

class ServerContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        backend = BackendRegistry::instance().create(GetParam(), BackendOptions{11});
        if (!backend) throw std::runtime_error("engine " + GetParam() + " is not registered");
        server = std::make_unique<TcpServer>(*backend);
        server->pendingConnectionAvailable.connect([this] { log.push_back("pendingConnectionAvailable"); });
        server->newConnection.connect([this] { log.push_back("newConnection"); });
    }
    void TearDown() override {
        recorders.clear();
        clients.clear();
        server.reset();
    }
    bool listen() { return server->listen(HostAddress("127.0.0.1"), 0); }
    TcpSocket& client(const std::string& name) {
        clients.push_back(std::make_unique<TcpSocket>(*backend));
        auto& c = *clients.back();
        c.setObjectName(name);
        recorders.push_back(std::make_unique<TraceRecorder>(c, trace));
        c.connectToHost("127.0.0.1", server->serverPort());
        return c;
    }
    void waitFor(const std::function<bool()>& pred) { ASSERT_TRUE(backend->loop().runUntil(pred, 5000)); }
    /// Runs the loop for ms (nothing is expected to happen).
    void idle(int ms) { backend->loop().runUntil([] { return false; }, ms); }

    std::unique_ptr<Backend> backend;
    std::unique_ptr<TcpServer> server;
    Log log;
    Trace trace;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<TcpSocket>> clients;
};

INSTANTIATE_TEST_SUITE_P(Engines, ServerContract, ::testing::ValuesIn(engineNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(ServerContract, ListenWhileListeningFailsAndChangesNothing) {
    ASSERT_TRUE(listen());
    const auto port = server->serverPort();
    EXPECT_FALSE(listen());
    EXPECT_TRUE(server->isListening());
    EXPECT_EQ(server->serverPort(), port);
    EXPECT_EQ(server->serverError(), SocketError::UnknownSocketError);
    EXPECT_EQ(server->errorString(), "");
}

TEST_P(ServerContract, AddressInUseIsStickyThroughListenAndClose) {
    ASSERT_TRUE(listen());
    TcpServer second(*backend);
    EXPECT_FALSE(second.listen(HostAddress("127.0.0.1"), server->serverPort()));
    EXPECT_EQ(second.serverError(), SocketError::AddressInUseError);
    EXPECT_EQ(second.errorString(), "The bound address is already in use");
    EXPECT_FALSE(second.listen(HostAddress(HostAddress::SpecialAddress::Any), server->serverPort()));
    ASSERT_TRUE(second.listen(HostAddress("127.0.0.1"), 0));
    second.close();
    EXPECT_EQ(second.serverError(), SocketError::AddressInUseError);
    EXPECT_EQ(second.errorString(), "The bound address is already in use");
}

TEST_P(ServerContract, PendingConnectionAvailableThenNewConnection) {
    ASSERT_TRUE(listen());
    client("a");
    EXPECT_TRUE(log.empty());
    waitFor([&] { return log.size() == 2; });
    EXPECT_EQ(log, (Log{"pendingConnectionAvailable", "newConnection"}));
}

TEST_P(ServerContract, BeyondMaxPendingClientsConnectUnaccepted) {
    server->setMaxPendingConnections(0);
    ASSERT_TRUE(listen());
    auto& a = client("a");
    waitFor([&] { return a.state() == S::ConnectedState; });
    EXPECT_EQ(a.write("waits"), 5);
    idle(100);
    EXPECT_TRUE(log.empty());
    EXPECT_FALSE(server->hasPendingConnections());
    server->setMaxPendingConnections(1);  // takes effect at the next round of accepts
    server->resumeAccepting();
    waitFor([&] { return server->hasPendingConnections(); });
    auto p = server->nextPendingConnection();
    waitFor([&] { return p->bytesAvailable() == 5; });
    EXPECT_EQ(p->readAll(), "waits");
}

TEST_P(ServerContract, EachNextPendingConnectionAcceptsTheNextInOrder) {
    server->setMaxPendingConnections(1);
    ASSERT_TRUE(listen());
    auto& a = client("a");
    waitFor([&] { return a.state() == S::ConnectedState && log.size() == 2; });
    auto& b = client("b");
    waitFor([&] { return b.state() == S::ConnectedState; });
    auto& c = client("c");
    waitFor([&] { return c.state() == S::ConnectedState; });
    idle(50);
    EXPECT_EQ(log.size(), 2u);
    std::vector<std::unique_ptr<TcpSocket>> taken;
    for (TcpSocket* want : {&a, &b, &c}) {
        taken.push_back(server->nextPendingConnection());
        ASSERT_NE(taken.back(), nullptr);
        EXPECT_EQ(taken.back()->peerPort(), want->localPort());
        EXPECT_FALSE(server->hasPendingConnections());
        if (want != &c) waitFor([&] { return server->hasPendingConnections(); });
    }
    EXPECT_EQ(log.size(), 6u);
}

TEST_P(ServerContract, CloseDropsPendingAndQueuedConnections) {
    server->setMaxPendingConnections(1);
    ASSERT_TRUE(listen());
    auto& a = client("a");
    waitFor([&] { return server->hasPendingConnections(); });
    auto& b = client("b");
    waitFor([&] { return b.state() == S::ConnectedState; });
    trace.clear();
    server->close();
    EXPECT_FALSE(server->hasPendingConnections());
    waitFor([&] { return a.state() == S::UnconnectedState && b.state() == S::UnconnectedState; });
    const Log remoteClose = {"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                             "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"};
    EXPECT_EQ(trace.compact("a"), remoteClose);
    EXPECT_EQ(trace.compact("b"), remoteClose);
}

}  // namespace simsock::server_details
