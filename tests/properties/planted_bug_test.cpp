// The negative test of the property: this executable links simsock_core_planted, whose startConnecting
// emits hostFound before →Connecting. The scenario property must catch it, RapidCheck must shrink it to a
// small case, and the file it leaves must be an ordinary scenario:
//  - its expect is the order SEMANTICS.md requires (subsequence →Connecting, then hostFound), so
//  - the normal `simsock` binary (correct core) passes it, and
//  - the same file fails here, on the planted core: the file alone tells the two builds apart.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "scenario_property.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"
#include "simsock/sim/network.h"

namespace simsock::testing {
namespace {

TEST(PlantedBug, PropertyCatchesItShrinksItAndTheFileReplays) {
    sim::registerSimBackend();
    const std::string path = counterexamplePath("planted_bug_counterexample");
    std::filesystem::remove(path);
    const bool held = rc::check("scenario invariants on the planted core", [&] {
        scenarioInvariantsHold(*scenarioModels(), path);
    });
    ASSERT_FALSE(held) << "the property did not catch hostFound before →Connecting";
    ASSERT_TRUE(std::filesystem::exists(path));
    std::cout << "planted bug counterexample: " << path << "\n";

    const scenario::Scenario shrunk = scenario::loadScenarioFile(path);
    EXPECT_LE(shrunk.actions.size(), 5u);
    ASSERT_TRUE(shrunk.expect.subsequence.has_value());
    EXPECT_EQ(shrunk.expect.subsequence->back().compact.find("hostFound()") != std::string::npos, true);

    const auto here = scenario::runScenario(shrunk, scenario::RunOptions{"sim", std::nullopt});
    EXPECT_EQ(here.status, scenario::RunResult::Status::Failed) << "the planted core should fail the file";

    const std::string replay = std::string(SIMSOCK_BIN) + " run " + path;
    EXPECT_EQ(std::system(replay.c_str()), 0) << "the correct build should pass: " << replay;
}

}  // namespace
}  // namespace simsock::testing
