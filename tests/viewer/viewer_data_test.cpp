// What the viewer embeds of shipped scenarios' runs on the sim: lanes, every event on its lane, packets
// with their hosts, send and arrival (or loss) times, and fault bands, as exact values.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/viewer_data.h"

namespace simsock::scenario {
namespace {

ViewerRun runOf(const std::string& file) {
    const Scenario s = loadScenarioFile(std::string(SIMSOCK_SOURCE_DIR) + "/" + file);
    const RunResult r = runScenario(s, RunOptions{});
    EXPECT_EQ(r.status, RunResult::Status::Passed) << file;
    return viewerRun(s, r.observation, "sim");
}

// (kind, from lane, to lane, bytes, sent, arrival, lost, retransmit)
using PacketRow = std::tuple<std::string, std::string, std::string, std::int64_t, std::int64_t, std::int64_t,
                             std::int64_t, std::int64_t>;

std::vector<PacketRow> packetsOf(const ViewerRun& run) {
    std::vector<PacketRow> out;
    for (const auto& p : run.packets)
        out.emplace_back(p.kind, run.lanes[p.fromLane].name, run.lanes[p.toLane].name, p.bytes, p.sentNs, p.arrivalNs,
                         p.lostNs, p.retransmitNs);
    return out;
}

using EventRow = std::tuple<std::int64_t, std::string, ViewerEvent::Kind, std::string>;

std::vector<EventRow> eventsOf(const ViewerRun& run) {
    std::vector<EventRow> out;
    for (const auto& e : run.events) out.emplace_back(e.timeNs, run.lanes[e.lane].name, e.kind, e.label);
    return out;
}

using K = ViewerEvent::Kind;

TEST(ViewerDataTest, RemoteCloseLanesEventsAndPackets) {
    const ViewerRun run = runOf("scenarios/close/remote_close_with_data.json");
    ASSERT_EQ(run.lanes.size(), 4u);
    EXPECT_EQ(std::tie(run.lanes[0].name, run.lanes[0].kind, run.lanes[0].host), std::make_tuple("c", Lane::Kind::Socket, "client"));
    EXPECT_EQ(std::tie(run.lanes[1].name, run.lanes[1].kind), std::make_tuple("client", Lane::Kind::Host));
    EXPECT_EQ(std::tie(run.lanes[2].name, run.lanes[2].kind), std::make_tuple("server", Lane::Kind::Host));
    EXPECT_EQ(std::tie(run.lanes[3].name, run.lanes[3].kind, run.lanes[3].host), std::make_tuple("srv", Lane::Kind::Peer, "server"));
    EXPECT_EQ(eventsOf(run), (std::vector<EventRow>{
        {0, "srv", K::Peer, "listen"},
        {0, "client", K::Network, "syn"},
        {0, "c", K::Call, "connectToHost(\"10.0.0.2\", 8080)"},
        {0, "c", K::Signal, "stateChanged(HostLookupState)"},
        {0, "c", K::Signal, "stateChanged(ConnectingState)"},
        {0, "c", K::Signal, "hostFound()"},
        {50000, "server", K::Network, "synack"},
        {50000, "server", K::Network, "accept (fd=4)"},
        {50000, "srv", K::Peer, "accept \u2192 c"},
        {50000, "server", K::Network, "data 4 B"},
        {50000, "srv", K::Peer, "send 4 B \u2192 c"},
        {50000, "server", K::Network, "close (app close)"},
        {50000, "server", K::Network, "fin"},
        {50000, "srv", K::Peer, "close \u2192 c"},
        {100000, "client", K::Network, "close (app close)"},
        {100000, "client", K::Network, "fin"},
        {100000, "c", K::Signal, "stateChanged(ConnectedState)"},
        {100000, "c", K::Signal, "connected()"},
        {100000, "c", K::Signal, "readyRead(4)"},
        {100000, "c", K::Signal, "errorOccurred(RemoteHostClosedError)"},
        {100000, "c", K::Signal, "stateChanged(ClosingState)"},
        {100000, "c", K::Signal, "stateChanged(UnconnectedState)"},
        {100000, "c", K::Signal, "readChannelFinished()"},
        {100000, "c", K::Signal, "disconnected()"},
        {500000000, "c", K::Call, "readAll() -> \"bye!\""},
    }));
    EXPECT_EQ(packetsOf(run), (std::vector<PacketRow>{
        {"syn", "client", "server", 0, 0, 50000, -1, 0},
        {"synack", "server", "client", 0, 50000, 100000, -1, 0},
        {"data", "server", "client", 4, 50000, 100000, -1, 0},
        {"fin", "server", "client", 0, 50000, 100000, -1, 0},
        {"fin", "client", "server", 0, 100000, 150000, -1, 0},
    }));
    EXPECT_EQ(run.packets[2].event, 9u);
    EXPECT_EQ(run.events[9].packet, 2);
    EXPECT_EQ(run.events[9].text, "network data 4 B server 10.0.0.2:8080 arrives 100 us -> client 10.0.0.1:32768, arrived at 100 us");
    EXPECT_EQ(run.events[18].text, "c: readyRead(4) in ConnectedState");
    EXPECT_EQ(run.events[18].traceIndex, 6);
    EXPECT_EQ(run.events[2].name, "connectToHost");  // the call event itself
    EXPECT_EQ(run.events[2].traceIndex, 0);
    EXPECT_EQ(run.events[3].call, "connectToHost");  // a signal inside it
    EXPECT_EQ(run.events[16].call, "");
    EXPECT_EQ(run.events[16].state, "ConnectedState");
    EXPECT_EQ(run.events[24].text, "c: readAll() -> \"bye!\"");
    EXPECT_TRUE(run.bands.empty());
    EXPECT_EQ(run.endNs, 1'000'000'000);
}

TEST(ViewerDataTest, PartitionLosesBothSynsInsideItsBand) {
    const ViewerRun run = runOf("scenarios/faults/partition_connect.json");
    EXPECT_EQ(packetsOf(run), (std::vector<PacketRow>{
        {"syn", "client", "server", 0, 0, -1, 50'000, 0},
        {"syn", "client", "server", 0, 500'000'000, -1, 500'050'000, 0},
    }));
    ASSERT_EQ(run.bands.size(), 1u);
    EXPECT_EQ(run.bands[0].label, "partition client server");
    EXPECT_EQ(run.bands[0].fromNs, 0);
    EXPECT_EQ(run.bands[0].toNs, -1);
    EXPECT_EQ(run.bands[0].lanes, (std::vector<std::size_t>{0, 1, 2, 3}));
}

TEST(ViewerDataTest, HealEndsTheBandAndHeldDataArrivesWhenItReallyDid) {
    const ViewerRun run = runOf("scenarios/faults/partition_heal.json");
    ASSERT_EQ(run.bands.size(), 1u);
    EXPECT_EQ(run.bands[0].label, "partition client server [cut]");
    EXPECT_EQ(run.bands[0].fromNs, 10'000'000);
    EXPECT_EQ(run.bands[0].toNs, 300'000'000);
    // Sent at 20 ms and due 50 us later, held back by the partition: the arrival is the real one.
    EXPECT_EQ(packetsOf(run)[2], (PacketRow{"data", "client", "server", 16, 20'000'000, 420'050'000, -1, 0}));
}

TEST(ViewerDataTest, LostSegmentsAreRetransmitted) {
    const ViewerRun run = runOf("scenarios/faults/lossy_link_tcp.json");
    ASSERT_EQ(run.packets.size(), 24u);
    int retransmitted = 0;
    for (const auto& p : run.packets) retransmitted += p.retransmitNs == 50'000'000 ? 1 : 0;
    EXPECT_EQ(retransmitted, 8);
    EXPECT_EQ(packetsOf(run)[3], (PacketRow{"data", "client", "server", 1460, 10'000'000, 61'000'000, -1, 50'000'000}));
}

TEST(ViewerDataTest, DatagramsLostOnTheLinkAreDrawnFromTheirFaultDecision) {
    const ViewerRun run = runOf("scenarios/udp/lossy_link.json");
    ASSERT_EQ(run.packets.size(), 11u);
    std::vector<PacketRow> lost;
    for (const auto& p : packetsOf(run))
        if (std::get<6>(p) >= 0) lost.push_back(p);
    EXPECT_EQ(lost, (std::vector<PacketRow>{
        {"udp", "client", "server", 2, 1'000'000, -1, 1'000'000, 0},
        {"udp", "client", "server", 2, 5'000'000, -1, 5'000'000, 0},
        {"udp", "client", "server", 2, 9'000'000, -1, 9'000'000, 0},
    }));
    const ViewerEvent& decision = run.events[run.packets[1].event];
    EXPECT_EQ(decision.kind, K::Fault);
    EXPECT_EQ(decision.label, "link loss: datagram of 2 bytes to server 10.0.0.2:9000 lost");
}

TEST(ViewerDataTest, NoRawNanosecondsInAnyText) {
    for (const char* file : {"scenarios/close/remote_close_with_data.json", "scenarios/faults/host_unreachable.json",
                             "scenarios/faults/lossy_link_tcp.json"}) {
        const ViewerRun run = runOf(file);
        for (const auto& e : run.events) {
            EXPECT_EQ(e.text.find("arrives="), std::string::npos) << e.text;
            EXPECT_EQ(e.text.find("delayNs="), std::string::npos) << e.text;
            EXPECT_EQ(e.text.find("000 ns"), std::string::npos) << e.text;
        }
    }
}

TEST(ViewerDataTest, NumbersTooLongForNanosecondsStayAsWritten) {
    const Scenario s = loadScenarioFile(std::string(SIMSOCK_SOURCE_DIR) + "/scenarios/faults/partition_connect.json");
    Observation obs;
    obs.log.push_back(LogEvent{5, "network", "fault", 0, "", "client [99999999999999999999999 ns] arrives=123456789012345678901 after 1500 ns",
                               std::nullopt});
    const ViewerRun run = viewerRun(s, obs, "sim");
    ASSERT_EQ(run.events.size(), 1u);
    EXPECT_EQ(run.events[0].label, "[99999999999999999999999 ns] arrives=123456789012345678901 after 1.5 us");
}

}  // namespace
}  // namespace simsock::scenario
