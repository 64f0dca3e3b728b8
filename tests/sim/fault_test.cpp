#include <cerrno>
#include <string>
#include <vector>

#include "sim_test_util.h"
#include "simsock/peer/peer.h"
#include "simsock/sim/sim_backend.h"

namespace simsock::sim::test {
namespace {


class FaultTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(net.addHost("server", {kServer}));
        net.setObserver([this](const NetEvent& e) { log.push_back(toString(e)); });
    }
    bool logged(const std::string& needle) const {
        for (const auto& line : log)
            if (line.find(needle) != std::string::npos) return true;
        return false;
    }
    Network net{1};
    std::vector<std::string> log;
};

TEST_F(FaultTest, RefusePortRefusesEvenWithAListener) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    net.injectFault(FaultSpec::refusePort("server", 8080));
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), ECONNREFUSED);
    EXPECT_EQ(c.receiver->connectTimeNs, 100'000);
    EXPECT_TRUE(logged("fault server 10.0.0.2:8080 refuse-port server:8080: SYN answered with RST"));
}

TEST_F(FaultTest, AtTimeTriggerAndClear) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    const FaultId id = net.injectFault(FaultSpec::refusePort("server", 8080), FaultTrigger::atNsTime(100'000'000));
    Endpoint c1 = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c1.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c1), 0);
    net.runForMs(200);
    Endpoint c2 = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c2.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c2), ECONNREFUSED);
    EXPECT_TRUE(net.clearFault(id));
    EXPECT_FALSE(net.clearFault(id));
    Endpoint c3 = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c3.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c3), 0);
}

TEST_F(FaultTest, DurationEndsACondition) {
    FaultSpec f = FaultSpec::networkUnreachable("server");
    f.durationNs = 50'000'000;
    net.injectFault(f);
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(c.engine->connect(kServer, 8080), ENETUNREACH);
    net.runForMs(50);
    EXPECT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), ECONNREFUSED);
}

TEST_F(FaultTest, DropSynLeavesConnectHanging) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    net.injectFault(FaultSpec::dropSyn("server", 8080));
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c, 30'000), -1);
    EXPECT_EQ(net.simLoop().nowNs(), 30'000'000'000);
    EXPECT_TRUE(logged("SYN dropped"));
}

TEST_F(FaultTest, CloseConnectionOnAccept) {
    net.injectFault(FaultSpec::closeConnection("server", 8080), FaultTrigger::onAccept("server", 8080));
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    net.runForMs(1);
    IoResult r;
    EXPECT_EQ(drain(*p.client.engine, &r), "");
    EXPECT_TRUE(r.eof);
    // The next connection is not affected: the trigger fired once.
    Endpoint c2 = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c2.engine->connect(kServer, 8080), EINPROGRESS);
    ASSERT_EQ(finishConnect(net, c2), 0);
    net.runForMs(1);
    char buf[4];
    EXPECT_EQ(c2.engine->read(buf, sizeof buf).error, EAGAIN);
}

TEST_F(FaultTest, ResetConnectionAfterBytes) {
    net.injectFault(FaultSpec::resetConnection("server", 8080), FaultTrigger::afterBytes("server", 8080, 5));
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    ASSERT_EQ(p.client.engine->write("abcd", 4).bytes, 4);
    net.runForMs(1);
    char buf[16];
    EXPECT_EQ(p.client.engine->read(buf, sizeof buf).error, EAGAIN);
    ASSERT_EQ(p.client.engine->write("efgh", 4).bytes, 4);  // carried reaches 8 >= 5
    net.runForMs(1);
    EXPECT_EQ(p.client.engine->read(buf, sizeof buf).error, ECONNRESET);
    EXPECT_EQ(p.server.engine->read(buf, sizeof buf).bytes, 8);  // what arrived stays readable
    EXPECT_EQ(p.server.engine->read(buf, sizeof buf).error, ECONNRESET);
    EXPECT_TRUE(logged("reset-connection server:8080: RST"));
}

TEST_F(FaultTest, PartitionHoldsSegmentsUntilHealed) {
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    net.injectFault(FaultSpec::partition("local", "server"));
    ASSERT_EQ(p.client.engine->write("abc", 3).bytes, 3);
    net.runForMs(1000);
    EXPECT_EQ(p.server.engine->bytesAvailable(), 0);
    net.injectFault(FaultSpec::heal("server", "local"));
    const std::int64_t healedAt = net.simLoop().nowNs();
    net.simLoop().runUntil([&] { return p.server.engine->bytesAvailable() == 3; }, 1000);
    EXPECT_EQ(p.server.engine->bytesAvailable(), 3);
    EXPECT_LE(net.simLoop().nowNs() - healedAt, 200'000'000);  // the next retransmission gets through
    EXPECT_TRUE(logged("partition local server: segment held back"));
    EXPECT_TRUE(logged("1 partition(s) healed"));
}

TEST_F(FaultTest, PartitionLosesSynsAndDatagrams) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    net.injectFault(FaultSpec::partition("local", "server"));
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c, 5000), -1);
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(u.engine->writeDatagram("x", 1, kServer, 53).bytes, 1);
    EXPECT_TRUE(logged("partition local server: datagram lost"));
}

TEST_F(FaultTest, HostUnreachableAfterDelay) {
    net.injectFault(FaultSpec::hostUnreachable("server", 1'500'000'000));
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), EHOSTUNREACH);
    EXPECT_EQ(c.receiver->connectTimeNs, 1'500'000'000);
}

TEST_F(FaultTest, NetworkUnreachableEverywhereButLoopback) {
    net.injectFault(FaultSpec::networkUnreachable());
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    EXPECT_EQ(c.engine->connect(kServer, 8080), ENETUNREACH);
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    EXPECT_EQ(u.engine->writeDatagram("x", 1, kServer, 53).error, ENETUNREACH);
    EXPECT_EQ(u.engine->writeDatagram("x", 1, HostAddress("127.0.0.1"), 53).bytes, 1);
}

TEST_F(FaultTest, LookupFailureAndClear) {
    const FaultId id = net.injectFault(FaultSpec::lookupFailure("server", DnsFailure::ServFail));
    HostInfo got;
    net.resolver().lookupHost("server", [&](const HostInfo& i) { got = i; });
    net.simLoop().run();
    EXPECT_EQ(got.error, HostInfo::Error::UnknownError);
    net.clearFault(id);
    net.injectFault(FaultSpec::lookupFailure("server"));
    net.resolver().lookupHost("server", [&](const HostInfo& i) { got = i; });
    net.simLoop().run();
    EXPECT_EQ(got.error, HostInfo::Error::HostNotFound);
}

TEST_F(FaultTest, DescriptorExhaustion) {
    net.injectFault(FaultSpec::descriptorExhaustion("local"));
    auto e = net.createEngineOn("local", SocketType::TcpSocket);
    EXPECT_EQ(e->initialize(NetworkLayerProtocol::IPv4Protocol), EMFILE);
    auto s = net.createEngineOn("server", SocketType::TcpSocket);
    EXPECT_EQ(s->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_TRUE(logged("descriptor-exhaustion local: EMFILE"));
}

TEST_F(FaultTest, AddressInUseAndAccessDenied) {
    net.injectFault(FaultSpec::addressInUse("server", 9000));
    net.setHostPrivileged("server", true);
    net.injectFault(FaultSpec::accessDenied("server", 443));
    Endpoint a = makeEndpoint(net, "server", SocketType::TcpSocket);
    EXPECT_EQ(a.engine->bind(kServer, 9000, BindFlag::DefaultForPlatform), EADDRINUSE);
    EXPECT_EQ(a.engine->bind(kServer, 443, BindFlag::DefaultForPlatform), EACCES);
    EXPECT_EQ(a.engine->bind(kServer, 80, BindFlag::DefaultForPlatform), 0);
}

TEST_F(FaultTest, DatagramLimit) {
    net.injectFault(FaultSpec::datagramLimit("local", 100));
    Endpoint u = makeEndpoint(net, "local", SocketType::UdpSocket);
    std::string d(101, 'q');
    EXPECT_EQ(u.engine->writeDatagram(d.data(), 101, kServer, 53).error, EMSGSIZE);
    EXPECT_EQ(u.engine->writeDatagram(d.data(), 100, kServer, 53).bytes, 100);
    EXPECT_TRUE(logged("datagram-limit local limit=100: EMSGSIZE for 101 bytes"));
}

TEST_F(FaultTest, ConnectTimeout) {
    Endpoint l = makeListener(net, "server", kServer, 8080);
    net.injectFault(FaultSpec::connectTimeout("server", 8080, 2'000'000'000));
    Endpoint c = makeEndpoint(net, "local", SocketType::TcpSocket);
    ASSERT_EQ(c.engine->connect(kServer, 8080), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, c), ETIMEDOUT);
    EXPECT_EQ(c.receiver->connectTimeNs, 2'000'000'000);
}

TEST_F(FaultTest, TcpLossDelaysButNeverReorders) {
    LinkParams lp;
    lp.lossPpm = 500'000;
    lp.mtu = 100;  // 60-byte segments
    net.setLink("local", "server", lp);
    Pair p = connectPair(net, "local", "server", kServer, 8080);
    std::string payload;
    for (int i = 0; i < 3000; ++i) payload.push_back(static_cast<char>('A' + i % 50));
    ASSERT_EQ(p.client.engine->write(payload.data(), payload.size()).bytes, 3000);
    net.runForMs(10'000);
    EXPECT_EQ(drain(*p.server.engine), payload);
    EXPECT_TRUE(logged("link loss: segment of 60 bytes retransmitted"));
}

std::vector<std::string> scenarioLog(std::uint64_t seed) {
    Network n(seed);
    std::vector<std::string> out;
    n.setObserver([&](const NetEvent& e) { out.push_back(toString(e)); });
    EXPECT_TRUE(n.addHost("server", {kServer}));
    LinkParams lp;
    lp.jitterNs = 40'000;
    lp.lossPpm = 100'000;
    lp.duplicatePpm = 100'000;
    lp.bandwidthBytesPerSec = 1'000'000;
    n.setLink("local", "server", lp);
    n.injectFault(FaultSpec::resetConnection("server", 7007), FaultTrigger::afterBytes("server", 7007, 3000));
    // The peers' own log lines go into the same log, as the network's observer does with its events.
    peer::PeerEnvironment env;
    env.log = [&out](const peer::PeerEvent& e) {
        out.push_back(std::to_string(e.timeNs) + " peer " + e.what + " " + std::to_string(e.bytes) + " " + e.detail);
    };
    SimBackend server(n, "server"), local(n, "local");
    using peer::PeerScript;
    peer::Peer echo(server, "echo", PeerScript().listen(7007).accept().echo(), env);
    peer::Peer client(local, "client",
                      PeerScript().connect(kServer, 7007).send(std::string(5000, 'e')).read(5000), env);
    peer::Peer udpEcho(server, "udpEcho", PeerScript().bind(9009).echo(), env);
    PeerScript u = PeerScript().bind(0);
    for (int i = 0; i < 20; ++i) u.sendTo(kServer, 9009, "d" + std::to_string(i)).delay(1'000'000);
    peer::Peer udpClient(local, "udpClient", u, env);
    for (peer::Peer* p : {&echo, &client, &udpEcho, &udpClient}) EXPECT_EQ(p->start(), "");
    n.runForMs(5000);
    return out;
}

TEST(FaultDeterminismTest, SameSeedSameObserverLog) {
    const auto a = scenarioLog(1234);
    const auto b = scenarioLog(1234);
    ASSERT_GT(a.size(), 50u);
    EXPECT_EQ(a, b);
    auto has = [&a](const std::string& needle) {
        for (const auto& line : a)
            if (line.find(needle) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(has("reset-connection server:7007: RST"));
    EXPECT_TRUE(has("link duplication"));
    EXPECT_TRUE(has("udp"));
    EXPECT_NE(scenarioLog(4321), a);
}

}  // namespace
}  // namespace simsock::sim::test
