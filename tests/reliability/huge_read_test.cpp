// Finding 2: a huge maxSize (up to INT64_MAX, which the loader accepts for a read's `size`) made the
// allocating read wrappers allocate maxSize before reading, and the CLI died of std::bad_alloc. They
// allocate what is there to read: the bytes buffered, or one datagram.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "reliability_support.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using S = SocketState;
constexpr std::int64_t kHuge[] = {std::numeric_limits<std::int64_t>::max(), std::int64_t{1} << 40};

class HugeRead : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), 5000));
        server.newConnection.connect([this] { accepted = server.nextPendingConnection(); });
        client.connectToHost("127.0.0.1", 5000);
        ASSERT_TRUE(net.loop().runUntil([&] { return client.state() == S::ConnectedState && accepted; }, 1000));
    }
    // The server sends text; returns once the client has it buffered.
    void arrive(const std::string& text) {
        accepted->write(text);
        ASSERT_TRUE(net.loop().runUntil([&] { return client.bytesAvailable() >= static_cast<std::int64_t>(text.size()); }, 1000));
    }

    sim::Network net{1};
    TcpServer server{net};
    TcpSocket client{net};
    std::unique_ptr<TcpSocket> accepted;
};

TEST_F(HugeRead, ReadReturnsWhatIsBuffered) {
    for (std::int64_t huge : kHuge) {
        arrive("hello");
        EXPECT_EQ(client.read(huge), "hello") << huge;
        EXPECT_EQ(client.read(huge), "") << huge;  // nothing left: nothing allocated either
    }
}

TEST_F(HugeRead, PeekAndReadLineReturnWhatIsBuffered) {
    for (std::int64_t huge : kHuge) {
        arrive("one\ntwo");
        EXPECT_EQ(client.peek(huge), "one\ntwo") << huge;
        EXPECT_EQ(client.readLine(huge), "one\n") << huge;
        EXPECT_EQ(client.readLine(huge), "two") << huge;
    }
}

TEST_F(HugeRead, ReceiveDatagramReturnsTheDatagram) {
    UdpSocket receiver(net), sender(net);
    ASSERT_TRUE(receiver.bind(HostAddress("127.0.0.1"), 6000));
    for (std::int64_t huge : kHuge) {
        ASSERT_EQ(sender.writeDatagram("ping", HostAddress("127.0.0.1"), 6000), 4);
        ASSERT_TRUE(net.loop().runUntil([&] { return receiver.hasPendingDatagrams(); }, 1000));
        NetworkDatagram d = receiver.receiveDatagram(huge);
        EXPECT_EQ(d.data, "ping") << huge;
        EXPECT_EQ(d.senderPort, sender.localPort()) << huge;
    }
    // Nothing pending: an invalid datagram, and no allocation of maxSize.
    EXPECT_FALSE(receiver.receiveDatagram(kHuge[0]).isValid());
}

// The same through the CLI: `read` and `readDatagram` actions whose size is the loader's maximum.
TEST(HugeReadCli, ReadAndReadDatagramActionsWithTheLargestSizeRun) {
    reliability::ScratchDir dir;
    const std::string file = dir / "huge.json";
    ASSERT_TRUE(reliability::writeText(file, R"({
  "format": 1,
  "engines": ["sim"],
  "peers": [
    {"name": "srv", "kind": "tcp-server", "host": "server", "port": 8080,
     "script": [{"accept": true}, {"send": "hello"}]},
    {"name": "echo", "kind": "udp", "host": "server", "port": 9000, "script": [{"echo": true}]}
  ],
  "sockets": [{"name": "c", "type": "tcp"}, {"name": "u", "type": "udp"}],
  "actions": [
    {"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 8080},
    {"at": "0ms", "socket": "u", "call": "writeDatagram", "data": "ping", "host": "10.0.0.2", "port": 9000},
    {"at": "10ms", "socket": "c", "call": "read", "size": 9223372036854775807, "id": "r"},
    {"at": "10ms", "socket": "u", "call": "readDatagram", "size": 9223372036854775807, "id": "d"}
  ],
  "runFor": "20ms",
  "expect": {"returns": {"r": "hello", "d": 4}, "sockets": {"u": {"read": "ping"}}}
})"));
    reliability::Outcome o = reliability::runSimsock("run \"" + file + "\"");
    EXPECT_EQ(o.exitCode, 0) << o.output;
    EXPECT_EQ(o.output, "PASS " + file + "\n1 passed, 0 failed\n");
}

}  // namespace
}  // namespace simsock
