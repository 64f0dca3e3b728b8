// Fuzz target 2: the scenario loader. A rejected file must get the one-line diagnostic the loader
// promises, at a position inside the text; an accepted one must survive the writer: writeScenario's
// text loads again and writes back byte for byte (the writer's documented round trip).
//
// SIMSOCK_FUZZ_PLANTED (the simsock_fuzz_loader_planted target only) adds a deliberate crash on a
// condition the fuzzer reaches from the seeds and the dictionary in seconds ("crash" in the description,
// a peer's send or an action's data): it proves that the fuzz harness can fail. No other build defines it.
#include <string.h>

#include <cstdlib>
#include <string>

#include "fuzz_entries.h"
#include "known_findings.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/writer.h"

namespace simsock::fuzz {
namespace {

constexpr const char* kFile = "fuzz.json";

void requireDiagnostic(std::string_view text, const scenario::ScenarioError& e) {
    const scenario::SourcePos p = e.pos();
    require(p.offset <= text.size() && p.line >= 1 && p.column >= 1, "diagnostic position inside the text");
    const std::string prefix = std::string(kFile) + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": $";
    require(std::string_view(e.what()).substr(0, prefix.size()) == prefix, "diagnostic is file:line:column: $path");
}

#ifdef SIMSOCK_FUZZ_PLANTED
void plantedCrash(const scenario::Scenario& s) {
    // memmem, not std::string::find: libFuzzer intercepts memmem and learns the needle.
    auto planted = [](const std::string& payload) { return memmem(payload.data(), payload.size(), "crash", 5) != nullptr; };
    if (planted(s.description)) std::abort();
    for (const auto& peer : s.peers)
        for (const auto& step : peer.script)
            if (step.kind == scenario::PeerStep::Kind::Send && planted(step.data)) std::abort();
    for (const auto& action : s.actions)
        if (planted(action.data)) std::abort();
}
#endif

}  // namespace

void scenarioLoader(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!knownFinding(text).empty()) return;
    scenario::Scenario s;
    try {
        s = scenario::loadScenarioText(kFile, text);
    } catch (const scenario::ScenarioError& e) {
        requireDiagnostic(text, e);
        return;
    }
#ifdef SIMSOCK_FUZZ_PLANTED
    plantedCrash(s);
#endif
    const std::string written = scenario::writeScenario(s);
    std::string again;
    try {
        again = scenario::writeScenario(scenario::loadScenarioText("written.json", written));
    } catch (const scenario::ScenarioError& e) {
        require(false, std::string("the writer's text does not load: ") + e.what() + "\n" + written);
    }
    require(again == written, "written, loaded and written again differs:\n" + written + "\n---\n" + again);
}

}  // namespace simsock::fuzz
