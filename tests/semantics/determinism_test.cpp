// Same seed, same trace, byte for byte; other seeds move timings but keep the signal grammar.
#include "fixture.h"
#include "simsock/sim/sim_backend.h"

namespace simsock::testing {
namespace {

// A client on "local" streams to a server on "srv" over a lossy, jittery link, then closes.
std::pair<std::string, std::vector<std::string>> lossyRun(std::uint64_t seed) {
    sim::Network net(seed);
    EXPECT_TRUE(net.addHost("srv", {HostAddress("10.0.0.2")}));
    sim::LinkParams link;
    link.latencyNs = 2'000'000;
    link.jitterNs = 1'500'000;
    link.lossPpm = 100'000;
    link.bandwidthBytesPerSec = 10'000'000;
    net.setLink("local", "srv", link);
    sim::SimBackend srv(net, "srv");
    TcpServer server(srv);
    EXPECT_TRUE(server.listen(HostAddress("10.0.0.2"), 8080));
    std::unique_ptr<TcpSocket> peer;
    std::string received;
    server.newConnection.connect([&] {
        peer = server.nextPendingConnection();
        peer->readyRead.connect([&] { received += peer->readAll(); });
    });
    Trace trace;
    TcpSocket c(net);
    c.setObjectName("c");
    TraceRecorder rec(c, trace);
    c.connected.connect([&] {
        c.write(std::string(50'000, 'q'));
        c.disconnectFromHost();
    });
    c.connectToHost("10.0.0.2", 8080);
    net.loop().runUntil([&] { return c.state() == SocketState::UnconnectedState && received.size() == 50'000; },
                        600'000);
    EXPECT_EQ(received.size(), 50'000u) << trace.serialize();
    // Strip counts: how the stream is cut into bytesWritten depends on timing, the grammar does not.
    std::vector<std::string> grammar;
    for (const auto& e : trace.events())
        if (e.signal != "bytesWritten" && (grammar.empty() || grammar.back() != e.str())) grammar.push_back(e.str());
    return {trace.serialize(), grammar};
}

TEST(Determinism, SameSeedGivesAByteIdenticalTrace) {
    auto a = lossyRun(7);
    auto b = lossyRun(7);
    EXPECT_EQ(a.first, b.first);
    EXPECT_FALSE(a.first.empty());
}

TEST(Determinism, OtherSeedsChangeTimingButKeepTheGrammar) {
    auto a = lossyRun(7);
    auto b = lossyRun(8);
    EXPECT_NE(a.first, b.first);
    EXPECT_EQ(a.second, b.second);
    EXPECT_EQ(a.second, (std::vector<std::string>{
                            "connectToHost{stateChanged(HostLookupState)}",
                            "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                            "stateChanged(ConnectedState)", "connected()",
                            "disconnectFromHost{stateChanged(ClosingState)}", "stateChanged(UnconnectedState)",
                            "readChannelFinished()", "disconnected()"}));
}

}  // namespace
}  // namespace simsock::testing
