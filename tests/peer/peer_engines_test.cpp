// One script, two engines: the same peers on the simulated network and on epoll over loopback receive
// the same bytes and log the same lines (times and ports aside).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simsock/epoll/epoll_backend.h"
#include "simsock/peer/peer.h"
#include "simsock/sim/sim_backend.h"

namespace simsock::peer::test {
namespace {

using Lines = std::vector<std::string>;

/// Where a server peer and a client peer run on one engine, and how the client reaches the server.
class Place {
public:
    virtual ~Place() = default;
    virtual Backend& server() = 0;
    virtual Backend& client() = 0;
    virtual HostAddress serverAddress() const = 0;
    /// The port the server's script names (the sim's own; 0 on loopback: any free one).
    virtual std::uint16_t serverPort() const = 0;
    virtual PeerEnvironment environment() const { return {}; }
};

class SimPlace final : public Place {
public:
    SimPlace() { EXPECT_TRUE(net_.addHost("server", {kServer})); }
    Backend& server() override { return server_; }
    Backend& client() override { return client_; }
    HostAddress serverAddress() const override { return kServer; }
    std::uint16_t serverPort() const override { return 7000; }

private:
    inline static const HostAddress kServer{"10.0.0.2"};
    sim::Network net_{1};
    sim::SimBackend server_{net_, "server"};
    sim::SimBackend client_{net_, "local"};
};

class EpollPlace final : public Place {
public:
    Backend& server() override { return backend_; }
    Backend& client() override { return backend_; }
    HostAddress serverAddress() const override { return HostAddress::SpecialAddress::LocalHost; }
    std::uint16_t serverPort() const override { return 0; }
    // Loopback only, and a port of its own: nothing here is reachable from outside or shared.
    PeerEnvironment environment() const override {
        PeerEnvironment env;
        env.bind = [](SocketEngine& engine, std::uint16_t port, SocketType) {
            return engine.bind(HostAddress::SpecialAddress::LocalHost, port, BindFlag::DontShareAddress);
        };
        return env;
    }

private:
    epoll::EpollBackend backend_;
};

/// What the two peers ended with.
struct Outcome {
    std::string serverReceived, clientReceived;
    std::vector<std::string> serverDatagrams, clientDatagrams;
    Lines serverLog, clientLog;
    std::vector<std::string> problems;
    bool done = false;
};

/// The server's script for the port it is to use.
using ServerScript = std::function<PeerScript(std::uint16_t port)>;
/// The client's script, once the server's address and real port are known.
using ClientScript = std::function<PeerScript(const HostAddress& server, std::uint16_t port)>;
/// When the run is over.
using Done = std::function<bool(const Peer& server, const Peer& client, const Outcome& sofar)>;

// A log line without the time and without a listen/bind port, which differ between the engines.
std::string line(const PeerEvent& e) {
    std::string s = e.what + " " + std::to_string(e.bytes);
    if (!e.detail.empty() && e.detail.rfind("port ", 0) != 0) s += " " + e.detail;
    return s;
}

Outcome runOn(Place& place, const ServerScript& serverScript, const ClientScript& clientScript, const Done& done) {
    Outcome out;
    PeerEnvironment serverEnv = place.environment(), clientEnv = place.environment();
    serverEnv.log = [&out](const PeerEvent& e) { out.serverLog.push_back(line(e)); };
    clientEnv.log = [&out](const PeerEvent& e) { out.clientLog.push_back(line(e)); };
    Peer server(place.server(), "srv", serverScript(place.serverPort()), serverEnv);
    EXPECT_EQ(server.start(), "");
    Peer client(place.client(), "cli", clientScript(place.serverAddress(), server.localPort()), clientEnv);
    EXPECT_EQ(client.start(), "");
    out.done = place.server().loop().runUntil([&] { return done(server, client, out); }, 10'000);
    out.serverReceived = server.received();
    out.clientReceived = client.received();
    out.serverDatagrams = server.datagrams();
    out.clientDatagrams = client.datagrams();
    for (const Peer* p : {&server, &client})
        out.problems.insert(out.problems.end(), p->problems().begin(), p->problems().end());
    return out;
}

/// The same peers on the sim and on epoll.
std::pair<Outcome, Outcome> runOnBoth(const ServerScript& serverScript, const ClientScript& clientScript,
                                      const Done& done) {
    SimPlace sim;
    Outcome a = runOn(sim, serverScript, clientScript, done);
    EpollPlace epoll;
    Outcome b = runOn(epoll, serverScript, clientScript, done);
    return {a, b};
}

bool endsWith(const Lines& log, const std::string& prefix) { return !log.empty() && log.back().rfind(prefix, 0) == 0; }

TEST(PeerEnginesTest, RequestReplyEchoClose) {
    auto server = [](std::uint16_t port) { return PeerScript().listen(port).accept().read(5).send("hello").echo(6).close(); };
    auto client = [](const HostAddress& a, std::uint16_t port) {
        return PeerScript().connect(a, port).send("12345").read(5).send("abcdef").read(6);
    };
    auto done = [](const Peer& s, const Peer& c, const Outcome& o) {
        return s.finished() && c.finished() && endsWith(o.clientLog, "eof");
    };
    auto [sim, epoll] = runOnBoth(server, client, done);
    for (const Outcome* o : {&sim, &epoll}) {
        EXPECT_TRUE(o->done);
        EXPECT_EQ(o->serverReceived, "12345abcdef");
        EXPECT_EQ(o->clientReceived, "helloabcdef");
        EXPECT_EQ(o->problems, std::vector<std::string>{});
    }
    EXPECT_EQ(sim.serverLog, (Lines{"listen 0", "accept 0", "recv 5", "send 5", "recv 6", "send 6", "close 0"}));
    EXPECT_EQ(sim.clientLog, (Lines{"connect 0", "connected 0", "send 5", "recv 5", "send 6", "recv 6", "eof 0"}));
    EXPECT_EQ(epoll.serverLog, sim.serverLog);
    EXPECT_EQ(epoll.clientLog, sim.clientLog);
}

TEST(PeerEnginesTest, MegabyteThroughAnEchoServer) {
    auto server = [](std::uint16_t port) { return PeerScript().listen(port).accept().echo(); };
    std::string big(1 << 20, 0);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
    auto client = [&big](const HostAddress& a, std::uint16_t port) {
        return PeerScript().connect(a, port).send(big).read(static_cast<std::int64_t>(big.size())).close();
    };
    auto done = [](const Peer&, const Peer& c, const Outcome& o) { return c.finished() && endsWith(o.serverLog, "eof"); };
    auto [sim, epoll] = runOnBoth(server, client, done);
    for (const Outcome* o : {&sim, &epoll}) {
        EXPECT_TRUE(o->done);
        EXPECT_EQ(o->serverReceived.size(), big.size());
        EXPECT_TRUE(o->serverReceived == big);
        EXPECT_TRUE(o->clientReceived == big);
        EXPECT_EQ(o->problems, std::vector<std::string>{});
    }
}

TEST(PeerEnginesTest, ResetReachesTheClientAsConnectionReset) {
    auto server = [](std::uint16_t port) { return PeerScript().listen(port).accept().read(1).reset(); };
    auto client = [](const HostAddress& a, std::uint16_t port) { return PeerScript().connect(a, port).send("x").read(1); };
    auto done = [](const Peer& s, const Peer&, const Outcome& o) { return s.finished() && endsWith(o.clientLog, "error"); };
    auto [sim, epoll] = runOnBoth(server, client, done);
    EXPECT_TRUE(sim.done);
    EXPECT_TRUE(epoll.done);
    EXPECT_EQ(sim.serverReceived, "x");
    EXPECT_EQ(sim.serverLog, (Lines{"listen 0", "accept 0", "recv 1", "reset 0"}));
    EXPECT_EQ(sim.clientLog, (Lines{"connect 0", "connected 0", "send 1", "error 0 Connection reset by peer"}));
    EXPECT_EQ(epoll.serverReceived, sim.serverReceived);
    EXPECT_EQ(epoll.serverLog, sim.serverLog);
    EXPECT_EQ(epoll.clientLog, sim.clientLog);
}

TEST(PeerEnginesTest, UdpDatagramsEchoedToTheirSender) {
    auto server = [](std::uint16_t port) { return PeerScript().bind(port).echo(2); };
    auto client = [](const HostAddress& a, std::uint16_t port) {
        return PeerScript().bind(0).sendTo(a, port, "one").sendTo(a, port, "two").read(2);
    };
    auto done = [](const Peer& s, const Peer& c, const Outcome&) { return s.finished() && c.finished(); };
    auto [sim, epoll] = runOnBoth(server, client, done);
    for (const Outcome* o : {&sim, &epoll}) {
        EXPECT_TRUE(o->done);
        EXPECT_EQ(o->serverDatagrams, (std::vector<std::string>{"one", "two"}));
        EXPECT_EQ(o->clientDatagrams, (std::vector<std::string>{"one", "two"}));
        EXPECT_EQ(o->problems, std::vector<std::string>{});
    }
}

}  // namespace
}  // namespace simsock::peer::test
