// Shard reports: the progression a shard runs, the JSON text, the reader's checks, and what a resume
// accepts.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "simsock/scenario/shard_report.h"

namespace simsock::testing {
namespace {

namespace ex = scenario::explore;

ex::ShardReport sample() {
    ex::ShardReport r;
    r.build = "simsock 0.1.0, git test, sources 000000000000, GNU 12 Test";
    r.seeds = {1, 20};
    r.shardIndex = 1;
    r.shardCount = 4;
    r.source = ex::ShardSource::Slurm;
    r.done = 4;
    r.failures = {{6, "grammar: c event 2 \"x\"", "out/explore-seed-6.json"}, {14, "data loss", ""}};
    r.elapsedSeconds = 1.25;
    return r;
}

TEST(ShardReport, ProgressionOfEachShard) {
    auto p = ex::shardProgression({1, 20}, 1, 4);
    EXPECT_EQ(p.start, 2u);
    EXPECT_EQ(p.step, 4u);
    EXPECT_EQ(p.length, 5u);  // 2 6 10 14 18
    EXPECT_EQ(p.at(4), 18u);
    EXPECT_EQ(ex::shardProgression({1, 20}, 3, 4).length, 5u);     // 4 .. 20
    EXPECT_EQ(ex::shardProgression({5, 7}, 3, 4).length, 0u);      // more shards than seeds
    EXPECT_EQ(ex::shardProgression({5, 5}, 0, 1).length, 1u);
    auto top = ex::shardProgression({18446744073709551610ull, 18446744073709551615ull}, 1, 2);
    EXPECT_EQ(top.start, 18446744073709551611ull);
    EXPECT_EQ(top.length, 3u);  // ...611 ...613 ...615, no wrap-around
}

TEST(ShardReport, DerivedCounts) {
    auto r = sample();
    EXPECT_EQ(r.passed(), 2u);
    EXPECT_FALSE(r.complete());
    r.done = 5;
    EXPECT_TRUE(r.complete());
}

TEST(ShardReport, TextIsCompactAndFixedInOrder) {
    EXPECT_EQ(ex::writeShardReport(sample()),
              "{\n"
              "  \"format\": \"simsock-explore-shard/1\",\n"
              "  \"build\": \"simsock 0.1.0, git test, sources 000000000000, GNU 12 Test\",\n"
              "  \"options\": {\"max_saved\":3,\"shrink_runs\":400},\n"
              "  \"fingerprint\": \"" + sample().fingerprint() + "\",\n"
              "  \"seeds\": {\"first\":1,\"last\":20},\n"
              "  \"shard\": {\"count\":4,\"index\":1,\"source\":\"slurm\"},\n"
              "  \"progression\": {\"length\":5,\"start\":2,\"step\":4},\n"
              "  \"done\": 4,\n"
              "  \"complete\": false,\n"
              "  \"passed\": 2,\n"
              "  \"failed\": 2,\n"
              "  \"elapsed_s\": 1.25,\n"
              "  \"failures\": [{\"message\":\"grammar: c event 2 \\\"x\\\"\",\"scenario\":\"out/explore-seed-6.json\",\"seed\":6},"
              "{\"message\":\"data loss\",\"scenario\":\"\",\"seed\":14}]\n"
              "}\n");
}

TEST(ShardReport, FingerprintFollowsBuildAndOptionsOnly) {
    auto a = sample(), b = sample();
    b.done = 1, b.failures.clear(), b.shardIndex = 0, b.seeds = {1, 99};
    EXPECT_EQ(a.fingerprint(), b.fingerprint());
    b.options.shrinkRuns = 10;
    EXPECT_NE(a.fingerprint(), b.fingerprint());
    b = sample();
    b.build += "x";
    EXPECT_NE(a.fingerprint(), b.fingerprint());
    EXPECT_EQ(ex::hashText(""), "cbf29ce484222325");  // FNV-1a's offset basis: the hash is the published one
    EXPECT_EQ(ex::hashText("a"), "af63dc4c8601ec8c");
}

TEST(ShardReport, ReadsWhatItWrites) {
    std::string error;
    auto r = ex::readShardReport(ex::writeShardReport(sample()), error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(ex::writeShardReport(*r), ex::writeShardReport(sample()));
    EXPECT_EQ(r->source, ex::ShardSource::Slurm);
    EXPECT_EQ(r->failures[0].scenario, "out/explore-seed-6.json");
    EXPECT_DOUBLE_EQ(r->elapsedSeconds, 1.25);
}

// The sample's text with one substring replaced, and the reader's error for it.
std::string errorFor(const std::string& from, const std::string& to) {
    std::string text = ex::writeShardReport(sample());
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::string error;
    EXPECT_FALSE(ex::readShardReport(text, error));
    return error;
}

TEST(ShardReport, RefusesBrokenOrEditedReports) {
    std::string error;
    EXPECT_FALSE(ex::readShardReport("{", error));
    EXPECT_EQ(error, "not JSON");
    EXPECT_EQ(errorFor("shard/1", "shard/2"), "$.format: is not \"simsock-explore-shard/1\"");
    EXPECT_EQ(errorFor("\"done\": 4", "\"done\": 6"), "$.done: exceeds the shard's 5 seeds");
    EXPECT_EQ(errorFor("\"done\": 4", "\"done\": 3"), "$.failures[1].seed: 14 is not among the seeds this shard ran");
    EXPECT_EQ(errorFor("\"done\": 4", "\"done\": -4"), "$.done: is not a non-negative integer");
    EXPECT_EQ(errorFor("\"seed\":6", "\"seed\":7"), "$.failures[0].seed: 7 is not among the seeds this shard ran");
    EXPECT_EQ(errorFor("\"seed\":14", "\"seed\":2"), "$.failures[1].seed: failures are not in ascending order");
    EXPECT_EQ(errorFor("\"passed\": 2", "\"passed\": 3"), "$.passed: is not done minus the failures");
    EXPECT_EQ(errorFor("\"failed\": 2", "\"failed\": 0"), "$.failed: is not the number of failures");
    EXPECT_EQ(errorFor("\"complete\": false", "\"complete\": true"), "$.complete: does not match done");
    EXPECT_EQ(errorFor("\"length\":5", "\"length\":6"), "$.progression: does not match seeds and shard");
    EXPECT_EQ(errorFor("\"index\":1", "\"index\":4"), "$.shard: index is not below count");
    EXPECT_EQ(errorFor("\"slurm\"", "\"lsf\""), "$.shard.source: is not a known source");
    EXPECT_EQ(errorFor("\"first\":1", "\"first\":21"), "$.seeds: first is above last");
    EXPECT_EQ(errorFor("\"shrink_runs\":400", "\"shrink_runs\":401"),
              "$.fingerprint: is not the hash of build and options (an edited report?)");
    EXPECT_EQ(errorFor("git test", "git other"), "$.fingerprint: is not the hash of build and options (an edited report?)");
    EXPECT_EQ(errorFor("  \"elapsed_s\": 1.25,\n", ""), "$.elapsed_s: is missing");
    EXPECT_EQ(errorFor("\"scenario\":\"\"", "\"scenario\":null"), "$.failures[1].scenario: is not a string");
}

TEST(ShardReport, WhatAResumeAccepts) {
    auto previous = sample(), current = sample();
    current.done = 0, current.failures.clear();
    EXPECT_EQ(ex::resumeMismatch(previous, current), "");
    current.source = ex::ShardSource::Kubernetes;  // the same shard, named by another scheduler: still the same seeds
    EXPECT_EQ(ex::resumeMismatch(previous, current), "");
    current.shardIndex = 2;
    EXPECT_EQ(ex::resumeMismatch(previous, current), "it covers seeds 1..20 shard 1/4, this run seeds 1..20 shard 2/4");
    current = sample(), current.seeds.last = 21;
    EXPECT_EQ(ex::resumeMismatch(previous, current), "it covers seeds 1..20 shard 1/4, this run seeds 1..21 shard 1/4");
    current = sample(), current.options.maxSaved = 9;
    EXPECT_EQ(ex::resumeMismatch(previous, current), "it was written with other --shrink-runs or --max-saved");
    current = sample(), current.build = "other";
    EXPECT_EQ(ex::resumeMismatch(previous, current),
              "it was written by build \"simsock 0.1.0, git test, sources 000000000000, GNU 12 Test\", this is \"other\"");
}

TEST(ShardReport, FilesAreWrittenWholeAndReadBack) {
    auto dir = std::filesystem::temp_directory_path() / ("simsock-report-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::string path = (dir / "shard.json").string();
    ASSERT_TRUE(ex::writeFileAtomically(path, ex::writeShardReport(sample())));
    std::string error;
    auto r = ex::loadShardReport(path, error);
    ASSERT_TRUE(r) << error;
    EXPECT_EQ(r->done, 4u);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1)
        << "no temporary file is left behind";
    EXPECT_FALSE(ex::loadShardReport((dir / "missing.json").string(), error));
    EXPECT_EQ(error, (dir / "missing.json").string() + ": cannot read");
    EXPECT_FALSE(ex::writeFileAtomically((dir / "no-such-dir" / "x.json").string(), "x"));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace simsock::testing
