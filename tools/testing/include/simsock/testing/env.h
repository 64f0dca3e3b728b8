// Where a test body runs, so one body can run on every engine (engine_test.h makes it a typed test): the
// sim flavour (sim_env.h: virtual time, seeded, a client host and a server host) and the epoll flavour
// (epoll_env.h: real loopback, real time). A body written against Env uses only what both can do:
//
//   auto& srv = env.peer("srv", PeerScript().listen(0).accept().read(5).send("hello").close());
//   auto& c = env.tcpSocket("c");
//   c.connectToHost(env.serverAddress(), srv.localPort());     // ports: 0 and localPort(), never fixed
//   ASSERT_TRUE(env.runUntil([&] { return c.bytesAvailable() == 5; }));
//
// Times differ between the flavours (virtual or real milliseconds); the traces must not.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "simsock/backend.h"
#include "simsock/host_address.h"
#include "simsock/testing/stage.h"

namespace simsock::testing {

/// How long Env::runUntil and Env::runUntilIdle wait by default, on the flavour's clock.
inline constexpr std::int64_t kEnvLimitMs = 10'000;

class Env {
public:
    virtual ~Env() = default;

    /// The engine's registry name: "sim" or "epoll".
    virtual std::string engine() const = 0;
    /// The backend of the code under test (the client side).
    virtual Backend& backend() = 0;
    /// The backend servers and peers run on (on the sim another host, on epoll the same machine).
    virtual Backend& serverBackend() = 0;
    /// The address servers and peers listen on, for clients to connect to.
    virtual HostAddress serverAddress() const = 0;

    // Time, on the flavour's clock.
    /// Lets ms pass: virtual on the sim; real waiting on epoll, where more than kMaxRealAdvanceMs
    /// (epoll_env.h) in one call is a test failure.
    virtual void advance(std::int64_t ms) = 0;
    /// Runs until pred holds, for at most limitMs; fails (saying so) if it never did.
    virtual ::testing::AssertionResult runUntil(const std::function<bool()>& pred, std::int64_t limitMs = kEnvLimitMs) = 0;
    /// Runs until nothing is left to happen: on the sim, no event is queued; on epoll (which cannot know),
    /// nothing was recorded for a quiet period. Fails if still busy after limitMs.
    virtual ::testing::AssertionResult runUntilIdle(std::int64_t limitMs = kEnvLimitMs) = 0;

    // Sockets, servers and peers, each recorded under its name.
    /// A TCP socket of the code under test.
    TcpSocket& tcpSocket(const std::string& name) { return stage().tcpSocket(backend(), name); }
    /// A UDP socket of the code under test.
    UdpSocket& udpSocket(const std::string& name) { return stage().udpSocket(backend(), name); }
    /// A TcpServer on the server side at serverAddress():port (0: any free port; Listener::port()).
    Listener& listen(const std::string& name, std::uint16_t port = 0) {
        return stage().listen(serverBackend(), name, serverAddress(), port);
    }
    /// A scripted peer on the server side, started; its listen and bind steps use serverAddress(). Give
    /// them port 0 and read Peer::localPort(): fixed ports collide on a real machine.
    peer::Peer& peer(const std::string& name, PeerScript script) {
        return stage().peer(serverBackend(), name, std::move(script), peerEnvironment());
    }
    /// Every peer's runtime problems ("srv: ..."); empty when all went as scripted.
    std::vector<std::string> peerProblems() const { return stage().peerProblems(); }

    // What happened.
    /// The recording of every socket and peer made here.
    Recorder& trace() { return stage().recorder(); }
    /// The compact events of object (everything when empty).
    Events events(const std::string& object = {}) const { return stage().recorder().events(object); }

protected:
    /// The flavour's stage, declared after its backends so that it is destroyed first.
    virtual Stage& stage() = 0;
    virtual const Stage& stage() const = 0;
    /// Where the flavour's peers bind and how their scripts' hosts are reached.
    virtual peer::PeerEnvironment peerEnvironment() = 0;
};

}  // namespace simsock::testing
