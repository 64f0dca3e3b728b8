#include <cerrno>
#include <string>

#include "sim_test_util.h"
#include "simsock/sim/peer.h"

namespace simsock::sim::test {
namespace {


class PeerTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(net.addHost("server", {kServer})); }
    Network net{1};
};

TEST_F(PeerTest, ScriptedServerReadsThenAnswersThenCloses) {
    auto peer = Peer::tcpServer(net, "server", 80 + 7000, PeerScript().accept().read(5).send("hello").close());
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7080), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    ASSERT_EQ(c.engine->write("12345", 5).bytes, 5);
    net.runForMs(10);
    EXPECT_TRUE(peer->finished());
    EXPECT_EQ(peer->error(), "");
    EXPECT_EQ(peer->received(), "12345");
    EXPECT_EQ(peer->accepted(), 1);
    IoResult r;
    EXPECT_EQ(drain(*c.engine, &r), "hello");
    EXPECT_TRUE(r.eof);
}

TEST_F(PeerTest, EchoServerAndClientPeerLoseNothing) {
    auto server = Peer::tcpServer(net, "server", 7007, PeerScript().accept().echo().close());
    // Below the client's receive buffer plus the server's send buffer: a client that sends everything
    // before reading would otherwise deadlock against an echo server, exactly as on a real network.
    std::string big(100'000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
    auto client = Peer::tcpClient(net, "local", kServer, 7007, PeerScript().send(big).read(100'000).close());
    net.runForMs(5000);
    EXPECT_TRUE(client->finished());
    EXPECT_EQ(client->error(), "");
    EXPECT_EQ(client->received().size(), big.size());
    EXPECT_TRUE(client->received() == big);
    EXPECT_TRUE(server->received() == big);
    EXPECT_TRUE(server->finished());
}

TEST_F(PeerTest, SilentServerCausesBackPressure) {
    auto peer = Peer::tcpServer(net, "server", 7000, PeerScript().accept().silent());
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7000), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    std::string chunk(65536, 's');
    std::int64_t total = 0;
    for (int i = 0; i < 100; ++i) {
        const IoResult r = c.engine->write(chunk.data(), chunk.size());
        if (r.error == EAGAIN) {
            net.runForMs(10);
            continue;
        }
        total += r.bytes;
    }
    EXPECT_EQ(c.engine->write(chunk.data(), chunk.size()).error, EAGAIN);
    EXPECT_EQ(total, 131072 + 16384);  // the peer's receive buffer plus our send buffer
    EXPECT_FALSE(peer->finished());
}

TEST_F(PeerTest, ListenOnPrivilegedPortFailsOnUnprivilegedHost) {
    auto server = Peer::tcpServer(net, "server", 7, PeerScript().accept());
    EXPECT_TRUE(server->finished());
    EXPECT_EQ(server->error(), "listen: errno " + std::to_string(EACCES));
}

TEST_F(PeerTest, ClientPeerReportsRefusal) {
    auto client = Peer::tcpClient(net, "local", kServer, 9, PeerScript().send("x"));
    net.runForMs(10);
    EXPECT_TRUE(client->finished());
    EXPECT_EQ(client->error(), "connect: errno " + std::to_string(ECONNREFUSED));
}

TEST_F(PeerTest, ReadFailsOnEarlyEof) {
    auto server = Peer::tcpServer(net, "server", 7000, PeerScript().accept().read(10));
    auto client = Peer::tcpClient(net, "local", kServer, 7000, PeerScript().send("abc").close());
    net.runForMs(10);
    EXPECT_EQ(server->error(), "read: eof after 3 of 10 bytes");
    EXPECT_EQ(server->received(), "abc");
}

TEST_F(PeerTest, ResetStepGivesClientEconnreset) {
    auto server = Peer::tcpServer(net, "server", 7000, PeerScript().accept().delay(5).reset());
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7000), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    net.runForMs(4);
    char buf[4];
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, EAGAIN);
    net.runForMs(2);
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, ECONNRESET);
}

TEST_F(PeerTest, UdpEchoAndIgnore) {
    auto echo = Peer::udp(net, "server", 9009, PeerScript().echo());
    auto client = Peer::udp(net, "local", 0,
                            PeerScript().sendTo(kServer, 9009, "one").sendTo(kServer, 9009, "two").ignore());
    net.runForMs(10);
    EXPECT_EQ(echo->datagrams(), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(client->datagrams(), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(client->localPort(), 32768);
    EXPECT_FALSE(client->finished());  // ignore() runs for ever
}

TEST_F(PeerTest, ScriptBuilderRecordsSteps) {
    PeerScript s;
    s.accept().read(5).send("hi").echo().close().reset().silent().delay(7);
    ASSERT_EQ(s.steps().size(), 8u);
    EXPECT_EQ(s.steps()[1].count, 5);
    EXPECT_EQ(s.steps()[2].data, "hi");
    EXPECT_EQ(s.steps()[7].delayMs, 7);
    EXPECT_STREQ(toString(s.steps()[3].kind), "echo");
}

}  // namespace
}  // namespace simsock::sim::test
