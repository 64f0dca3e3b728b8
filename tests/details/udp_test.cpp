// QT-DETAILS.md §9, UDP datagrams: short reads truncate and discard, zero-length datagrams are real ones.
#include "fixture.h"

namespace simsock::testing {
namespace {

class Datagrams : public SimFixture {
protected:
    void SetUp() override {
        SimFixture::SetUp();
        ASSERT_TRUE(r.bind(HostAddress("127.0.0.1"), 6000));
    }
    /// Sends payload from "u" to r and waits for r's readyRead.
    void send(const std::string& payload) {
        const auto before = events("r").size();
        ASSERT_EQ(u.writeDatagram(payload, HostAddress("127.0.0.1"), 6000), static_cast<std::int64_t>(payload.size()));
        runUntil([&] { return events("r").size() > before; });
    }
    UdpSocket& r = make<UdpSocket>("r");
    UdpSocket& u = make<UdpSocket>("u");
};

TEST_F(Datagrams, AShortReadReturnsNAndDropsTheRest) {
    send("abcdef");
    char buf[8] = {};
    HostAddress from;
    std::uint16_t port = 0;
    EXPECT_EQ(r.readDatagram(buf, 3, &from, &port), 3);
    EXPECT_EQ(std::string(buf, 3), "abc");
    EXPECT_EQ(from.toString(), "127.0.0.1");
    EXPECT_EQ(port, u.localPort());
    EXPECT_FALSE(r.hasPendingDatagrams());
    send("ghij");
    EXPECT_EQ(r.readDatagram(buf, 0), 0);  // the whole datagram is dropped
    EXPECT_FALSE(r.hasPendingDatagrams());
    EXPECT_EQ(events("r"), (Events{"bind{stateChanged(BoundState)}", "readyRead(6)", "readyRead(4)"}));
}

TEST_F(Datagrams, ReceiveDatagramWithASizeTruncatesAndConsumes) {
    send("abcdef");
    auto d = r.receiveDatagram(2);
    EXPECT_TRUE(d.isValid());
    EXPECT_EQ(d.data, "ab");
    EXPECT_FALSE(r.hasPendingDatagrams());
    send("xyz");
    auto e = r.receiveDatagram(0);
    EXPECT_TRUE(e.isValid());
    EXPECT_EQ(e.data, "");
    EXPECT_FALSE(r.hasPendingDatagrams());
}

TEST_F(Datagrams, AZeroLengthDatagramIsARealDatagram) {
    EXPECT_EQ(u.writeDatagram("", HostAddress("127.0.0.1"), 6000), 0);
    EXPECT_EQ(events("u"), (Events{"writeDatagram{stateChanged(BoundState)}", "writeDatagram{bytesWritten(0)}"}));
    runUntil([&] { return events("r").size() == 2; });
    EXPECT_EQ(events("r").back(), "readyRead(0)");
    EXPECT_EQ(r.bytesAvailable(), 0);
    EXPECT_TRUE(r.hasPendingDatagrams());
    EXPECT_EQ(r.pendingDatagramSize(), 0);
    auto d = r.receiveDatagram();
    EXPECT_TRUE(d.isValid());
    EXPECT_EQ(d.data, "");
    EXPECT_FALSE(r.hasPendingDatagrams());
    send("");
    char buf[4] = {};
    EXPECT_EQ(r.readDatagram(buf, sizeof buf), 0);
}

}  // namespace
}  // namespace simsock::testing
