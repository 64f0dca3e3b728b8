// SEMANTICS.md, "Blocking calls": on the sim they advance virtual time, and timeouts are virtual ms.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Blocking : public SimFixture {};

TEST_F(Blocking, WaitForConnectedSucceeds) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_TRUE(c.waitForConnected(1000));
    EXPECT_EQ(eventsFrom(3), (Events{"waitForConnected{stateChanged(ConnectedState)}", "waitForConnected{connected()}"}));
}

TEST_F(Blocking, WaitForConnectedOnARefusedConnect) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kClosedPort);
    EXPECT_FALSE(c.waitForConnected(1000));
    EXPECT_EQ(eventsFrom(3), (Events{"waitForConnected{stateChanged(UnconnectedState)}",
                                     "waitForConnected{errorOccurred(ConnectionRefusedError)}"}));
    EXPECT_EQ(c.error(), SocketError::ConnectionRefusedError);
}

TEST_F(Blocking, WaitForConnectedOnAnUnconnectedSocketReturnsAtOnce) {
    auto& c = make();
    auto t0 = net.loop().nowNs();
    EXPECT_FALSE(c.waitForConnected(1000));
    EXPECT_EQ(net.loop().nowNs(), t0);
    EXPECT_TRUE(events().empty());
}

TEST_F(Blocking, WaitForReadyReadTimesOutWithAnErrorAndStaysConnected) {
    auto& c = connectedClient();
    auto t0 = net.loop().nowNs();
    EXPECT_FALSE(c.waitForReadyRead(5000));
    EXPECT_EQ(net.loop().nowNs() - t0, 5'000'000'000);
    EXPECT_EQ(events(), (Events{"waitForReadyRead{errorOccurred(SocketTimeoutError)}"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_F(Blocking, WaitForReadyReadReturnsWhenDataArrives) {
    auto& c = connectedClient();
    peer().write("ping");
    EXPECT_TRUE(c.waitForReadyRead(1000));
    EXPECT_EQ(events(), (Events{"waitForReadyRead{readyRead(4)}"}));
    EXPECT_EQ(c.readAll(), "ping");
}

TEST_F(Blocking, WaitForReadyReadOnRemoteCloseReturnsFalse) {
    auto& c = connectedClient();
    peer().disconnectFromHost();
    EXPECT_FALSE(c.waitForReadyRead(1000));
    EXPECT_EQ(c.state(), S::UnconnectedState);
    EXPECT_EQ(events().front(), "waitForReadyRead{errorOccurred(RemoteHostClosedError)}");
}

TEST_F(Blocking, WaitForBytesWritten) {
    auto& c = connectedClient();
    EXPECT_FALSE(c.waitForBytesWritten(100));  // nothing to write
    c.write("data");
    EXPECT_TRUE(c.waitForBytesWritten(1000));
    EXPECT_EQ(events(), (Events{"waitForBytesWritten{bytesWritten(4)}"}));
}

TEST_F(Blocking, WaitForBytesWrittenTimesOutUnderBackPressure) {
    auto& c = connectedClient();
    peer().setReadBufferSize(1);  // the peer application stops reading: windows close
    c.setSocketOption(SocketOption::SendBufferSizeSocketOption, 4608);
    c.write(std::string(4'000'000, 'z'));
    int rounds = 0;
    while (c.waitForBytesWritten(1000) && rounds < 10000) ++rounds;
    EXPECT_GT(rounds, 0);
    EXPECT_EQ(events().back(), "waitForBytesWritten{errorOccurred(SocketTimeoutError)}");
    EXPECT_EQ(c.state(), S::ConnectedState);
    EXPECT_GT(c.bytesToWrite(), 0);
}

TEST_F(Blocking, WaitForDisconnectedOnRemoteClose) {
    auto& c = connectedClient();
    peer().disconnectFromHost();
    EXPECT_TRUE(c.waitForDisconnected(1000));
    EXPECT_EQ(events(), (Events{"waitForDisconnected{errorOccurred(RemoteHostClosedError)}",
                                "waitForDisconnected{stateChanged(ClosingState)}",
                                "waitForDisconnected{stateChanged(UnconnectedState)}",
                                "waitForDisconnected{readChannelFinished()}", "waitForDisconnected{disconnected()}"}));
}

TEST_F(Blocking, WaitForDisconnectedTimesOut) {
    auto& c = connectedClient();
    EXPECT_FALSE(c.waitForDisconnected(200));
    EXPECT_EQ(events(), (Events{"waitForDisconnected{errorOccurred(SocketTimeoutError)}"}));
    EXPECT_FALSE(make("u").waitForDisconnected(100));
}

TEST_F(Blocking, IdleConnectionForOneVirtualHourIsCheap) {
    auto& c = connectedClient();
    auto t0 = net.loop().nowNs();
    auto eventsBefore = net.simLoop().eventsProcessed();
    EXPECT_FALSE(c.waitForReadyRead(3'600'000));
    EXPECT_EQ(net.loop().nowNs() - t0, 3'600'000'000'000);
    // A handful of events, not one per tick: this is what makes an idle hour take microseconds.
    EXPECT_LT(net.simLoop().eventsProcessed() - eventsBefore, 20u);
    EXPECT_EQ(events(), (Events{"waitForReadyRead{errorOccurred(SocketTimeoutError)}"}));
}

}  // namespace
}  // namespace simsock::testing
