// SEMANTICS.md, "Read and write".
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class ReadWrite : public SimFixture {};

TEST_F(ReadWrite, ReadyReadIsNeverNestedInsideItsOwnHandler) {
    auto& c = connectedClient();
    int depth = 0, maxDepth = 0, calls = 0;
    c.readyRead.connect([&] {
        ++calls;
        maxDepth = std::max(maxDepth, ++depth);
        if (calls == 1) {
            peer().write("second");
            EXPECT_TRUE(c.waitForReadyRead(1000));  // the arrival is seen, but not announced by a nested signal
        }
        --depth;
    });
    peer().write("first");
    runFor(100);
    EXPECT_EQ(maxDepth, 1);
    EXPECT_EQ(events(), (Events{"readyRead(5)"}));
    EXPECT_EQ(c.readAll(), "firstsecond");
    peer().write("third");
    runFor(100);
    EXPECT_EQ(events(), (Events{"readyRead(5)", "readyRead(5)"}));
}

// QT-DETAILS.md §2: a partial read leaves the reader stopped; only emptying the buffer resumes it.
TEST_F(ReadWrite, ReadBufferLimitStopsAndResumesReading) {
    auto& c = connectedClient();
    c.setReadBufferSize(10);
    std::string got;
    c.readyRead.connect([&] { got += c.read(5); });
    peer().write(std::string(100, 'x'));
    runFor(1000);
    EXPECT_EQ(events(), (Events{"readyRead(10)"}));
    EXPECT_EQ(got.size(), 5u);
    EXPECT_EQ(c.bytesAvailable(), 5);
    EXPECT_EQ(c.readAll(), "xxxxx");
    EXPECT_EQ(c.readBufferSize(), 10);
    runFor(1000);
    EXPECT_EQ(events(), (Events{"readyRead(10)", "readyRead(10)"}));
    EXPECT_EQ(got.size(), 10u);
    EXPECT_EQ(c.bytesAvailable(), 5);
}

TEST_F(ReadWrite, ZeroReadBufferSizeMeansUnlimited) {
    auto& c = connectedClient();
    c.setReadBufferSize(0);
    peer().write(std::string(100000, 'y'));
    runFor(1000);
    EXPECT_EQ(c.bytesAvailable(), 100000);
}

TEST_F(ReadWrite, WriteOnANeverOpenedSocketFailsWithQtsWarningsOnly) {
    auto& c = make();
    EXPECT_EQ(c.write("abc"), -1);
    EXPECT_EQ(c.read(3), "");
    // No signal; the warning channel carries what Qt prints (QIODevice's checks).
    EXPECT_EQ(events(), (Events{"write{warning(\"QIODevice::write (TcpSocket): device not open\")}",
                                "read{warning(\"QIODevice::read (TcpSocket): device not open\")}"}));
    EXPECT_EQ(c.error(), SocketError::UnknownSocketError);
}

TEST_F(ReadWrite, WriteAfterDisconnectFailsSilently) {
    auto& c = connectedClient();
    c.disconnectFromHost();
    trace.clear();
    EXPECT_EQ(c.write("abc"), -1);
    EXPECT_TRUE(events().empty());
}

TEST_F(ReadWrite, WritingWhileConnectingIsSentOnceConnected) {
    auto& c = make();
    c.connectToHost("127.0.0.1", kPort);
    EXPECT_EQ(c.write("early"), 5);
    EXPECT_EQ(c.bytesToWrite(), 5);
    runUntil([&] { return c.bytesToWrite() == 0; });
    EXPECT_EQ(eventsFrom(3), (Events{"stateChanged(ConnectedState)", "connected()", "bytesWritten(5)"}));
    runFor(10);
    EXPECT_EQ(peer().readAll(), "early");
}

TEST_F(ReadWrite, BytesWrittenIsNotNestedAndFlushEmitsSynchronously) {
    auto& c = connectedClient();
    int nested = 0;
    c.bytesWritten.connect([&](std::int64_t) {
        if (nested++ == 0) {
            c.write("more");
            EXPECT_TRUE(c.flush());  // writes, but bytesWritten is not emitted inside its own handler
        }
    });
    c.write("abc");
    EXPECT_TRUE(c.flush());
    EXPECT_EQ(events(), (Events{"flush{bytesWritten(3)}"}));
    EXPECT_EQ(nested, 1);
    EXPECT_EQ(c.bytesToWrite(), 0);
    runFor(10);
    EXPECT_EQ(peer().readAll(), "abcmore");
}

TEST_F(ReadWrite, FlushWithNothingToWriteReturnsFalse) {
    auto& c = connectedClient();
    EXPECT_FALSE(c.flush());
    EXPECT_TRUE(events().empty());
}

TEST_F(ReadWrite, DeviceFunctions) {
    auto& c = connectedClient();
    peer().write("line one\nrest");
    runFor(10);
    EXPECT_TRUE(c.canReadLine());
    EXPECT_EQ(c.peek(4), "line");
    EXPECT_EQ(c.readLine(), "line one\n");
    EXPECT_FALSE(c.canReadLine());
    char ch = 0;
    EXPECT_TRUE(c.getChar(&ch));
    EXPECT_EQ(ch, 'r');
    c.ungetChar('R');
    EXPECT_EQ(c.bytesAvailable(), 4);
    EXPECT_EQ(c.readAll(), "Rest");
    EXPECT_TRUE(c.atEnd());
    EXPECT_TRUE(c.putChar('!'));
    EXPECT_EQ(c.bytesToWrite(), 1);
    EXPECT_EQ(c.openMode(), OpenMode(OpenModeFlag::ReadWrite));
    EXPECT_TRUE(c.isReadable());
    EXPECT_TRUE(c.isWritable());
}

TEST_F(ReadWrite, LargeTransferArrivesWholeAndInOrder) {
    auto& c = connectedClient();
    std::string payload;
    for (int i = 0; i < 200000; ++i) payload += static_cast<char>('a' + i % 26);
    c.write(payload);
    std::string got;
    peer().readyRead.connect([&] { got += peer().readAll(); });
    runUntil([&] { return got.size() == payload.size(); });
    EXPECT_EQ(got, payload);
    std::int64_t written = 0;
    for (const auto& e : trace.events())
        if (e.signal == "bytesWritten") written += std::stoll(e.args[0]);
    EXPECT_EQ(written, 200000);
}

}  // namespace
}  // namespace simsock::testing
