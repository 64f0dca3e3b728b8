// The scripted proxy (ProxyPeer), driven byte by byte by a scripted client peer: its answers with and
// without each fault on the sim, the same conversations on epoll, and the same conversations against the
// real microsocks and tinyproxy (skipped, with the reason, when those are not installed). A target
// tcp-server peer sends "hello" and closes, so a working tunnel ends with "hello" and an end of stream.
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simsock/epoll/epoll_backend.h"
#include "simsock/peer/peer.h"
#include "simsock/peer/proxy_peer.h"
#include "simsock/scenario/real_proxy.h"
#include "simsock/sim/sim_backend.h"

namespace simsock::peer::proxytest {
namespace {

enum class Where { Sim, EpollFake, EpollReal };

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

std::string socks5Connect(const HostAddress& a, std::uint16_t port) {
    const std::uint32_t v4 = a.toIPv4Address();
    return bytes({5, 1, 0, 1, static_cast<int>(v4 >> 24), static_cast<int>((v4 >> 16) & 255),
                  static_cast<int>((v4 >> 8) & 255), static_cast<int>(v4 & 255), port >> 8, port & 255});
}

const std::string kSocksOk = bytes({5, 0, 0, 1, 0, 0, 0, 0, 0, 0});

/// What the client saw: every byte, and whether the connection ended (end of stream or error).
struct Conversation {
    std::string received;
    bool ended = false;
    std::int64_t accepted = 0;
    std::vector<std::string> problems;
    std::string skipped;  ///< why it did not run (a real server is missing)
};

/// The client's script once it knows where the proxy and the target are.
using ClientScript = std::function<PeerScript(const HostAddress& proxy, std::uint16_t proxyPort, const HostAddress& target,
                                              std::uint16_t targetPort)>;

struct SimProxyNet {
    SimProxyNet() {
        EXPECT_TRUE(net.addHost("server", {HostAddress("10.0.0.2")}));
        EXPECT_TRUE(net.addHost("proxy", {HostAddress("10.0.0.3")}));
    }
    sim::Network net{1};
    sim::SimBackend client{net, "local"};
    sim::SimBackend server{net, "server"};
    sim::SimBackend proxy{net, "proxy"};
};

PeerEnvironment loopbackEnv() {
    PeerEnvironment env;
    env.bind = [](SocketEngine& engine, std::uint16_t port, SocketType) {
        return engine.bind(HostAddress::SpecialAddress::LocalHost, port, BindFlag::DontShareAddress);
    };
    return env;
}

Conversation converse(Where where, const ProxySettings& settings, const ClientScript& script, std::int64_t timeoutMs = 3000) {
    Conversation out;
    std::unique_ptr<SimProxyNet> sim;
    std::unique_ptr<epoll::EpollBackend> real;
    if (where == Where::Sim) sim = std::make_unique<SimProxyNet>();
    else real = std::make_unique<epoll::EpollBackend>();
    Backend& clientB = sim ? static_cast<Backend&>(sim->client) : *real;
    Backend& serverB = sim ? static_cast<Backend&>(sim->server) : *real;
    Backend& proxyB = sim ? static_cast<Backend&>(sim->proxy) : *real;
    const PeerEnvironment env = sim ? PeerEnvironment{} : loopbackEnv();
    Peer target(serverB, "target", PeerScript().listen(sim ? 7000 : 0).accept().send("hello").close(), env);
    EXPECT_EQ(target.start(), "");
    std::unique_ptr<ProxyPeer> fake;
    std::unique_ptr<scenario::RealProxy> server;
    HostAddress proxyAt = sim ? HostAddress("10.0.0.3") : HostAddress(HostAddress::SpecialAddress::LocalHost);
    std::uint16_t proxyPort = 0;
    if (where == Where::EpollReal) {
        scenario::RealProxyOptions o;
        o.kind = settings.type == ProxyKind::Socks5 ? scenario::RealProxyOptions::Kind::Microsocks
                                                    : scenario::RealProxyOptions::Kind::Tinyproxy;
        o.user = settings.user;
        o.password = settings.password;
        if (!scenario::realProxyAvailable(o.kind)) return out.skipped = "not installed", out;
        std::string error;
        server = scenario::RealProxy::start(o, error);
        EXPECT_TRUE(server) << error;
        if (!server) return out;
        proxyPort = server->port();
    } else {
        ProxySettings s = settings;
        s.port = sim ? 1080 : 0;
        fake = std::make_unique<ProxyPeer>(proxyB, "px", s, env);
        EXPECT_EQ(fake->start(), "");
        proxyPort = fake->localPort();
    }
    PeerEnvironment clientEnv = env;
    clientEnv.log = [&out](const PeerEvent& e) { out.ended = out.ended || e.what == "eof" || e.what == "error"; };
    const HostAddress targetAt = sim ? HostAddress("10.0.0.2") : HostAddress(HostAddress::SpecialAddress::LocalHost);
    Peer client(clientB, "cli", script(proxyAt, proxyPort, targetAt, target.localPort()), clientEnv);
    EXPECT_EQ(client.start(), "");
    clientB.loop().runUntil([&] { return out.ended; }, timeoutMs);
    out.received = client.received();
    out.accepted = fake ? fake->accepted() : 0;
    for (const Peer* p : {&target, &client}) out.problems.insert(out.problems.end(), p->problems().begin(), p->problems().end());
    return out;
}

ProxySettings socks5(std::string user = {}, std::string password = {}) {
    ProxySettings s;
    s.user = std::move(user);
    s.password = std::move(password);
    return s;
}

ProxySettings http(std::string user = {}, std::string password = {}) {
    ProxySettings s = socks5(std::move(user), std::move(password));
    s.type = ProxyKind::Http;
    return s;
}

PeerScript socksNoAuth(const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
    return PeerScript().connect(p, pp).send(bytes({5, 1, 0})).read(2).send(socks5Connect(t, tp)).read(10);
}

PeerScript socksAuth(const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp, const std::string& pw) {
    return PeerScript().connect(p, pp).send(bytes({5, 1, 2})).read(2)
        .send(bytes({1, 1}) + "u" + static_cast<char>(pw.size()) + pw).read(2).send(socks5Connect(t, tp)).read(10);
}

std::string httpConnect(const HostAddress& t, std::uint16_t tp, const std::string& auth = {}) {
    const std::string hostPort = t.toString() + ":" + std::to_string(tp);
    std::string r = "CONNECT " + hostPort + " HTTP/1.1\r\nHost: " + t.toString() + "\r\n";
    if (!auth.empty()) r += "Proxy-Authorization: " + auth + "\r\n";
    return r + "\r\n";
}

/// The status code of the first response line, and what follows the response head.
std::pair<std::string, std::string> httpStatusAndBody(const std::string& received) {
    const auto lineEnd = received.find("\r\n");
    const auto headEnd = received.find("\r\n\r\n");
    if (lineEnd == std::string::npos || headEnd == std::string::npos || received.size() < 12) return {"?", received};
    const std::string body = received.substr(headEnd + 4);
    // tinyproxy's error pages carry HTML; only a tunnel's bytes after the head matter here.
    return {received.substr(9, 3), body.rfind("<?xml", 0) == 0 ? std::string("<page>") : body};
}

constexpr Where kAll[] = {Where::Sim, Where::EpollFake, Where::EpollReal};

TEST(ProxyPeerTest, Socks5TunnelOnEveryEngineAndAgainstMicrosocks) {
    for (Where w : kAll) {
        Conversation c = converse(w, socks5(), socksNoAuth);
        if (!c.skipped.empty()) continue;
        EXPECT_EQ(c.received, bytes({5, 0}) + kSocksOk + "hello") << static_cast<int>(w);
        EXPECT_TRUE(c.ended);
        EXPECT_EQ(c.problems, std::vector<std::string>{});
    }
}

TEST(ProxyPeerTest, Socks5UserPasswordRightAndWrong) {
    for (Where w : kAll) {
        auto right = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
            return socksAuth(p, pp, t, tp, "p");
        };
        Conversation ok = converse(w, socks5("u", "p"), right);
        if (!ok.skipped.empty()) continue;
        EXPECT_EQ(ok.received, bytes({5, 2, 1, 0}) + kSocksOk + "hello") << static_cast<int>(w);
        auto wrong = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
            return socksAuth(p, pp, t, tp, "x");
        };
        Conversation bad = converse(w, socks5("u", "p"), wrong);
        ASSERT_GE(bad.received.size(), 4u) << static_cast<int>(w);
        EXPECT_EQ(bad.received.substr(0, 3), bytes({5, 2, 1})) << static_cast<int>(w);
        EXPECT_NE(bad.received[3], 0) << static_cast<int>(w);
        EXPECT_TRUE(bad.ended);
        // Without credentials, a proxy that requires them has no acceptable method.
        Conversation none = converse(w, socks5("u", "p"), socksNoAuth);
        EXPECT_EQ(none.received, bytes({5, 0xFF})) << static_cast<int>(w);
        EXPECT_TRUE(none.ended);
    }
}

TEST(ProxyPeerTest, Socks5RefusedDestinationIsCode5) {
    for (Where w : kAll) {
        auto refused = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t) {
            return socksNoAuth(p, pp, t, 1);
        };
        Conversation c = converse(w, socks5(), refused);
        if (!c.skipped.empty()) continue;
        ASSERT_GE(c.received.size(), 4u) << static_cast<int>(w);
        EXPECT_EQ(c.received.substr(0, 4), bytes({5, 0, 5, 5})) << static_cast<int>(w);
        EXPECT_TRUE(c.ended);
    }
}

TEST(ProxyPeerTest, HttpTunnelAndAuthenticationAgainstTinyproxy) {
    for (Where w : kAll) {
        auto plain = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
            return PeerScript().connect(p, pp).send(httpConnect(t, tp));
        };
        Conversation c = converse(w, http(), plain);
        if (!c.skipped.empty()) continue;
        EXPECT_EQ(httpStatusAndBody(c.received), std::make_pair(std::string("200"), std::string("hello")))
            << static_cast<int>(w) << " " << c.received;
        Conversation challenged = converse(w, http("u", "p"), plain);
        EXPECT_EQ(httpStatusAndBody(challenged.received).first, "407") << static_cast<int>(w);
        EXPECT_NE(challenged.received.find("Proxy-Authenticate: Basic realm="), std::string::npos);
        EXPECT_TRUE(challenged.ended);
        auto withAuth = [](const std::string& pw) {
            return [pw](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
                return PeerScript().connect(p, pp).send(httpConnect(t, tp, pw == "p" ? "Basic dTpw" : "Basic dTp4"));
            };
        };
        Conversation right = converse(w, http("u", "p"), withAuth("p"));
        EXPECT_EQ(httpStatusAndBody(right.received), std::make_pair(std::string("200"), std::string("hello")))
            << static_cast<int>(w);
        Conversation wrong = converse(w, http("u", "p"), withAuth("x"));
        EXPECT_EQ(httpStatusAndBody(wrong.received).first, "401") << static_cast<int>(w);
        EXPECT_TRUE(wrong.ended);
    }
}

TEST(RealProxyTest, ListensWhereAskedAndLeavesNothingBehind) {
    for (auto kind : {scenario::RealProxyOptions::Kind::Microsocks, scenario::RealProxyOptions::Kind::Tinyproxy}) {
        if (!scenario::realProxyAvailable(kind)) GTEST_SKIP() << "tools/install-deps installs microsocks and tinyproxy-bin";
        scenario::RealProxyOptions o;
        o.kind = kind;
        o.address = HostAddress("127.0.0.7");
        o.user = "u";
        o.password = "p";
        o.connectPorts = {443, 8080};
        std::string error;
        auto server = scenario::RealProxy::start(o, error);
        ASSERT_TRUE(server) << error;
        EXPECT_EQ(server->address(), HostAddress("127.0.0.7"));
        EXPECT_NE(server->port(), 0);
        const std::string proc = "/proc/" + std::to_string(server->pid());
        const std::string dir = server->tempDir();
        EXPECT_EQ(::access(proc.c_str(), F_OK), 0);
        EXPECT_EQ(::access(dir.c_str(), F_OK), 0);
        server.reset();
        EXPECT_NE(::access(proc.c_str(), F_OK), 0) << "the server was reaped";
        EXPECT_NE(::access(dir.c_str(), F_OK), 0) << "its directory was removed";
    }
}

ProxySettings withFault(ProxySettings s, ProxyFault f, int code = 0) {
    s.fault = f;
    s.code = code;
    return s;
}

TEST(ProxyPeerTest, EachSocks5FaultAnswersAsDocumented) {
    struct Row {
        ProxyFault fault;
        int code;
        std::string received;
        bool ended;
        std::int64_t accepted;
    };
    const std::vector<Row> rows = {
        {ProxyFault::CloseOnAccept, 0, "", true, 1},
        {ProxyFault::CloseAfterGreeting, 0, "", true, 1},
        {ProxyFault::CloseAfterRequest, 0, bytes({5, 0}), true, 1},
        {ProxyFault::Garbage, 0, bytes({4, 0}), false, 1},
        {ProxyFault::NeverAnswer, 0, "", false, 1},
        {ProxyFault::ReplyCode, 9, bytes({5, 0, 5, 9, 0, 1, 0, 0, 0, 0, 0, 0}), true, 1},
        {ProxyFault::UnofferedMethod, 0, bytes({5, 1}), false, 1},
        {ProxyFault::NoAcceptableMethod, 0, bytes({5, 0xFF}), true, 1},
    };
    for (const Row& r : rows) {
        Conversation c = converse(Where::Sim, withFault(socks5(), r.fault, r.code), socksNoAuth, 200);
        EXPECT_EQ(c.received, r.received) << proxyFaultInfo(r.fault).name;
        EXPECT_EQ(c.ended, r.ended) << proxyFaultInfo(r.fault).name;
        EXPECT_EQ(c.accepted, r.accepted) << proxyFaultInfo(r.fault).name;
    }
    auto right = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
        return socksAuth(p, pp, t, tp, "p");
    };
    Conversation rejected = converse(Where::Sim, withFault(socks5("u", "p"), ProxyFault::RejectAuth), right, 200);
    EXPECT_EQ(rejected.received, bytes({5, 2, 1, 1}));
    EXPECT_TRUE(rejected.ended);
}

TEST(ProxyPeerTest, EachHttpFaultAnswersAsDocumented) {
    auto plain = [](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
        return PeerScript().connect(p, pp).send(httpConnect(t, tp));
    };
    Conversation denied = converse(Where::Sim, withFault(http(), ProxyFault::Status, 503), plain, 200);
    EXPECT_EQ(denied.received, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
    EXPECT_TRUE(denied.ended);
    Conversation bare = converse(Where::Sim, withFault(http(), ProxyFault::ChallengeMissing), plain, 200);
    EXPECT_EQ(bare.received, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
    Conversation garbage = converse(Where::Sim, withFault(http(), ProxyFault::Garbage), plain, 200);
    EXPECT_EQ(garbage.received, "SSH-2.0-garbage\r\n\r\n");
    Conversation closed = converse(Where::Sim, withFault(http(), ProxyFault::CloseAfterRequest), plain, 200);
    EXPECT_EQ(closed.received, "");
    EXPECT_TRUE(closed.ended);
    Conversation oversized = converse(Where::Sim, http(), [](const HostAddress& p, std::uint16_t pp, const HostAddress&,
                                                              std::uint16_t) {
        return PeerScript().connect(p, pp).send(std::string(kMaxProxyHead + 100, 'x'));
    }, 200);
    EXPECT_EQ(oversized.received, "");
    EXPECT_TRUE(oversized.ended);
}

TEST(ProxyPeerTest, KeptAlive407TakesTheNextConnectOnTheSameConnection) {
    ProxySettings s = http("u", "p");
    s.closeOn407 = false;
    s.realm = "fake";
    const std::string challenge = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"fake\"\r\n"
                                  "Proxy-Connection: keep-alive\r\nContent-Length: 0\r\n\r\n";
    auto twice = [&challenge](const HostAddress& p, std::uint16_t pp, const HostAddress& t, std::uint16_t tp) {
        return PeerScript().connect(p, pp).send(httpConnect(t, tp)).read(static_cast<std::int64_t>(challenge.size()))
            .send(httpConnect(t, tp, "Basic dTpw"));
    };
    Conversation c = converse(Where::Sim, s, twice, 200);
    EXPECT_EQ(c.received, challenge + "HTTP/1.1 200 Connection established\r\n\r\nhello");
    EXPECT_EQ(c.accepted, 1);
}

TEST(ProxyPeerTest, SplitAnswersArriveWhole) {
    ProxySettings s = socks5();
    s.splitDelayNs = 100'000'000;
    s.boundAddress = "192.0.2.1";
    s.boundPort = 1000;
    Conversation c = converse(Where::Sim, s, socksNoAuth);
    EXPECT_EQ(c.received, bytes({5, 0, 5, 0, 0, 1, 192, 0, 2, 1, 3, 0xE8}) + "hello");
    EXPECT_TRUE(c.ended);
}

}  // namespace
}  // namespace simsock::peer::proxytest
