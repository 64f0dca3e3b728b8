// `simsock explore` through the binary: shards partition the seeds, seed -> case is a function, and the
// correct library passes a range of seeds.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "simsock/scenario/explore.h"
#include "simsock/scenario/writer.h"

namespace simsock::testing {
namespace {

// A sharded CTest run puts GTEST_* into this process; the explore runs below choose their shards themselves.
const std::string kExplore = std::string("env -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_INDEX ") + SIMSOCK_BIN + " explore ";

struct Output {
    std::string text;
    int status = -1;
};

Output run(const std::string& command) {
    Output out;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.text.append(buf, n);
    int rc = pclose(p);
    out.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

std::vector<std::uint64_t> seedsOf(const std::string& text) {
    std::vector<std::uint64_t> out;
    std::istringstream in(text);
    for (std::uint64_t s; in >> s;) out.push_back(s);
    return out;
}

std::string lastLine(const std::string& text) {
    auto end = text.find_last_not_of('\n');
    if (end == std::string::npos) return {};
    auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

TEST(Explore, FourShardsCoverExactlyTheSeedsOfOneUnshardedRun) {
    const Output all = run(kExplore + "--seeds 5..1034 --list-seeds");
    ASSERT_EQ(all.status, 0);
    const auto expected = seedsOf(all.text);
    ASSERT_EQ(expected.size(), 1030u);
    std::vector<std::uint64_t> joined;
    for (int i = 0; i < 4; ++i) {
        const Output shard = run(kExplore + "--seeds 5..1034 --list-seeds --shard " + std::to_string(i) + "/4");
        ASSERT_EQ(shard.status, 0);
        const auto seeds = seedsOf(shard.text);
        EXPECT_GE(seeds.size(), 257u);
        EXPECT_LE(seeds.size(), 258u);
        joined.insert(joined.end(), seeds.begin(), seeds.end());
    }
    std::sort(joined.begin(), joined.end());
    EXPECT_EQ(joined, expected);  // sorted and equal: every seed once, none twice, none extra
}

TEST(Explore, GtestShardVariablesActLikeShard) {
    const Output flag = run(kExplore + "--seeds 1..100 --list-seeds --shard 2/3");
    const Output env = run(std::string("env GTEST_TOTAL_SHARDS=3 GTEST_SHARD_INDEX=2 ") + SIMSOCK_BIN +
                           " explore --seeds 1..100 --list-seeds");
    ASSERT_EQ(flag.status, 0);
    ASSERT_EQ(env.status, 0);
    EXPECT_EQ(seedsOf(env.text), seedsOf(flag.text));
    EXPECT_EQ(seedsOf(flag.text).front(), 3u);
}

TEST(Explore, BadShardIsBadInput) {
    EXPECT_EQ(run(kExplore + "--seeds 1..10 --shard 4/4").status, 2);
    EXPECT_EQ(run(kExplore + "--seeds 10..1").status, 2);
}

TEST(Explore, SameSeedGivesTheSameScenario) {
    for (std::uint64_t seed : {1u, 42u, 99999u}) {
        const std::string a = scenario::writeScenario(scenario::explore::generateCase(seed));
        const std::string b = scenario::writeScenario(scenario::explore::generateCase(seed));
        EXPECT_EQ(a, b) << "seed " << seed;
        EXPECT_NE(a, scenario::writeScenario(scenario::explore::generateCase(seed + 1)));
    }
}

TEST(Explore, CorrectLibraryPassesARangeOfSeedsWhateverTheJobs) {
    const Output one = run(kExplore + "--seeds 1..1500 --jobs 1");
    const Output three = run(kExplore + "--seeds 1..1500 --jobs 3");
    EXPECT_EQ(one.status, 0) << one.text;
    EXPECT_EQ(three.status, 0) << three.text;
    EXPECT_EQ(lastLine(one.text).rfind("1500 passed, 0 failed (", 0), 0u) << one.text;
    EXPECT_EQ(lastLine(three.text).rfind("1500 passed, 0 failed (", 0), 0u) << three.text;
}

}  // namespace
}  // namespace simsock::testing
