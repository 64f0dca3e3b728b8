// QT-DETAILS.md §2, the read-buffer limit: reading stops when the buffer is full and resumes only when a
// read empties it; setReadBufferSize emits nothing inside the call; a full buffer hides lines and the end.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class ReadLimit : public SimFixture {
protected:
    /// Client "c" with limit, after the peer sent bytes and they had time to arrive.
    TcpSocket& filled(std::int64_t limit, const std::string& bytes) {
        auto& c = connectedClient();
        c.setReadBufferSize(limit);
        peer().write(bytes);
        runFor(500);
        return c;
    }
};

// 20000 bytes waiting in the kernel, limit 1000, readAll() in every readyRead handler: 20 readyRead.
TEST_F(ReadLimit, ReadAllInEveryHandlerGivesOneReadyReadPerLimit) {
    auto& c = filled(1000, std::string(20000, 'z'));  // the first 1000 are in; the rest waits
    std::vector<std::int64_t> sizes{c.bytesAvailable()};
    c.readyRead.connect([&] {
        sizes.push_back(c.bytesAvailable());
        (void)c.readAll();
    });
    EXPECT_EQ(c.readAll().size(), 1000u);
    runFor(2000);
    EXPECT_EQ(sizes, std::vector<std::int64_t>(20, 1000));
    EXPECT_EQ(events(), Events(20, "readyRead(1000)"));
}

TEST_F(ReadLimit, APartialReadLineDoesNotResume) {
    auto& c = filled(10, "abcdefghijklmnopqrstuvwxyz\n");
    EXPECT_EQ(events(), (Events{"readyRead(10)"}));
    EXPECT_FALSE(c.canReadLine());  // the line is longer than the limit
    EXPECT_EQ(c.readLine(5), "abcd");
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(10)"}));
    EXPECT_EQ(c.bytesAvailable(), 6);
    EXPECT_EQ(c.readAll(), "efghij");
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(10)", "readyRead(10)"}));
}

TEST_F(ReadLimit, RaisingTheLimitResumesFromTheLoop) {
    auto& c = filled(10, std::string(30, 'r'));
    trace.clear();
    c.setReadBufferSize(25);
    EXPECT_TRUE(events().empty());  // nothing inside the call
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(25)"}));
}

TEST_F(ReadLimit, LoweringTheLimitDiscardsNothing) {
    auto& c = filled(10, std::string(30, 'l'));
    c.setReadBufferSize(4);
    EXPECT_EQ(c.readBufferSize(), 4);
    runFor(500);
    EXPECT_EQ(c.bytesAvailable(), 10);
    EXPECT_EQ(c.read(9).size(), 9u);
    runFor(500);
    EXPECT_EQ(c.bytesAvailable(), 1);  // not emptied: still stopped
    EXPECT_EQ(c.read(1), "l");
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(10)", "readyRead(4)"}));
}

TEST_F(ReadLimit, ZeroReadsEverythingPendingInOnePass) {
    auto& c = filled(10, std::string(30, 'u'));
    trace.clear();
    c.setReadBufferSize(0);
    EXPECT_TRUE(events().empty());
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(30)"}));
}

TEST_F(ReadLimit, AFullBufferHidesTheEndOfTheStream) {
    auto& c = connectedClient();
    c.setReadBufferSize(10);
    peer().write(std::string(15, 'e'));
    peer().disconnectFromHost();
    runFor(2000);
    EXPECT_EQ(events(), (Events{"readyRead(10)"}));
    EXPECT_EQ(c.state(), S::ConnectedState);
    (void)c.readAll();
    runFor(500);
    EXPECT_EQ(events(), (Events{"readyRead(10)", "readyRead(5)", "errorOccurred(RemoteHostClosedError)",
                                "stateChanged(ClosingState)", "stateChanged(UnconnectedState)",
                                "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.readAll(), "eeeee");  // the last bytes stay readable after disconnected
}

}  // namespace
}  // namespace simsock::testing
