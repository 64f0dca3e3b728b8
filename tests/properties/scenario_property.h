// The scenario-model property: RapidCheck generates scenario models (explore's generator, its choices
// drawn from RapidCheck so that RapidCheck can shrink them), runs them with the runner `simsock run` uses,
// and checks the invariants. A failing case is written as a scenario file on every failure; RapidCheck's
// last failing run is its minimal case, so the file left behind is the shrunk counterexample.
#pragma once

#include <rapidcheck.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "simsock/scenario/explore.h"
#include "simsock/scenario/invariants.h"
#include "simsock/scenario/writer.h"

namespace simsock::testing {

/// explore's choices, drawn from RapidCheck.
class RcChooser final : public scenario::explore::Chooser {
public:
    std::uint64_t below(std::uint64_t n) override { return *rc::gen::inRange<std::uint64_t>(0, n); }
};

/// Random scenario models. Peer steps, faults and calls are containers, so RapidCheck shrinks a failing
/// case by dropping any of them, not only the last.
inline rc::Gen<scenario::Scenario> scenarioModels() {
    namespace ex = scenario::explore;
    return rc::gen::exec([] {
        RcChooser c;
        const ex::Swarm w = ex::genSwarm(c);
        const auto link = ex::genLink(c, w);
        const auto steps = *rc::gen::scale(0.05, rc::gen::container<std::vector<scenario::PeerStep>>(
                                                     rc::gen::exec([w] { RcChooser k; return ex::genPeerStep(k, w); })));
        const auto maybeFaults = *rc::gen::scale(0.03, rc::gen::container<std::vector<std::optional<scenario::FaultEntry>>>(
                                                           rc::gen::exec([w] { RcChooser k; return ex::genFault(k, w); })));
        std::vector<scenario::FaultEntry> faults;
        for (const auto& f : maybeFaults)
            if (f) faults.push_back(*f);
        const auto actions = *rc::gen::scale(0.1, rc::gen::container<std::vector<scenario::ActionSpec>>(
                                                      rc::gen::exec([w] { RcChooser k; return ex::genAction(k, w); })));
        const auto simSeed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
        scenario::Scenario s = ex::assembleCase(simSeed, w, link, steps, faults, actions);
        s.description = "RapidCheck scenario model";
        return s;
    });
}

/// Where a property's counterexample goes: $SIMSOCK_COUNTEREXAMPLE_DIR, else the build directory.
inline std::string counterexamplePath(const std::string& name) {
    const char* dir = std::getenv("SIMSOCK_COUNTEREXAMPLE_DIR");
    std::filesystem::path d = dir ? dir : SIMSOCK_BINARY_DIR;
    std::error_code ec;
    std::filesystem::create_directories(d, ec);
    return (d / (name + ".json")).string();
}

/// The property body: runs s; on a violation writes the counterexample to path and fails with both.
inline void scenarioInvariantsHold(const scenario::Scenario& s, const std::string& path) {
    const auto v = scenario::runCase(s);
    if (!v) return;
    std::ofstream(path, std::ios::binary) << scenario::writeScenario(
        scenario::counterexample(s, *v, "the RapidCheck scenario property (tests/properties)"));
    RC_FAIL(v->message + "\ncounterexample (" + std::to_string(s.actions.size()) + " actions): " + path +
            "\nreplay: simsock run " + path);
}

}  // namespace simsock::testing
