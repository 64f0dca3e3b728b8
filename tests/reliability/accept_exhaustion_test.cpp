// Finding 1: out of descriptors on accept. QTcpServer pauses accepting before it emits acceptError, so
// readiness does not fire again at once (QT-DETAILS.md §6): acceptError(SocketResourceError) once, "Out
// of resources", still listening, the client stays Connected. resumeAccepting() or nextPendingConnection()
// accepts what waited, and from then on every round of accepts ends in another acceptError and a pause:
// the listening socket keeps its first error. On the sim the exhaustion is the descriptor-exhaustion
// fault; on epoll a child process lowers RLIMIT_NOFILE and fills its descriptor table.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "reliability_support.h"
#include "simsock/epoll/epoll_backend.h"
#include "simsock/sim/network.h"
#include "simsock/sim/sim_backend.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using S = SocketState;
using Log = std::vector<std::string>;

void record(TcpServer& server, Log& log) {
    server.acceptError.connect([&log](SocketError e) { log.push_back("acceptError(" + std::string(toString(e)) + ")"); });
    server.newConnection.connect([&log] { log.push_back("newConnection"); });
}

TEST(AcceptExhaustion, SimPausesOnEmfileAndTheErrorSticks) {
    sim::Network net(1);
    ASSERT_TRUE(net.addHost("srv", {HostAddress("10.0.0.2")}));
    sim::SimBackend srvHost(net, "srv");
    TcpServer server(srvHost);
    ASSERT_TRUE(server.listen(HostAddress("10.0.0.2"), 8080));
    Log log;
    record(server, log);
    const sim::FaultId exhausted = net.injectFault(sim::FaultSpec::descriptorExhaustion("srv"));
    TcpSocket first(net);
    first.connectToHost("10.0.0.2", 8080);
    // Before the fix the error repeated at one virtual instant; the predicate ends the run at the second.
    net.loop().runUntil([&] { return log.size() > 1; }, 100);
    EXPECT_EQ(log, (Log{"acceptError(SocketResourceError)"}));
    EXPECT_EQ(net.loop().nowNs(), 100'000'000);  // time went on: nothing spun
    EXPECT_TRUE(server.isListening());
    EXPECT_EQ(server.serverError(), SocketError::SocketResourceError);
    EXPECT_EQ(server.errorString(), "Out of resources");
    EXPECT_EQ(first.state(), S::ConnectedState);
    EXPECT_FALSE(server.hasPendingConnections());

    // Resources come back: the server does not resume by itself.
    ASSERT_TRUE(net.clearFault(exhausted));
    net.runForMs(100);
    EXPECT_EQ(log.size(), 1u);
    server.resumeAccepting();
    net.runForMs(100);
    EXPECT_EQ(log, (Log{"acceptError(SocketResourceError)", "newConnection", "acceptError(SocketResourceError)"}));
    ASSERT_TRUE(server.hasPendingConnections());

    // Paused again: a second client connects in the kernel and waits, unsignalled.
    TcpSocket second(net);
    second.connectToHost("10.0.0.2", 8080);
    net.runForMs(100);
    EXPECT_EQ(second.state(), S::ConnectedState);
    EXPECT_EQ(log.size(), 3u);
    // Taking a connection resumes accepting: the waiting one comes, and the error with it.
    auto taken = server.nextPendingConnection();
    ASSERT_NE(taken, nullptr);
    EXPECT_EQ(taken->state(), S::ConnectedState);
    net.runForMs(100);
    EXPECT_EQ(log, (Log{"acceptError(SocketResourceError)", "newConnection", "acceptError(SocketResourceError)",
                        "newConnection", "acceptError(SocketResourceError)"}));
    EXPECT_EQ(server.serverError(), SocketError::SocketResourceError);
}

TEST(AcceptExhaustion, SimListenAgainStartsWithoutTheStickyError) {
    sim::Network net(1);
    ASSERT_TRUE(net.addHost("srv", {HostAddress("10.0.0.2")}));
    sim::SimBackend srvHost(net, "srv");
    TcpServer server(srvHost);
    ASSERT_TRUE(server.listen(HostAddress("10.0.0.2"), 8080));
    Log log;
    record(server, log);
    const sim::FaultId exhausted = net.injectFault(sim::FaultSpec::descriptorExhaustion("srv"));
    TcpSocket c(net);
    c.connectToHost("10.0.0.2", 8080);
    net.loop().runUntil([&] { return log.size() > 1; }, 100);
    ASSERT_EQ(log.size(), 1u);
    ASSERT_TRUE(net.clearFault(exhausted));
    // A new listening socket has no error of its own (serverError() itself stays, as Qt's does).
    server.close();
    ASSERT_TRUE(server.listen(HostAddress("10.0.0.2"), 8080));
    TcpSocket d(net);
    d.connectToHost("10.0.0.2", 8080);
    net.runForMs(100);
    EXPECT_EQ(log, (Log{"acceptError(SocketResourceError)", "newConnection"}));
    EXPECT_EQ(server.serverError(), SocketError::SocketResourceError);
}

// Everything the exhausted run will do, done once with descriptors to spare: a connection accepted, a
// timer fired, an error signal emitted (errorOccurred has acceptError's type). The sanitizer runtime
// (SIMSOCK_SANITIZE) checks a vtable the first time it meets one by writing it into a pipe, which a full
// descriptor table refuses: it would report a false "invalid vptr". Afterwards it knows them all.
bool warmUp(epoll::EpollBackend& backend, TcpServer& server, Log& log) {
    auto& loop = backend.loop();
    TcpSocket first(backend);
    first.connectToHost("127.0.0.1", server.serverPort());
    loop.runUntil([&] { return first.state() == S::ConnectedState && server.hasPendingConnections(); }, 5000);
    const bool accepted = server.nextPendingConnection() != nullptr && log == Log{"newConnection"};
    log.clear();
    loop.singleShot(1, [] {});
    TcpSocket nowhere(backend);
    nowhere.connectToHost("", 1);
    loop.runUntil([&] { return nowhere.state() == S::UnconnectedState; }, 1000);
    loop.runUntil([] { return false; }, 20);
    return accepted && nowhere.error() == SocketError::HostNotFoundError;
}

// The child's side of the epoll test: a server whose process has no descriptor left when a client
// arrives. Everything it saw comes back as lines; the parent compares them.
std::string epollExhaustionInChild() {
    std::string out;
    auto say = [&out](const std::string& line) { out += line + "\n"; };
    epoll::EpollBackend backend;
    TcpServer server(backend);
    if (!server.listen(HostAddress("127.0.0.1"), 0)) return "listen failed\n";
    Log log;
    record(server, log);
    auto& loop = backend.loop();
    if (!warmUp(backend, server, log)) return "warm-up failed\n";
    const int spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // A low limit keeps the table small; then every free number is taken but one, for the client.
    const rlimit low{static_cast<rlim_t>(spare + 32), static_cast<rlim_t>(spare + 32)};
    if (spare < 0 || ::setrlimit(RLIMIT_NOFILE, &low) != 0) return "cannot lower RLIMIT_NOFILE\n";
    std::vector<int> fillers;
    for (int fd; (fd = ::fcntl(spare, F_DUPFD_CLOEXEC, 0)) >= 0;) fillers.push_back(fd);
    ::close(fillers.back());
    fillers.pop_back();
    TcpSocket client(backend);
    client.connectToHost("127.0.0.1", server.serverPort());
    loop.runUntil([&] { return client.state() == S::ConnectedState && !log.empty(); }, 5000);
    loop.runUntil([] { return false; }, 300);  // a spinning server would report thousands of errors here
    say("errors after exhaustion: " + std::to_string(log.size()));
    say(std::string("listening: ") + (server.isListening() ? "yes" : "no"));
    say(std::string("serverError: ") + std::string(toString(server.serverError())) + " \"" + server.errorString() + "\"");
    say(std::string("client: ") + std::string(toString(client.state())));
    for (int fd : fillers) ::close(fd);
    loop.runUntil([] { return false; }, 200);
    say("events before resume: " + std::to_string(log.size()));
    log.clear();
    server.resumeAccepting();
    loop.runUntil([&] { return log.size() >= 2; }, 5000);
    loop.runUntil([] { return false; }, 200);
    for (const auto& l : log) say("after resume: " + l);
    say(std::string("pending: ") + (server.hasPendingConnections() ? "yes" : "no"));
    return out;
}

TEST(AcceptExhaustion, EpollPausesOnEmfileInAChildWithFewDescriptors) {
    reliability::Outcome o = reliability::inChild(epollExhaustionInChild, 30);
    EXPECT_EQ(o.exitCode, 0) << o.output;
    EXPECT_EQ(o.output,
              "errors after exhaustion: 1\n"
              "listening: yes\n"
              "serverError: SocketResourceError \"Out of resources\"\n"
              "client: ConnectedState\n"
              "events before resume: 1\n"
              "after resume: newConnection\n"
              "after resume: acceptError(SocketResourceError)\n"
              "pending: yes\n");
}

}  // namespace
}  // namespace simsock
