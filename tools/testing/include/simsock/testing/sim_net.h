// A simulated network for one test: seeded (SIMSOCK_SEED overrides, every failure names the seed), with
// hosts, sockets on hosts, scripted peers, faults as C++ calls, virtual-time control and a recording.
//
//   SimNet net;                                           // host "local" exists (127.0.0.1, 192.0.2.1)
//   net.addHost("server", "10.0.0.2");
//   net.peer("srv", "server", PeerScript().listen(8080).accept().read(5).send("hi").close());
//   auto& c = net.tcpSocket("c");                         // on "local"
//   net.dropSyn("server", 8080);                          // faults: fault_calls.h
//   c.connectToHost("server", 8080);
//   ASSERT_TRUE(net.runUntil([&] { return c.state() == SocketState::UnconnectedState; }));
//   EXPECT_THAT(net.events("c"), Contains("errorOccurred(SocketTimeoutError)"));
//
// Objects made through it live as long as it does. Time moves only inside advance, runUntil and
// runUntilIdle (and the blocking waitFor* calls of sockets).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "simsock/sim/link.h"
#include "simsock/sim/network.h"
#include "simsock/sim/sim_backend.h"
#include "simsock/testing/fault_calls.h"
#include "simsock/testing/seed.h"
#include "simsock/testing/stage.h"

namespace simsock::testing {

/// How long runUntil and runUntilIdle wait by default: one virtual minute (twice Qt's connect timeout).
inline constexpr std::int64_t kDefaultLimitMs = 60'000;

class SimNet : public FaultCalls {
public:
    /// A network seeded with seed, or SIMSOCK_SEED when set; the seed is reported while it lives, on every
    /// failure, with where the network was made.
    explicit SimNet(std::uint64_t seed = kDefaultSeed, const char* file = __builtin_FILE(), int line = __builtin_LINE())
        : SimNet(seed, CodeLocation{file, line}) {}
    /// The same, with failures pointing at where (SimTest: the test's own line).
    SimNet(std::uint64_t seed, CodeLocation where);
    ~SimNet() override;
    SimNet(const SimNet&) = delete;
    SimNet& operator=(const SimNet&) = delete;

    /// The seed in use.
    std::uint64_t seed() const { return report_.seed(); }
    /// The network itself, for what the kit does not wrap (DNS records, descriptor limits, ...).
    sim::Network& network() { return net_; }

    // Hosts.
    /// Adds a host with one address (and a DNS record for its name) and returns it, for sockets and servers
    /// of your own. A taken name is a test failure (the existing host is returned); an address of another
    /// host, or text that is no address, is a test failure that throws (std::out_of_range,
    /// std::invalid_argument), which ends the test.
    sim::SimBackend& addHost(const std::string& name, const std::string& address);
    /// Adds a host with several addresses, as above.
    sim::SimBackend& addHost(const std::string& name, const std::vector<HostAddress>& addresses);
    /// A host of the network ("local" exists from the start); an unknown name is a test failure (and throws
    /// std::out_of_range, which ends the test).
    sim::SimBackend& host(const std::string& name = sim::Network::kLocalHostName);
    /// The link between hosts a and b (both directions): latency, bandwidth, loss, ...
    void setLink(const std::string& a, const std::string& b, const sim::LinkParams& params);

    // Virtual time.
    /// Runs the network for ms virtual milliseconds.
    void advance(std::int64_t ms);
    /// Runs until pred holds, for at most limitMs virtual milliseconds; fails (saying when) if it never did.
    ::testing::AssertionResult runUntil(const std::function<bool()>& pred, std::int64_t limitMs = kDefaultLimitMs);
    /// Runs until nothing is left to happen (no timer, no packet in flight), for at most limitMs; fails if
    /// something still is (a repeating timer, an endless echo).
    ::testing::AssertionResult runUntilIdle(std::int64_t limitMs = kDefaultLimitMs);
    /// Runs fn at virtual time ms (now if that has passed), from the loop.
    void at(std::int64_t ms, std::function<void()> fn);
    /// Virtual time since the network was made.
    std::int64_t nowMs() { return nowNs() / 1'000'000; }
    /// Virtual time in nanoseconds.
    std::int64_t nowNs() { return net_.simLoop().nowNs(); }

    // Sockets, servers, peers; each recorded under its name.
    /// A TCP socket on host.
    TcpSocket& tcpSocket(const std::string& name, const std::string& host = sim::Network::kLocalHostName);
    /// A UDP socket on host.
    UdpSocket& udpSocket(const std::string& name, const std::string& host = sim::Network::kLocalHostName);
    /// A socket of your own type S (derived from TcpSocket or UdpSocket, constructible from a Backend&) on host.
    template <class S>
    S& socket(const std::string& name, const std::string& host = sim::Network::kLocalHostName) {
        return stage_.socket<S>(this->host(host), name);
    }
    /// A TcpServer on host listening on port (every address of the host) that accepts every connection;
    /// accepted sockets are "<name>.0", "<name>.1", ...
    Listener& listen(const std::string& name, const std::string& host, std::uint16_t port);
    /// The same, listening on one address of the host only.
    Listener& listen(const std::string& name, const std::string& host, const HostAddress& address, std::uint16_t port);
    /// A scripted peer on host, started. The hosts of its connect and sendTo steps may be literals or host
    /// names of this network.
    peer::Peer& peer(const std::string& name, const std::string& host, PeerScript script);
    /// Every peer's runtime problems ("srv: ..."); empty when all went as scripted.
    std::vector<std::string> peerProblems() const { return stage_.peerProblems(); }

    // What happened.
    /// The recording of every socket and peer made here.
    Recorder& trace() { return stage_.recorder(); }
    /// The compact events of object (everything when empty); see recorder.h.
    Events events(const std::string& object = {}) const { return stage_.recorder().events(object); }
    /// The network's own log from now on: packets, peer steps and fault decisions, one line each
    /// ("<ns> <kind> <from> -> <to> bytes=<n> <detail>"). Off until asked for: it costs time.
    void watchNetwork();
    /// The lines logged since watchNetwork().
    const std::vector<std::string>& networkLog() const { return networkLog_; }

    /// Where the sockets, servers and peers made here live.
    Stage& stage() { return stage_; }
    const Stage& stage() const { return stage_; }
    /// What peers made here are given: scripts may name hosts of this network as well as literals.
    peer::PeerEnvironment peerEnvironment();

protected:
    sim::Network& faultTarget() override { return net_; }

private:

    SeedReport report_;
    sim::Network net_;
    std::map<std::string, std::unique_ptr<sim::SimBackend>> hosts_;
    std::vector<std::string> networkLog_;
    Stage stage_;  // last: its sockets and peers go before the hosts and the network they use
};

/// A test fixture owning a SimNet `net` (seed kDefaultSeed, or SIMSOCK_SEED; failures name the seed and the
/// test's TEST_F line):
///   class Checkout : public simsock::testing::SimTest {};
///   TEST_F(Checkout, RetriesAfterARefusal) { net.refuse("server", 8080); ... }
class SimTest : public ::testing::Test {
protected:
    SimNet net{kDefaultSeed, CodeLocation::ofCurrentTest()};
};

}  // namespace simsock::testing
