// explore merge on hand-made reports: exact coverage, gaps, overlaps, unfinished shards, mixed shard
// counts, mismatched builds, options and ranges, failures; the text and the JUnit document.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simsock/scenario/shard_merge.h"

namespace simsock::testing {
namespace {

namespace ex = scenario::explore;

const std::string kBuild = "simsock 0.1.0, git test, sources 000000000000, GNU 12 Test";

ex::ShardFile shard(std::uint64_t index, std::uint64_t count, std::vector<ex::SeedFailure> failures = {},
                    std::optional<std::uint64_t> done = std::nullopt) {
    ex::ShardReport r;
    r.build = kBuild;
    r.seeds = {1, 20000};
    r.shardIndex = index;
    r.shardCount = count;
    r.source = ex::ShardSource::Slurm;
    r.done = done ? *done : r.progression().length;
    r.failures = std::move(failures);
    return ex::ShardFile{"shard-" + std::to_string(index) + "-of-" + std::to_string(count) + ".json", r};
}

std::vector<ex::ShardFile> fourShards() { return {shard(0, 4), shard(1, 4), shard(2, 4), shard(3, 4)}; }

std::string header(std::size_t reports) {
    return "merge: " + std::to_string(reports) + " reports, seeds 1..20000, build " + kBuild + " (fingerprint " +
           shard(0, 1).report.fingerprint() + ")\n";
}

TEST(ShardMerge, FourShardsCoverTheRangeExactly) {
    auto m = ex::mergeShardReports(fourShards());
    EXPECT_EQ(m.exitCode(), 0);
    EXPECT_EQ(m.covered, 20000u);
    EXPECT_EQ(m.passed(), 20000u);
    EXPECT_TRUE(m.problems.empty());
    EXPECT_EQ(ex::mergeSummaryText(m), header(4) + "coverage: exact, 20000 seeds each run once\n20000 passed, 0 failed\n");
}

TEST(ShardMerge, AMissingShardIsAGapNamedAsShardAndSeeds) {
    auto files = fourShards();
    files.erase(files.begin() + 2);
    auto m = ex::mergeShardReports(files);
    EXPECT_EQ(m.exitCode(), 2);
    EXPECT_TRUE(m.gap);
    EXPECT_FALSE(m.overlap);
    EXPECT_EQ(ex::mergeSummaryText(m), header(3) +
                                           "coverage: GAP: no report for shard 2/4\n"
                                           "coverage: GAP: missing 3..19999 step 4 (5000 seeds)\n"
                                           "15000 passed, 0 failed (15000 of 20000 seeds covered)\n");
}

TEST(ShardMerge, AnUnfinishedShardIsAGapAndSaysHowToContinue) {
    auto files = fourShards();
    files[1] = shard(1, 4, {}, 1200);
    auto m = ex::mergeShardReports(files);
    EXPECT_EQ(m.exitCode(), 2);
    EXPECT_EQ(m.problems, (std::vector<std::string>{
                              "GAP: shard-1-of-4.json: shard 1/4 stopped after 1200 of 5000 seeds (continue it with "
                              "--resume shard-1-of-4.json)",
                              "GAP: missing 4802..19998 step 4 (3800 seeds)"}));
}

TEST(ShardMerge, ADuplicatedShardIsAnOverlap) {
    auto files = fourShards();
    files.push_back(shard(1, 4));
    files.back().path = "retry.json";
    auto m = ex::mergeShardReports(files);
    EXPECT_EQ(m.exitCode(), 2);
    EXPECT_TRUE(m.overlap);
    EXPECT_FALSE(m.gap);
    EXPECT_EQ(m.covered, 20000u);
    EXPECT_EQ(m.problems, (std::vector<std::string>{
                              "OVERLAP: shard 1/4 in 2 reports: shard-1-of-4.json, retry.json",
                              "OVERLAP: run twice: 2..19998 step 4 (5000 seeds) in shard-1-of-4.json and retry.json"}));
}

TEST(ShardMerge, MixedShardCountsAreJudgedSeedBySeed) {
    // 0/2 runs the odd seeds; 1/4 and 3/4 the even ones: exact, though no two reports share a count.
    auto m = ex::mergeShardReports({shard(0, 2), shard(1, 4), shard(3, 4)});
    EXPECT_EQ(m.exitCode(), 0);
    EXPECT_EQ(m.covered, 20000u);
    // 0/2 and 1/2 with 0/4 and 2/4: the odd seeds twice, in two interleaved runs.
    m = ex::mergeShardReports({shard(0, 2), shard(0, 4), shard(2, 4), shard(1, 2)});
    EXPECT_EQ(m.exitCode(), 2);
    EXPECT_EQ(m.problems, (std::vector<std::string>{
                              "OVERLAP: run twice: 1..19997 step 4 (5000 seeds) in shard-0-of-2.json and shard-0-of-4.json",
                              "OVERLAP: run twice: 3..19999 step 4 (5000 seeds) in shard-0-of-2.json and shard-2-of-4.json"}));
    m = ex::mergeShardReports({shard(0, 2), shard(1, 4)});
    EXPECT_EQ(m.problems, (std::vector<std::string>{"GAP: missing 4..20000 step 4 (5000 seeds)"}));
}

TEST(ShardMerge, NoSeedAtAllIsOneGap) {
    auto m = ex::mergeShardReports({shard(0, 1, {}, 0)});
    EXPECT_EQ(m.problems, (std::vector<std::string>{
                              "GAP: shard-0-of-1.json: shard 0/1 stopped after 0 of 20000 seeds (continue it with "
                              "--resume shard-0-of-1.json)",
                              "GAP: missing 1..20000 (20000 seeds)"}));
    EXPECT_EQ(m.exitCode(), 2);
}

TEST(ShardMerge, AnotherBuildOptionsOrRangeIsAMismatch) {
    auto files = fourShards();
    files[3].report.build = "simsock 0.1.0, git other";
    files[2].report.options.shrinkRuns = 5;
    files[1].report.seeds = {1, 20001};
    files[1].report.done = files[1].report.progression().length;
    auto m = ex::mergeShardReports(files);
    EXPECT_EQ(m.exitCode(), 2);
    EXPECT_TRUE(m.mismatch);
    EXPECT_EQ(m.problems,
              (std::vector<std::string>{
                  "MISMATCH: shard-1-of-4.json vs shard-0-of-4.json: seeds 1..20001 vs 1..20000",
                  "MISMATCH: shard-2-of-4.json vs shard-0-of-4.json: options shrink_runs=5 max_saved=3 vs shrink_runs=400 "
                  "max_saved=3",
                  "MISMATCH: shard-3-of-4.json vs shard-0-of-4.json: build \"simsock 0.1.0, git other\" vs \"" + kBuild + "\""}));
    EXPECT_EQ(ex::mergeShardReports({}).exitCode(), 2);
}

TEST(ShardMerge, FailuresFailTheSweepWithTheirFiles) {
    auto files = fourShards();
    files[1] = shard(1, 4, {{6, "grammar: bad order", "out/explore-seed-6.json"}, {10, "data loss: 3 bytes", ""}});
    files[0] = shard(0, 4, {{5, "determinism: traces differ", "out/explore-seed-5.json"}});
    auto m = ex::mergeShardReports(files);
    EXPECT_EQ(m.exitCode(), 1);
    EXPECT_EQ(m.passed(), 19997u);
    EXPECT_EQ(ex::mergeSummaryText(m), header(4) +
                                           "coverage: exact, 20000 seeds each run once\n"
                                           "FAIL seed 5: determinism: traces differ\n"
                                           "    scenario out/explore-seed-5.json\n"
                                           "FAIL seed 6: grammar: bad order\n"
                                           "    scenario out/explore-seed-6.json\n"
                                           "FAIL seed 10: data loss: 3 bytes\n"
                                           "    (not shrunk: over --max-saved)\n"
                                           "19997 passed, 3 failed\n");
    EXPECT_EQ(ex::mergeJunit(m),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuite name=\"simsock\" tests=\"4\" failures=\"3\" skipped=\"0\">\n"
              "  <testcase classname=\"scenario.explore\" name=\"seeds 1..20000 (19997 passed)\"/>\n"
              "  <testcase classname=\"scenario.explore\" name=\"seed 5\">\n"
              "    <failure message=\"determinism: traces differ\">determinism: traces differ\n"
              "shrunk scenario: out/explore-seed-5.json\n</failure>\n"
              "  </testcase>\n"
              "  <testcase classname=\"scenario.explore\" name=\"seed 6\">\n"
              "    <failure message=\"grammar: bad order\">grammar: bad order\nshrunk scenario: out/explore-seed-6.json\n"
              "</failure>\n"
              "  </testcase>\n"
              "  <testcase classname=\"scenario.explore\" name=\"seed 10\">\n"
              "    <failure message=\"data loss: 3 bytes\">data loss: 3 bytes\nnot shrunk (over --max-saved)\n</failure>\n"
              "  </testcase>\n"
              "</testsuite>\n");
}

TEST(ShardMerge, AGapIsAFailingCoverageTestcaseInJUnit) {
    auto files = fourShards();
    files.pop_back();
    EXPECT_EQ(ex::mergeJunit(ex::mergeShardReports(files)),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuite name=\"simsock\" tests=\"2\" failures=\"1\" skipped=\"0\">\n"
              "  <testcase classname=\"scenario.explore\" name=\"seeds 1..20000 (15000 passed)\"/>\n"
              "  <testcase classname=\"scenario.explore\" name=\"coverage\">\n"
              "    <failure message=\"GAP: no report for shard 3/4\">GAP: no report for shard 3/4\n"
              "GAP: missing 4..20000 step 4 (5000 seeds)\n</failure>\n"
              "  </testcase>\n"
              "</testsuite>\n");
}

TEST(ShardMerge, ShardJUnitNamesTheShardAndAnUnfinishedRun) {
    EXPECT_EQ(ex::shardJunit(shard(2, 4, {}, 10).report),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuite name=\"simsock\" tests=\"2\" failures=\"1\" skipped=\"0\">\n"
              "  <testcase classname=\"scenario.explore\" name=\"seeds 1..20000 shard 2/4 (10 passed)\"/>\n"
              "  <testcase classname=\"scenario.explore\" name=\"complete\">\n"
              "    <failure message=\"stopped after 10 of 5000 seeds\">stopped after 10 of 5000 seeds\n</failure>\n"
              "  </testcase>\n"
              "</testsuite>\n");
}

}  // namespace
}  // namespace simsock::testing
