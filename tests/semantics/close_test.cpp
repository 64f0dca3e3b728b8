// SEMANTICS.md, "Close": remote close, reset, disconnectFromHost, abort, close, and all of them from handlers.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Close : public SimFixture {};

const Events kRemoteCloseTail = {"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                 "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"};

TEST_F(Close, RemoteCloseWithDataKeepsTheDataReadable) {
    auto& c = connectedClient();
    S stateAtError = S::UnconnectedState;
    c.errorOccurred.connect([&](SocketError) { stateAtError = c.state(); });
    peer().write("hello");
    peer().disconnectFromHost();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    Events want = {"readyRead(5)"};
    want.insert(want.end(), kRemoteCloseTail.begin(), kRemoteCloseTail.end());
    EXPECT_EQ(events(), want);
    EXPECT_EQ(stateAtError, S::ConnectedState);
    EXPECT_EQ(c.error(), SocketError::RemoteHostClosedError);
    EXPECT_TRUE(c.isOpen());
    EXPECT_EQ(c.readAll(), "hello");
    EXPECT_EQ(c.read(10), "");
}

TEST_F(Close, RemoteCloseWithoutData) {
    auto& c = connectedClient();
    peer().disconnectFromHost();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), kRemoteCloseTail);
}

TEST_F(Close, PeerResetOnTheReadPathGivesTheSameTrace) {
    auto& c = connectedClient();
    c.write("unread by the peer");
    runFor(10);
    // Closing with unread data makes the peer's stack send RST.
    peer().abort();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    Events want = {"bytesWritten(18)"};
    want.insert(want.end(), kRemoteCloseTail.begin(), kRemoteCloseTail.end());
    EXPECT_EQ(events(), want);
}

TEST_F(Close, DisconnectWithNothingPendingCompletesInsideTheCall) {
    auto& c = connectedClient();
    c.disconnectFromHost();
    EXPECT_EQ(events(), (Events{"disconnectFromHost{stateChanged(ClosingState)}",
                                "disconnectFromHost{stateChanged(UnconnectedState)}",
                                "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"}));
    EXPECT_TRUE(c.isOpen());
    EXPECT_EQ(c.peerPort(), 0);
    EXPECT_EQ(c.write("x"), -1);
}

TEST_F(Close, DisconnectWithPendingDataDrainsFirst) {
    auto& c = connectedClient();
    EXPECT_EQ(c.write("abcdef"), 6);
    c.disconnectFromHost();
    EXPECT_EQ(events(), (Events{"disconnectFromHost{stateChanged(ClosingState)}"}));
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"disconnectFromHost{stateChanged(ClosingState)}", "bytesWritten(6)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    runFor(10);
    EXPECT_EQ(peer().readAll(), "abcdef");
}

TEST_F(Close, DisconnectWhileConnectingLetsTheConnectFinishFirst) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    c.disconnectFromHost();
    EXPECT_EQ(events().size(), 3u);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "stateChanged(ClosingState)",
                                     "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
}

TEST_F(Close, DisconnectWhileLookingUpLetsTheConnectFinishFirst) {
    auto& c = make();
    c.connectToHost("localhost", kPort, OpenModeFlag::ReadWrite, NetworkLayerProtocol::IPv4Protocol);
    c.disconnectFromHost();
    EXPECT_EQ(events(), (Events{"connectToHost{stateChanged(HostLookupState)}"}));
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(1), (Events{"stateChanged(ConnectingState)", "hostFound()", "stateChanged(ConnectedState)",
                                     "connected()", "stateChanged(ClosingState)", "stateChanged(UnconnectedState)",
                                     "readChannelFinished()", "disconnected()"}));
}

TEST_F(Close, DisconnectOnAnUnconnectedSocketDoesNothing) {
    auto& c = make();
    c.disconnectFromHost();
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(c.state(), S::UnconnectedState);
}

TEST_F(Close, AbortWhenConnected) {
    auto& c = connectedClient();
    c.abort();
    EXPECT_EQ(events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                "abort{readChannelFinished()}", "abort{disconnected()}"}));
    EXPECT_FALSE(c.isOpen());
}

TEST_F(Close, AbortWhileConnectingHasNoDisconnected) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    trace.clear();
    c.abort();
    EXPECT_EQ(events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                "abort{readChannelFinished()}"}));
    runFor(1000);
    EXPECT_EQ(events().size(), 3u);
}

TEST_F(Close, AbortWhileLookingUpHasNoDisconnected) {
    auto& c = make();
    c.connectToHost("localhost", kPort);
    trace.clear();
    c.abort();
    EXPECT_EQ(events(), (Events{"abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                "abort{readChannelFinished()}"}));
    runFor(1000);
    EXPECT_EQ(events().size(), 3u);
}

TEST_F(Close, AbortDiscardsPendingData) {
    auto& c = connectedClient();
    c.write("never sent");
    c.abort();
    runFor(100);
    EXPECT_EQ(peer().bytesAvailable(), 0);
    EXPECT_EQ(peer().state(), S::UnconnectedState);
    EXPECT_EQ(c.bytesToWrite(), 0);
}

TEST_F(Close, AbortOnAnUnconnectedOpenSocketOnlyAnnouncesTheClose) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kClosedPort);
    runFor(1000);
    ASSERT_TRUE(c.isOpen());
    trace.clear();
    c.abort();
    EXPECT_EQ(events(), (Events{"abort{aboutToClose()}"}));
    EXPECT_FALSE(c.isOpen());
    c.abort();
    EXPECT_EQ(events().size(), 1u);
}

TEST_F(Close, CloseAnnouncesThenDisconnects) {
    auto& c = connectedClient();
    c.close();
    EXPECT_EQ(events(), (Events{"close{aboutToClose()}", "close{stateChanged(ClosingState)}",
                                "close{stateChanged(UnconnectedState)}", "close{readChannelFinished()}",
                                "close{disconnected()}"}));
    EXPECT_FALSE(c.isOpen());
}

TEST_F(Close, CloseStillWritesPendingData) {
    auto& c = connectedClient();
    c.write("tail");
    c.close();
    EXPECT_EQ(events(), (Events{"close{aboutToClose()}", "close{stateChanged(ClosingState)}"}));
    EXPECT_FALSE(c.isOpen());
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(2), (Events{"bytesWritten(4)", "stateChanged(UnconnectedState)", "readChannelFinished()",
                                     "disconnected()"}));
    runFor(10);
    EXPECT_EQ(peer().readAll(), "tail");
}

TEST_F(Close, DisconnectFromInsideConnected) {
    auto& c = make();
    c.connected.connect([&] { c.disconnectFromHost(); });
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()",
                                     "disconnectFromHost{stateChanged(ClosingState)}",
                                     "disconnectFromHost{stateChanged(UnconnectedState)}",
                                     "disconnectFromHost{readChannelFinished()}", "disconnectFromHost{disconnected()}"}));
}

TEST_F(Close, AbortFromInsideReadyRead) {
    auto& c = connectedClient();
    c.readyRead.connect([&] { c.abort(); });
    peer().write("x");
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"readyRead(1)", "abort{aboutToClose()}", "abort{stateChanged(UnconnectedState)}",
                                "abort{readChannelFinished()}", "abort{disconnected()}"}));
}

TEST_F(Close, CloseFromInsideTheRemoteCloseError) {
    auto& c = connectedClient();
    c.errorOccurred.connect([&](SocketError) { c.close(); });
    peer().disconnectFromHost();
    runUntil([&] { return c.state() == S::UnconnectedState; });
    EXPECT_EQ(events(), (Events{"errorOccurred(RemoteHostClosedError)", "close{aboutToClose()}",
                                "close{stateChanged(ClosingState)}", "close{stateChanged(UnconnectedState)}",
                                "close{readChannelFinished()}", "close{disconnected()}"}));
}

TEST_F(Close, DeletingTheSocketInsideAHandlerStopsAllSignals) {
    auto s = std::make_unique<TcpSocket>(net);
    s->setObjectName("d");
    TraceRecorder rec(*s, trace);
    s->connected.connect([&] { s.reset(); });
    int laterHandler = 0;
    s->connected.connect([&] { ++laterHandler; });
    s->connectToHost("127.0.0.1", kPort);
    runUntil([&] { return s == nullptr; });
    runFor(100);
    EXPECT_EQ(trace.compact("d").back(), "connected()");
    EXPECT_EQ(laterHandler, 0);
}

TEST_F(Close, DeleteLaterInsideAHandler) {
    auto s = std::make_unique<TcpSocket>(net);
    s->setObjectName("d");
    TraceRecorder rec(*s, trace);
    s->disconnected.connect([&] { net.loop().deleteLater(std::move(s)); });
    s->connected.connect([&] { s->abort(); });
    s->connectToHost("127.0.0.1", kPort);
    runUntil([&] { return s == nullptr; });
    runFor(100);
    EXPECT_EQ(trace.compact("d").back(), "abort{disconnected()}");
}

}  // namespace
}  // namespace simsock::testing

namespace simsock::testing {
namespace {

TEST_F(Close, NothingIsLeftToWriteOnceARemoteResetDisconnects) {
    auto& c = connectedClient();
    peer().setReadBufferSize(1);  // the peer stops reading: the client's data backs up
    c.write(std::string(2'000'000, 'w'));
    runFor(100);
    ASSERT_GT(c.bytesToWrite(), 0);
    peer().abort();  // unread data on the peer: its stack answers with RST
    runUntil([&] { return c.state() == SocketState::UnconnectedState; });
    EXPECT_EQ(c.error(), SocketError::RemoteHostClosedError);
    EXPECT_EQ(c.bytesToWrite(), 0);
    EXPECT_EQ(c.write("x"), -1);
}

}  // namespace
}  // namespace simsock::testing
