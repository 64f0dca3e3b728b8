// QT-DETAILS.md §1, reading from a TCP socket: return values on an empty buffer (Connected vs after a
// remote close), atEnd, readLine and its maxSize - 1 rule, canReadLine, peek/skip, ungetChar/putChar,
// data left after a remote close, and a write after the connection is gone.
#include "fixture.h"

namespace simsock::testing {
namespace {

using S = SocketState;

class Reads : public SimFixture {
protected:
    /// Client "c", connected, with bytes from the peer in its buffer.
    TcpSocket& holding(const std::string& bytes) {
        auto& c = connectedClient();
        peer().write(bytes);
        runUntil([&] { return c.bytesAvailable() == static_cast<std::int64_t>(bytes.size()); });
        trace.clear();
        return c;
    }
    /// Client "c" after the peer sent bytes and closed: Unconnected, bytes still buffered.
    TcpSocket& remotelyClosed(const std::string& bytes) {
        auto& c = connectedClient();
        peer().write(bytes);
        peer().disconnectFromHost();
        runUntil([&] { return c.state() == S::UnconnectedState; });
        trace.clear();
        return c;
    }
};

TEST_F(Reads, AnEmptyBufferWhileConnectedReadsAsZero) {
    auto& c = connectedClient();
    char buf[8] = {};
    EXPECT_EQ(c.read(buf, 8), 0);
    EXPECT_EQ(c.peek(buf, 8), 0);
    EXPECT_EQ(c.readLine(buf, 8), 0);
    EXPECT_EQ(c.skip(8), 0);
    EXPECT_EQ(c.readLine(), "");
    char ch = 'x';
    EXPECT_FALSE(c.getChar(&ch));
    EXPECT_TRUE(c.atEnd());  // true on an empty buffer, even while more may come
    EXPECT_TRUE(events().empty());
}

TEST_F(Reads, AnEmptyBufferAfterARemoteCloseReadsAsMinusOne) {
    auto& c = remotelyClosed("");
    char buf[8] = {};
    EXPECT_EQ(c.read(buf, 8), -1);
    EXPECT_EQ(c.peek(buf, 8), -1);
    EXPECT_EQ(c.readLine(buf, 8), -1);
    EXPECT_EQ(c.skip(8), -1);
    EXPECT_EQ(c.read(buf, 0), 0);
    EXPECT_EQ(c.read(8), "");
    EXPECT_EQ(c.readAll(), "");
    char ch = 'x';
    EXPECT_FALSE(c.getChar(&ch));
    EXPECT_FALSE(c.waitForReadyRead(1000));
    EXPECT_TRUE(events().empty());
}

TEST_F(Reads, DataLeftAfterARemoteCloseStaysReadable) {
    auto& c = remotelyClosed("one\ntwo");
    EXPECT_FALSE(c.atEnd());
    EXPECT_TRUE(c.isOpen());
    EXPECT_TRUE(c.canReadLine());
    EXPECT_EQ(c.readLine(), "one\n");
    EXPECT_FALSE(c.canReadLine());
    EXPECT_EQ(c.readLine(), "two");  // the last unterminated line, whole
    EXPECT_TRUE(c.atEnd());
    EXPECT_EQ(c.readLine(), "");
    EXPECT_FALSE(c.waitForReadyRead(1000));
    EXPECT_TRUE(events().empty());
}

TEST_F(Reads, ReadLineReturnsAPartialLineAtOnce) {
    auto& c = holding("hello wor");
    EXPECT_FALSE(c.canReadLine());
    EXPECT_EQ(c.readLine(), "hello wor");
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_F(Reads, ReadLineWithAMaxSizeTakesAtMostOneByteLess) {
    auto& c = holding("world\nworld\nab");
    EXPECT_EQ(c.readLine(3), "wo");
    EXPECT_EQ(c.readLine(), "rld\n");
    EXPECT_EQ(c.readLine(5), "worl");
    EXPECT_EQ(c.readLine(), "d\n");
    char buf[8] = {'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
    EXPECT_EQ(c.readLine(buf, 1), -1);  // Qt also warns "Called with maxSize < 2"
    EXPECT_EQ(c.readLine(buf, 2), 1);
    EXPECT_EQ(std::string(buf, 2), std::string("a\0", 2));
    EXPECT_EQ(c.readLine(-1), "");  // Qt warns "Called with maxSize < 0"
    EXPECT_EQ(c.bytesAvailable(), 1);
}

TEST_F(Reads, PeekSkipAndZeroSizes) {
    auto& c = holding("abcdef");
    char buf[4] = {};
    EXPECT_EQ(c.peek(3), "abc");
    EXPECT_EQ(c.bytesAvailable(), 6);
    EXPECT_EQ(c.skip(2), 2);
    EXPECT_EQ(c.read(0), "");
    EXPECT_EQ(c.peek(0), "");
    EXPECT_EQ(c.read(buf, 0), 0);
    EXPECT_EQ(c.read(-1), "");  // Qt warns "Called with maxSize < 0"
    EXPECT_EQ(c.read(buf, -1), -1);
    EXPECT_EQ(c.readAll(), "cdef");
}

TEST_F(Reads, UngetCharPushesAnyByteEvenIntoAnEmptyBuffer) {
    auto& c = connectedClient();
    c.ungetChar('q');
    EXPECT_EQ(c.bytesAvailable(), 1);
    EXPECT_EQ(c.read(5), "q");
    peer().write("ab");
    runUntil([&] { return c.bytesAvailable() == 2; });
    char ch = 0;
    ASSERT_TRUE(c.getChar(&ch));
    EXPECT_EQ(ch, 'a');
    c.ungetChar(ch);
    EXPECT_EQ(c.bytesAvailable(), 2);
    EXPECT_EQ(c.readAll(), "ab");
}

TEST_F(Reads, PutCharIsAOneByteWrite) {
    auto& c = connectedClient();
    EXPECT_TRUE(c.putChar('z'));
    EXPECT_EQ(c.bytesToWrite(), 1);
    EXPECT_TRUE(events().empty());
    runFor(100);
    EXPECT_EQ(events(), (Events{"bytesWritten(1)"}));
}

TEST_F(Reads, AWriteAfterTheConnectionIsGoneReplacesTheError) {
    auto& c = remotelyClosed("");
    ASSERT_EQ(c.error(), SocketError::RemoteHostClosedError);
    EXPECT_EQ(c.write("late"), -1);
    EXPECT_TRUE(events().empty());
    EXPECT_EQ(c.error(), SocketError::UnknownSocketError);
    EXPECT_EQ(c.errorString(), "Socket is not connected");
}

}  // namespace
}  // namespace simsock::testing
