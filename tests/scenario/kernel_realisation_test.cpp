// The kernel realisation table (kernel_namespace.h) against the fault table: one row per FaultKind, each a
// realisation or a documented reason, and each realised kind shipped in a scenario that runs on both engines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "simsock/scenario/kernel_namespace.h"
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
    EXPECT_EQ(kernelRefusal(s), "links need the sim engine");
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

}  // namespace
}  // namespace simsock::scenario
