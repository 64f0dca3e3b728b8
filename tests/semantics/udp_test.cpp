// SEMANTICS.md, "UDP".
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Udp : public SimFixture {};

TEST_F(Udp, BindEntersBoundInsideTheCall) {
    auto& u = make<UdpSocket>("u");
    EXPECT_TRUE(u.bind(HostAddress("127.0.0.1"), 9000));
    EXPECT_EQ(events("u"), (Events{"bind{stateChanged(BoundState)}"}));
    EXPECT_EQ(u.localPort(), 9000);
    EXPECT_EQ(u.localAddress(), HostAddress("127.0.0.1"));
}

TEST_F(Udp, BindingAgainFails) {
    auto& u = make<UdpSocket>("u");
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 9000));
    EXPECT_FALSE(u.bind(HostAddress("127.0.0.1"), 9001));
    EXPECT_EQ(events("u"), (Events{"bind{stateChanged(BoundState)}", "bind{errorOccurred(UnknownSocketError)}"}));
    EXPECT_EQ(u.state(), S::BoundState);
}

TEST_F(Udp, AddressInUse) {
    auto& a = make<UdpSocket>("a");
    auto& b = make<UdpSocket>("b");
    ASSERT_TRUE(a.bind(HostAddress("127.0.0.1"), 9000));
    EXPECT_FALSE(b.bind(HostAddress("127.0.0.1"), 9000));
    EXPECT_EQ(events("b"), (Events{"bind{errorOccurred(AddressInUseError)}"}));
    EXPECT_EQ(b.state(), S::UnconnectedState);
    EXPECT_EQ(b.error(), SocketError::AddressInUseError);
}

TEST_F(Udp, WriteDatagramBindsImplicitly) {
    auto& u = make<UdpSocket>("u");
    EXPECT_EQ(u.writeDatagram("hello", HostAddress("127.0.0.1"), 9100), 5);
    EXPECT_EQ(events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(5)}"}));
    EXPECT_NE(u.localPort(), 0);
}

TEST_F(Udp, MaximumDatagramSizeIsAcceptedAndOneMoreIsTooLarge) {
    auto& u = make<UdpSocket>("u");
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    trace.clear();
    EXPECT_EQ(u.writeDatagram(std::string(65507, 'a'), HostAddress("127.0.0.1"), 9100), 65507);
    EXPECT_EQ(u.writeDatagram(std::string(65508, 'a'), HostAddress("127.0.0.1"), 9100), -1);
    EXPECT_EQ(events("u"),
              (Events{"writeDatagram{bytesWritten(65507)}", "writeDatagram{errorOccurred(DatagramTooLargeError)}"}));
    EXPECT_EQ(u.error(), SocketError::DatagramTooLargeError);
}

TEST_F(Udp, ConnectIsSynchronousAndWriteSendsOneDatagram) {
    auto& r = make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 9200));
    auto& u = make<UdpSocket>("u");
    u.connectToHost("127.0.0.1", 9200);
    EXPECT_EQ(events("u"), (Events{"connectToHost{stateChanged(HostLookupState)}",
                                   "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                   "connectToHost{stateChanged(ConnectedState)}", "connectToHost{connected()}"}));
    EXPECT_EQ(u.write("abc"), 3);
    EXPECT_EQ(events("u").back(), "write{bytesWritten(3)}");
    runFor(10);
    HostAddress from;
    std::uint16_t port = 0;
    char buf[16];
    EXPECT_EQ(r.readDatagram(buf, sizeof buf, &from, &port), 3);
    EXPECT_EQ(std::string(buf, 3), "abc");
    EXPECT_EQ(from, HostAddress("127.0.0.1"));
    EXPECT_EQ(port, u.localPort());
}

TEST_F(Udp, OneReadyReadPerDatagramAndTemporaryErrorWhenNonePending) {
    auto& r = make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 9300));
    std::vector<std::string> got;
    r.readyRead.connect([&] {
        while (r.hasPendingDatagrams()) got.push_back(r.receiveDatagram().data);
    });
    auto& s = make<UdpSocket>("s");
    s.writeDatagram("one", HostAddress("127.0.0.1"), 9300);
    runFor(10);
    s.writeDatagram("two", HostAddress("127.0.0.1"), 9300);
    runFor(10);
    EXPECT_EQ(got, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(events("r"), (Events{"bind{stateChanged(BoundState)}", "readyRead(3)", "readyRead(3)"}));
    trace.clear();
    char buf[4];
    EXPECT_EQ(r.readDatagram(buf, sizeof buf), -1);
    EXPECT_EQ(events("r"), (Events{"readDatagram{errorOccurred(TemporaryError)}"}));
}

TEST_F(Udp, PendingDatagramSizeCountsAnEmptyDatagram) {
    auto& r = make<UdpSocket>("r");
    ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 9400));
    auto& s = make<UdpSocket>("s");
    s.writeDatagram("", HostAddress("127.0.0.1"), 9400);
    runFor(10);
    EXPECT_TRUE(r.hasPendingDatagrams());
    EXPECT_EQ(r.pendingDatagramSize(), 0);
    auto d = r.receiveDatagram();
    EXPECT_TRUE(d.isValid());
    EXPECT_EQ(d.data, "");
    EXPECT_FALSE(r.hasPendingDatagrams());
    EXPECT_EQ(r.pendingDatagramSize(), -1);
}

TEST_F(Udp, CloseAfterBind) {
    auto& u = make<UdpSocket>("u");
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 9500));
    trace.clear();
    u.close();
    EXPECT_EQ(events("u"), (Events{"close{stateChanged(ClosingState)}", "close{stateChanged(UnconnectedState)}",
                                   "close{readChannelFinished()}", "close{disconnected()}"}));
    EXPECT_EQ(u.state(), S::UnconnectedState);
}

TEST_F(Udp, ReadBufferSizeIsIgnored) {
    auto& u = make<UdpSocket>("u");
    u.setReadBufferSize(10);
    EXPECT_EQ(u.readBufferSize(), 0);
}

}  // namespace
}  // namespace simsock::testing
