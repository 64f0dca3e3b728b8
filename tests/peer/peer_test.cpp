// The scripted peer on the simulated network: what each step does, seen from an engine at the other end.
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim_test_util.h"
#include "simsock/peer/peer.h"
#include "simsock/sim/sim_backend.h"

namespace simsock::peer::test {
namespace {

using sim::test::drain;
using sim::test::finishConnect;
using sim::test::kServer;
using sim::test::makeEndpoint;

std::string strerr(int err) { return std::strerror(err); }

class PeerTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(net.addHost("server", {kServer})); }

    /// A peer named name on host running script, started; its log lines go to events[name].
    std::unique_ptr<Peer> start(const std::string& host, const std::string& name, PeerScript script) {
        auto p = std::make_unique<Peer>(backendOn(host), name, std::move(script), environment(name));
        EXPECT_EQ(p->start(), "");
        return p;
    }
    sim::SimBackend& backendOn(const std::string& host) {
        auto& b = backends[host];
        if (!b) b = std::make_unique<sim::SimBackend>(net, host);
        return *b;
    }
    PeerEnvironment environment(const std::string& name) {
        PeerEnvironment env;
        env.log = [this, name](const PeerEvent& e) {
            events[name].push_back(e.what + " " + std::to_string(e.bytes) + (e.detail.empty() ? "" : " " + e.detail));
        };
        return env;
    }

    sim::Network net{1};
    std::map<std::string, std::unique_ptr<sim::SimBackend>> backends;
    std::map<std::string, std::vector<std::string>> events;
};

using Lines = std::vector<std::string>;
using Problems = std::vector<std::string>;

TEST_F(PeerTest, ScriptedServerReadsThenAnswersThenCloses) {
    auto peer = start("server", "srv", PeerScript().listen(7080).accept().read(5).send("hello").close());
    sim::test::Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7080), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    ASSERT_EQ(c.engine->write("12345", 5).bytes, 5);
    net.runForMs(10);
    EXPECT_TRUE(peer->finished());
    EXPECT_EQ(peer->problems(), Problems{});
    EXPECT_EQ(peer->received(), "12345");
    EXPECT_EQ(peer->accepted(), 1);
    EXPECT_EQ(peer->localPort(), 7080);
    IoResult r;
    EXPECT_EQ(drain(*c.engine, &r), "hello");
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(events["srv"], (Lines{"listen 0 port 7080", "accept 0", "recv 5", "send 5", "close 0"}));
}

TEST_F(PeerTest, EchoServerAndClientPeerLoseNothing) {
    auto server = start("server", "srv", PeerScript().listen(7007).accept().echo(100'000).close());
    // More than the client's receive buffer plus the server's send buffer: a peer reads everything that
    // arrives whatever its script waits for, so a client that sends it all before reading cannot stall.
    std::string big(100'000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
    auto client = start("local", "cli", PeerScript().connect(kServer, 7007).send(big).read(100'000).close());
    net.runForMs(5000);
    EXPECT_TRUE(client->finished());
    EXPECT_EQ(client->problems(), Problems{});
    EXPECT_EQ(client->received().size(), big.size());
    EXPECT_TRUE(client->received() == big);
    EXPECT_TRUE(server->received() == big);
    EXPECT_TRUE(server->finished());
    EXPECT_EQ(server->problems(), Problems{});
}

TEST_F(PeerTest, SilentServerCausesBackPressure) {
    auto peer = start("server", "srv", PeerScript().listen(7000).accept().silent());
    sim::test::Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
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
    EXPECT_TRUE(peer->finished());     // silent goes on at once; the connection stays unread
    EXPECT_EQ(peer->received(), "");
    EXPECT_EQ(events["srv"], (Lines{"listen 0 port 7000", "accept 0", "silent 0"}));
}

TEST_F(PeerTest, ListenOnPrivilegedPortFailsOnUnprivilegedHost) {
    Peer server(backendOn("server"), "srv", PeerScript().listen(7).accept(), environment("srv"));
    EXPECT_EQ(server.start(), "peer srv: cannot listen on port 7: " + strerr(EACCES));
    EXPECT_TRUE(server.finished());
    EXPECT_EQ(server.problems(), Problems{});  // start() reported it
    EXPECT_EQ(server.localPort(), 0);
    EXPECT_EQ(events["srv"], Lines{});
}

TEST_F(PeerTest, ClientPeerLogsRefusalAndWaits) {
    auto client = start("local", "cli", PeerScript().connect(kServer, 9).send("x"));
    net.runForMs(10);
    EXPECT_FALSE(client->finished());
    EXPECT_EQ(client->problems(), Problems{});
    EXPECT_EQ(events["cli"], (Lines{"connect 0", "connect-failed 0 " + strerr(ECONNREFUSED)}));
}

TEST_F(PeerTest, ReadWaitsForEverAfterEarlyEof) {
    auto server = start("server", "srv", PeerScript().listen(7000).accept().read(10));
    auto client = start("local", "cli", PeerScript().connect(kServer, 7000).send("abc").close());
    net.runForMs(10);
    EXPECT_EQ(server->received(), "abc");
    EXPECT_FALSE(server->finished());
    EXPECT_EQ(server->problems(), Problems{});
    EXPECT_EQ(events["srv"], (Lines{"listen 0 port 7000", "accept 0", "recv 3", "eof 0"}));
    EXPECT_TRUE(client->finished());
    EXPECT_EQ(events["cli"], (Lines{"connect 0", "connected 0", "send 3", "close 0"}));
}

TEST_F(PeerTest, ResetStepGivesClientEconnreset) {
    auto server = start("server", "srv", PeerScript().listen(7000).accept().delay(5'000'000).reset());
    sim::test::Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7000), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    net.runForMs(4);
    char buf[4];
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, EAGAIN);
    net.runForMs(2);
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, ECONNRESET);
    EXPECT_TRUE(server->finished());
}

// The environment's connection faults (a real engine's event-triggered faults): asked on accept and after
// each read or write of an accepted connection, with the listen step's port and the bytes carried.
TEST_F(PeerTest, ConnectionFaultClosesOnAccept) {
    std::vector<std::string> asked;
    PeerEnvironment env = environment("srv");
    env.connectionFault = [&asked](const ConnectionProgress& p) {
        asked.push_back(std::to_string(p.port) + (p.accepted ? " accepted " : " carried ") + std::to_string(p.before) +
                        "->" + std::to_string(p.after));
        return p.accepted ? ConnectionFault::Close : ConnectionFault::None;
    };
    auto server = std::make_unique<Peer>(backendOn("server"), "srv", PeerScript().listen(7000).accept(), env);
    ASSERT_EQ(server->start(), "");
    sim::test::Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7000), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    net.runForMs(5);
    char buf[4];
    EXPECT_TRUE(c.engine->read(buf, sizeof buf).eof);
    EXPECT_EQ(asked, (Lines{"7000 accepted 0->0"}));
    EXPECT_EQ(events["srv"], (Lines{"listen 0 port 7000", "accept 0", "close 0"}));
}

TEST_F(PeerTest, ConnectionFaultResetsOnceBytesAreCarried) {
    std::vector<std::string> asked;
    PeerEnvironment env = environment("srv");
    env.connectionFault = [&asked](const ConnectionProgress& p) {
        asked.push_back(std::to_string(p.port) + (p.accepted ? " accepted " : " carried ") + std::to_string(p.before) +
                        "->" + std::to_string(p.after));
        return !p.accepted && p.before < 5 && p.after >= 5 ? ConnectionFault::Reset : ConnectionFault::None;
    };
    auto server = std::make_unique<Peer>(backendOn("server"), "srv", PeerScript().listen(7000).accept().send("hi"), env);
    ASSERT_EQ(server->start(), "");
    sim::test::Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 7000), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c), 0);
    net.runForMs(5);
    ASSERT_EQ(c.engine->write("0123456789", 10).bytes, 10);
    net.runForMs(5);
    char buf[4];
    IoResult r = c.engine->read(buf, 2);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(r.bytes)), "hi");
    EXPECT_EQ(c.engine->read(buf, sizeof buf).error, ECONNRESET);
    EXPECT_EQ(server->received(), "0123456789");
    EXPECT_EQ(asked, (Lines{"7000 accepted 0->0", "7000 carried 0->2", "7000 carried 2->12"}));
    EXPECT_EQ(events["srv"], (Lines{"listen 0 port 7000", "accept 0", "send 2", "recv 10", "reset 0"}));
}

TEST_F(PeerTest, CloseWaitsForQueuedBytes) {
    auto server = start("server", "srv", PeerScript().listen(7000).accept().silent());
    // 300 kB do not fit the silent server's window; close() comes right after the send that queued them.
    auto client = start("local", "cli", PeerScript().connect(kServer, 7000).send(std::string(300'000, 'q')).close());
    net.runForMs(100);
    EXPECT_TRUE(client->finished());
    std::int64_t sent = 0;
    for (const auto& line : events["cli"]) {
        EXPECT_NE(line, "close 0");
        if (line.rfind("send ", 0) == 0) sent += std::stoll(line.substr(5));
    }
    EXPECT_EQ(sent, 131072 + 16384);  // the server's receive buffer plus the client's send buffer
    EXPECT_EQ(server->received(), "");
}

TEST_F(PeerTest, UdpEchoAndReadingAfterTheScript) {
    auto echo = start("server", "echo", PeerScript().bind(9009).echo());
    auto client = start("local", "cli", PeerScript().bind(0).sendTo(kServer, 9009, "one").sendTo(kServer, 9009, "two"));
    net.runForMs(10);
    EXPECT_EQ(echo->datagrams(), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(client->datagrams(), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(client->received(), "onetwo");
    EXPECT_EQ(client->localPort(), 32768);
    EXPECT_TRUE(client->finished());  // the script ended; the peer still reads and records
    EXPECT_TRUE(echo->finished());    // echo() goes on at once and echoes for ever
    // Both datagrams arrive at the same virtual time: one notification reads both, then echoes them.
    EXPECT_EQ(events["echo"], (Lines{"bind 0 port 9009", "recv 3", "recv 3", "echo 3", "echo 3"}));
}

TEST_F(PeerTest, UdpSendGoesToConnectDestinationThenToLastSender) {
    auto server = start("server", "srv", PeerScript().bind(9009).read(1).send("back"));
    auto client = start("local", "cli", PeerScript().bind(0).connect(kServer, 9009).send("hi").read(1));
    net.runForMs(10);
    EXPECT_EQ(server->datagrams(), (std::vector<std::string>{"hi"}));
    EXPECT_EQ(client->datagrams(), (std::vector<std::string>{"back"}));
    EXPECT_TRUE(server->finished());
    EXPECT_TRUE(client->finished());
    EXPECT_EQ(server->problems(), Problems{});
}

TEST_F(PeerTest, UdpSendWithNowhereToGoIsAProblem) {
    auto p = start("local", "cli", PeerScript().bind(0).send("lost"));
    EXPECT_TRUE(p->finished());
    EXPECT_EQ(p->problems(), Problems{"peer cli: send before any datagram arrived (give the peer \"connect\")"});
}

TEST_F(PeerTest, StepWithoutConnectionEndsTheScript) {
    auto p = start("server", "srv", PeerScript().listen(7000).send("x").close());
    EXPECT_TRUE(p->finished());
    EXPECT_EQ(p->problems(), Problems{"peer srv: a step needs a connection, but none was accepted or made"});
}

TEST_F(PeerTest, ScriptBuilderRecordsSteps) {
    PeerScript s;
    s.accept().read(5).send("hi").echo().close().reset().silent().delay(7);
    ASSERT_EQ(s.steps().size(), 8u);
    EXPECT_EQ(s.steps()[1].count, 5);
    EXPECT_EQ(s.steps()[2].data, "hi");
    EXPECT_EQ(s.steps()[7].delayNs, 7);
    EXPECT_EQ(s.steps()[3].kind, Step::Kind::Echo);
    EXPECT_EQ(s.steps()[3].count, 0);  // echo(): for ever
    PeerScript t = PeerScript().listen(80).connect(kServer, 81).sendTo("server", 82, "d").echo(4);
    ASSERT_EQ(t.steps().size(), 4u);
    EXPECT_EQ(t.steps()[0].port, 80);
    EXPECT_EQ(t.steps()[1].host, "10.0.0.2");
    EXPECT_EQ(t.steps()[1].port, 81);
    EXPECT_EQ(t.steps()[2].kind, Step::Kind::SendTo);
    EXPECT_EQ(t.steps()[2].host, "server");
    EXPECT_EQ(t.steps()[2].data, "d");
    EXPECT_EQ(t.steps()[3].count, 4);
}

}  // namespace
}  // namespace simsock::peer::test
