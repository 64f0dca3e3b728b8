// The kernel realisation table (kernel_namespace.h) against the fault table: one row per FaultKind, each a
// realisation or a documented reason, and each realised kind shipped in a scenario that runs on both engines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "simsock/scenario/kernel_namespace.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"
#include "simsock/sim/fault_kinds.h"

namespace simsock::scenario {
namespace {

TEST(KernelRealisationTable, OneRowPerFaultKindInOrderWithARealisationOrAReason) {
    const auto kernel = kernelRealisations();
    const auto faults = sim::faultKinds();
    ASSERT_EQ(kernel.size(), faults.size());
    for (std::size_t i = 0; i < kernel.size(); ++i) {
        SCOPED_TRACE(faults[i].name);
        EXPECT_EQ(kernel[i].kind, faults[i].kind);
        EXPECT_NE(kernel[i].how == nullptr, kernel[i].impossible == nullptr) << "exactly one of how / impossible";
        EXPECT_NE(std::string(kernel[i].how ? kernel[i].how : kernel[i].impossible ? kernel[i].impossible : ""), "");
    }
}

// Every file under scenarios/ listing epoll, as text (the check is on the words the loader reads).
std::vector<std::string> bothEngineFiles() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SIMSOCK_SCENARIOS_DIR)) {
        if (entry.path().extension() != ".json" || entry.path().string().find("/negative/") != std::string::npos) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (text.str().find("\"epoll\"") != std::string::npos) out.push_back(text.str());
    }
    return out;
}

TEST(KernelRealisationTable, EveryRealisedKindHasAScenarioOnBothEngines) {
    const std::vector<std::string> files = bothEngineFiles();
    for (const auto& row : kernelRealisations()) {
        if (!row.how) continue;
        const std::string kind = std::string("\"kind\": \"") + sim::toString(row.kind) + "\"";
        bool found = false;
        for (const auto& f : files) found = found || f.find(kind) != std::string::npos;
        EXPECT_TRUE(found) << sim::toString(row.kind) << " is realised but no scenario runs it on both engines";
    }
}

TEST(KernelRefusal, NamesTheFirstFaultWithoutARealisationAndEventTriggers) {
    FaultEntry atZero;
    atZero.kind = sim::FaultKind::RefusePort;
    atZero.values.host = "server";
    atZero.atNs = 0;
    EXPECT_EQ(kernelRefusal(atZero), "");
    FaultEntry onAccept = atZero;
    onAccept.atNs.reset();
    onAccept.onEvent = sim::FaultTrigger::Kind::OnAccept;
    EXPECT_EQ(kernelRefusal(onAccept), "fault refuse-port: event triggers need the sim engine");
    FaultEntry closeOnAccept = onAccept;
    closeOnAccept.kind = sim::FaultKind::CloseConnection;
    EXPECT_EQ(kernelRefusal(closeOnAccept), "");
    FaultEntry resetAfterBytes = closeOnAccept;
    resetAfterBytes.kind = sim::FaultKind::ResetConnection;
    resetAfterBytes.onEvent = sim::FaultTrigger::Kind::AfterBytes;
    resetAfterBytes.onBytes = 5;
    EXPECT_EQ(kernelRefusal(resetAfterBytes), "");
    FaultEntry closeAtZero = atZero;
    closeAtZero.kind = sim::FaultKind::CloseConnection;
    EXPECT_EQ(kernelRefusal(closeAtZero),
              "fault close-connection: at a time needs the sim engine (the kernel realises it on accept / afterBytes)");
    FaultEntry lookup = atZero;
    lookup.kind = sim::FaultKind::LookupFailure;
    EXPECT_EQ(kernelRefusal(lookup), "");
    Scenario s;
    EXPECT_FALSE(needsNamespace(s));
    EXPECT_FALSE(needsScenarioDns(s));
    s.faults.push_back(atZero);
    EXPECT_TRUE(needsNamespace(s));
    EXPECT_EQ(kernelRefusal(s), "");
    s.network.links.emplace_back();
    EXPECT_EQ(kernelRefusal(s), "");  // a link with the sim's defaults only asks for nothing the kernel lacks
    s.network.links.back().bandwidthBytesPerSec = 1000;
    EXPECT_EQ(kernelRefusal(s), "");  // HTB on lo (kernel_links.h)
    s.network.links.back().jitterNs = 1;
    EXPECT_EQ(kernelRefusal(s), "link latency / jitter need the sim engine (no netem on this kernel)");
    s.network.links.back().jitterNs.reset();
    s.network.links.back().lossPpm = 10;
    EXPECT_EQ(kernelRefusal(s), "link loss needs the sim engine (not realised on the kernel yet)");
}

TEST(KernelRefusal, NamesOnlyTheScenariosDnsKnowsNeedItsServer) {
    Scenario s;
    ActionSpec connect;
    connect.call = Call::ConnectToHost;
    for (const char* host : {"localhost", "10.0.0.2", "::1", "nowhere.invalid"}) {
        connect.host = host;
        s.actions = {connect};
        EXPECT_FALSE(needsScenarioDns(s)) << host;
        EXPECT_FALSE(needsNamespace(s)) << host;
    }
    for (const char* host : {"server", "svc.test"}) {
        connect.host = host;
        s.actions = {connect};
        EXPECT_TRUE(needsScenarioDns(s)) << host;
        EXPECT_TRUE(needsNamespace(s)) << host;
    }
    Scenario entries;
    entries.network.dns.push_back(DnsSpec{"svc.test", {"10.0.0.2"}, std::nullopt, std::nullopt});
    EXPECT_TRUE(needsScenarioDns(entries));
    Scenario fault;
    fault.faults.emplace_back();
    fault.faults.back().kind = sim::FaultKind::LookupFailure;
    EXPECT_TRUE(needsScenarioDns(fault));
    fault.faults.back().kind = sim::FaultKind::RefusePort;
    EXPECT_FALSE(needsScenarioDns(fault));
}

// An event trigger is acted on by a tcp-server peer on the fault's host:port; without one it is refused.
TEST(KernelRefusal, EventTriggersNeedATcpServerPeerOnTheFaultsHostAndPort) {
    Scenario s;
    FaultEntry f;
    f.kind = sim::FaultKind::CloseConnection;
    f.values.host = "server";
    f.values.port = 8080;
    f.onEvent = sim::FaultTrigger::Kind::OnAccept;
    s.faults.push_back(f);
    const std::string none =
        "fault close-connection on an event: the kernel realises it in a tcp-server peer on the fault's host:port, and "
        "there is none";
    EXPECT_EQ(kernelRefusal(s), none);
    PeerSpec peer;
    peer.name = "srv";
    peer.host = "server";
    peer.port = 9090;
    s.peers.push_back(peer);
    EXPECT_EQ(kernelRefusal(s), none);
    s.peers.back().port = 8080;
    EXPECT_EQ(kernelRefusal(s), "");
    s.peers.back().kind = PeerSpec::Kind::Udp;
    EXPECT_EQ(kernelRefusal(s), none);
}

// lo has one MTU: the links' mtu and the datagram limits (+28) must agree, and IPv6 is not realised.
TEST(KernelRefusal, DatagramLimitsShareLoopbacksOneMtu) {
    Scenario s;
    LinkSpec link;
    link.a = "client";
    link.b = "server";
    link.mtu = 1500;
    link.mtuLimitsDatagrams = true;
    s.network.links.push_back(link);
    EXPECT_TRUE(needsNamespace(s));
    EXPECT_EQ(kernelRefusal(s), "");
    FaultEntry limit;
    limit.kind = sim::FaultKind::DatagramLimit;
    limit.values.host = "client";
    limit.values.limit = 1472;
    limit.atNs = 0;
    s.faults.push_back(limit);
    EXPECT_EQ(kernelRefusal(s), "");
    s.faults.back().values.limit = 512;
    EXPECT_EQ(kernelRefusal(s), "the links' mtu and the datagram limits (+28) ask lo for 2 MTUs; the kernel realises one");
    s.network.links.clear();
    EXPECT_EQ(kernelRefusal(s), "");
    s.faults.back().values.limit = 39;
    EXPECT_EQ(kernelRefusal(s), "a datagram limit below lo's smallest MTU (68 - 28 bytes)");
    s.faults.back().values.limit = 512;
    ActionSpec send;
    send.call = Call::WriteDatagram;
    send.host = "::1";
    s.actions.push_back(send);
    EXPECT_EQ(kernelRefusal(s), "datagram limits and link MTUs are realised for IPv4 only (lo's MTU)");
}

// A bind below 1024 on a host that is not privileged runs in a namespace, where the capability is dropped.
TEST(KernelRefusal, UnprivilegedLowPortBindsNeedANamespace) {
    Scenario s;
    SocketSpec sock;
    sock.name = "c";
    sock.host = "client";
    s.sockets.push_back(sock);
    ActionSpec bind;
    bind.socket = "c";
    bind.call = Call::Bind;
    bind.port = 1024;
    s.actions.push_back(bind);
    EXPECT_FALSE(needsNamespace(s));
    s.actions.back().port = 80;
    EXPECT_TRUE(needsNamespace(s));
    s.network.hosts.push_back(HostSpec{"client", {"10.0.0.1"}, true});
    EXPECT_FALSE(needsNamespace(s));
    EXPECT_EQ(kernelRefusal(s), "");
}

// A kernel tool that fails after the faults were injected (here: a port the peer already listens on cannot
// be held at 10 ms) fails the real engine's run with the tool's complaint; the sim has no such problem.
TEST(KernelFaultProblems, AFaultThatFailsLaterFailsTheRun) {
    Scenario s = loadScenarioText("t.json", R"J({"format": 1, "engines": ["sim", "epoll"], "runFor": "50ms",
      "peers": [{"name": "srv", "kind": "tcp-server", "host": "server", "port": 8080, "script": []}],
      "faults": [{"kind": "address-in-use", "host": "server", "port": 8080, "at": "10ms"}],
      "sockets": [{"name": "c", "type": "tcp"}],
      "actions": [],
      "expect": {"trace": []}})J");
    RunResult sim = runScenario(s, RunOptions{"sim", std::nullopt});
    EXPECT_EQ(sim.status, RunResult::Status::Passed);
    RunResult epoll = runScenario(s, RunOptions{"epoll", std::nullopt});
    if (epoll.status == RunResult::Status::Skipped) GTEST_SKIP() << epoll.skipReason;
    EXPECT_EQ(epoll.status, RunResult::Status::Failed);
    ASSERT_EQ(epoll.failures.size(), 1u);
    EXPECT_EQ(epoll.failures[0], "problem: address-in-use: cannot hold the port: Address already in use");
}

}  // namespace
}  // namespace simsock::scenario
