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
    EXPECT_EQ(kernelRefusal(lookup),
              "fault lookup-failure: needs a DNS server in the run's namespace: not realised on the kernel yet");
    Scenario s;
    EXPECT_FALSE(needsNamespace(s));
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

}  // namespace
}  // namespace simsock::scenario
