// `simsock explore` through the binary: --print-shard for every source, exit 2 for every wrong identity,
// Kubernetes indices set by hand merging to exact coverage, the report and JUnit of a shard, --resume
// (skipping what a report has done, refusing another shard or build), and a SIGTERM mid-sweep.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "simsock/scenario/shard_report.h"

namespace simsock::testing {
namespace {

namespace ex = scenario::explore;
namespace fs = std::filesystem;

// Whatever scheduler runs this test, the runs below set their own shard variables.
const std::string kClean =
    "env -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_INDEX -u GTEST_SHARD_STATUS_FILE -u SLURM_ARRAY_TASK_ID "
    "-u SLURM_ARRAY_TASK_COUNT -u SLURM_ARRAY_TASK_MIN -u SLURM_ARRAY_TASK_MAX -u SLURM_ARRAY_TASK_STEP "
    "-u JOB_COMPLETION_INDEX -u SIMSOCK_TOTAL_SHARDS ";

struct Output {
    std::string text;  // stdout and stderr
    int status = -1;
};

Output run(const std::string& env, const std::string& args) {
    Output out;
    FILE* p = popen((kClean + env + " " + SIMSOCK_BIN + " explore " + args + " 2>&1").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.text.append(buf, n);
    int rc = pclose(p);
    out.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

/// A fresh directory per test, removed after it.
class ExploreShardCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("simsock-shard-cli-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    ex::ShardReport load(const std::string& name) const {
        std::string error;
        auto r = ex::loadShardReport(path(name), error);
        EXPECT_TRUE(r) << error;
        return r ? *r : ex::ShardReport{};
    }
    fs::path dir_;
};

TEST_F(ExploreShardCli, PrintShardSaysWhichSourceNamedIt) {
    EXPECT_EQ(run("", "--seeds 1..100 --print-shard").text, "shard 0/1 from unsharded: seeds 1..100 step 1 (100 seeds)\n");
    EXPECT_EQ(run("", "--seeds 1..100 --shard 2/3 --print-shard").text,
              "shard 2/3 from flag (--shard 2/3): seeds 3..99 step 3 (33 seeds)\n");
    EXPECT_EQ(run("GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=4", "--seeds 1..100 --print-shard").text,
              "shard 1/4 from googletest (GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=4): seeds 2..98 step 4 (25 seeds)\n");
    EXPECT_EQ(run("SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MAX=8",
                  "--seeds 1..100 --print-shard")
                  .text,
              "shard 2/4 from slurm (SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=4): seeds 3..99 "
              "step 4 (25 seeds)\n");
    EXPECT_EQ(run("JOB_COMPLETION_INDEX=3", "--seeds 1..100 --shards 4 --print-shard").text,
              "shard 3/4 from kubernetes (JOB_COMPLETION_INDEX=3 --shards 4): seeds 4..100 step 4 (25 seeds)\n");
    EXPECT_EQ(run("JOB_COMPLETION_INDEX=0 SIMSOCK_TOTAL_SHARDS=2", "--seeds 1..100 --print-shard").text,
              "shard 0/2 from kubernetes (JOB_COMPLETION_INDEX=0 SIMSOCK_TOTAL_SHARDS=2): seeds 1..99 step 2 (50 seeds)\n");
    EXPECT_EQ(run("GTEST_SHARD_INDEX=0 GTEST_TOTAL_SHARDS=2 SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 "
                  "SLURM_ARRAY_TASK_COUNT=2",
                  "--seeds 1..10 --print-shard")
                  .text,
              "shard 0/2 from googletest (GTEST_SHARD_INDEX=0 GTEST_TOTAL_SHARDS=2): seeds 1..9 step 2 (5 seeds); slurm "
              "variables also set, ignored\n");
}

TEST_F(ExploreShardCli, AWrongIdentityExits2AndRunsNothing) {
    struct Case {
        const char* env;
        const char* args;
        const char* message;
    };
    const Case cases[] = {
        {"", "--shard 4/4", "explore: no shard identity: --shard 4/4: shard index 4 is not below the count 4\n"},
        {"GTEST_SHARD_INDEX=2", "",
         "explore: no shard identity: GoogleTest sharding: GTEST_TOTAL_SHARDS is not set (both GTEST_SHARD_INDEX and "
         "GTEST_TOTAL_SHARDS are needed)\n"},
        {"SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0", "",
         "explore: no shard identity: Slurm job array: SLURM_ARRAY_TASK_COUNT is not set\n"},
        {"SLURM_ARRAY_TASK_ID=x SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=2", "",
         "explore: no shard identity: Slurm job array: SLURM_ARRAY_TASK_ID=x is not a non-negative integer\n"},
        {"SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=4", "",
         "explore: no shard identity: SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=4: shard index 4 "
         "is not below the count 4\n"},
        {"JOB_COMPLETION_INDEX=1", "",
         "explore: no shard identity: JOB_COMPLETION_INDEX=1 without a total: pass --shards N or set SIMSOCK_TOTAL_SHARDS "
         "(the Job's completions)\n"},
        {"JOB_COMPLETION_INDEX=4 SIMSOCK_TOTAL_SHARDS=4", "",
         "explore: no shard identity: JOB_COMPLETION_INDEX=4 SIMSOCK_TOTAL_SHARDS=4: shard index 4 is not below the count "
         "4\n"},
        {"", "--shards 4",
         "explore: no shard identity: a total of 4 shards (--shards or SIMSOCK_TOTAL_SHARDS) but no shard index (--shard, "
         "GTEST_SHARD_INDEX, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)\n"},
    };
    for (const auto& c : cases) {
        auto out = run(c.env, std::string("--seeds 1..10 --report ") + path("r.json") + " " + c.args);
        EXPECT_EQ(out.status, 2) << c.env << " " << c.args;
        EXPECT_EQ(out.text, c.message);
        EXPECT_FALSE(fs::exists(path("r.json"))) << "nothing ran, nothing was written";
    }
}

TEST_F(ExploreShardCli, KubernetesIndicesSetByHandMergeToExactCoverage) {
    std::string reports;
    for (int i = 0; i < 4; ++i) {
        std::string report = path("shard-" + std::to_string(i) + ".json");
        auto out = run("JOB_COMPLETION_INDEX=" + std::to_string(i) + " SIMSOCK_TOTAL_SHARDS=4",
                       "--seeds 1..400 --report " + report);
        ASSERT_EQ(out.status, 0) << out.text;
        reports += " " + report;
    }
    auto shard = load("shard-2.json");
    EXPECT_EQ(shard.source, ex::ShardSource::Kubernetes);
    EXPECT_EQ(shard.shardIndex, 2u);
    EXPECT_EQ(shard.shardCount, 4u);
    EXPECT_EQ(shard.done, 100u);
    EXPECT_TRUE(shard.complete());
    auto merged = run("", "merge" + reports + " --junit " + path("sweep.xml"));
    EXPECT_EQ(merged.status, 0) << merged.text;
    EXPECT_NE(merged.text.find("\ncoverage: exact, 400 seeds each run once\n400 passed, 0 failed\n"), std::string::npos)
        << merged.text;
    std::ifstream junit(path("sweep.xml"));
    std::stringstream text;
    text << junit.rdbuf();
    EXPECT_EQ(text.str(),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"simsock\" tests=\"1\" failures=\"0\" "
              "skipped=\"0\">\n  <testcase classname=\"scenario.explore\" name=\"seeds 1..400 (400 passed)\"/>\n"
              "</testsuite>\n");
    auto missing = run("", "merge " + path("shard-0.json") + " " + path("shard-1.json") + " " + path("shard-3.json"));
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.text.find("\ncoverage: GAP: no report for shard 2/4\ncoverage: GAP: missing 3..399 step 4 (100 seeds)\n"),
              std::string::npos)
        << missing.text;
    EXPECT_EQ(run("", "merge " + path("nothing.json")).status, 2);
}

TEST_F(ExploreShardCli, ResumeSkipsWhatTheReportHasDone) {
    ASSERT_EQ(run("", "--seeds 1..300 --shard 1/3 --report " + path("r.json")).status, 0);
    // Pretend the run stopped after 40 seeds, one of which failed. A seed the resumed run ran again would
    // pass; the failure surviving the resume shows the first 40 were skipped.
    ex::ShardReport partial = load("r.json");
    partial.done = 40;
    partial.failures = {{11, "planted: only in the report", "earlier.json"}};
    ASSERT_TRUE(ex::writeFileAtomically(path("r.json"), ex::writeShardReport(partial)));
    auto out = run("", "--seeds 1..300 --shard 1/3 --resume " + path("r.json"));
    EXPECT_EQ(out.status, 1) << out.text;
    EXPECT_NE(out.text.find("explore: resuming " + path("r.json") + ": 40 of 100 seeds done, 1 failed\n"), std::string::npos)
        << out.text;
    EXPECT_NE(out.text.find("FAIL seed 11: planted: only in the report\n    saved earlier.json (by the resumed run)\n"),
              std::string::npos)
        << out.text;
    EXPECT_NE(out.text.find("\n99 passed, 1 failed ("), std::string::npos) << out.text;
    auto resumed = load("r.json");
    EXPECT_TRUE(resumed.complete());
    ASSERT_EQ(resumed.failures.size(), 1u);
    EXPECT_EQ(resumed.failures[0].seed, 11u);
}

TEST_F(ExploreShardCli, ResumeRefusesAnotherShardOrOptionsAndStartsAfreshWithoutAReport) {
    ASSERT_EQ(run("", "--seeds 1..30 --shard 1/3 --report " + path("r.json")).status, 0);
    auto other = run("", "--seeds 1..30 --shard 2/3 --resume " + path("r.json"));
    EXPECT_EQ(other.status, 2);
    EXPECT_EQ(other.text, "explore: shard 2/3 from flag (--shard 2/3): seeds 3..30 step 3 (10 seeds)\nexplore: cannot resume " +
                              path("r.json") + ": it covers seeds 1..30 shard 1/3, this run seeds 1..30 shard 2/3\n");
    auto options = run("", "--seeds 1..30 --shard 1/3 --shrink-runs 5 --resume " + path("r.json"));
    EXPECT_EQ(options.status, 2);
    EXPECT_NE(options.text.find("cannot resume " + path("r.json") + ": it was written with other --shrink-runs or --max-saved\n"),
              std::string::npos);
    std::ofstream(path("broken.json")) << "{\"format\": 1}";
    auto broken = run("", "--seeds 1..30 --resume " + path("broken.json"));
    EXPECT_EQ(broken.status, 2);
    EXPECT_EQ(broken.text, "explore: cannot resume " + path("broken.json") + ": $.format: is not a string\n");
    auto fresh = run("", "--seeds 1..30 --resume " + path("new.json"));
    EXPECT_EQ(fresh.status, 0);
    EXPECT_NE(fresh.text.find("explore: " + path("new.json") + " does not exist yet: starting at the first seed\n"),
              std::string::npos);
    EXPECT_TRUE(load("new.json").complete());
}

TEST_F(ExploreShardCli, ShardJUnitAndReport) {
    ASSERT_EQ(run("", "--seeds 1..50 --shard 0/2 --report " + path("r.json") + " --junit " + path("r.xml")).status, 0);
    auto r = load("r.json");
    EXPECT_EQ(r.seeds, (ex::SeedRange{1, 50}));
    EXPECT_EQ(r.source, ex::ShardSource::Flag);
    EXPECT_EQ(r.done, 25u);
    EXPECT_EQ(r.passed(), 25u);
    EXPECT_EQ(r.options, (ex::SweepOptions{400, 3}));
    EXPECT_EQ(r.build.rfind("simsock ", 0), 0u) << r.build;
    std::ifstream junit(path("r.xml"));
    std::stringstream text;
    text << junit.rdbuf();
    EXPECT_EQ(text.str(),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"simsock\" tests=\"1\" failures=\"0\" "
              "skipped=\"0\">\n  <testcase classname=\"scenario.explore\" name=\"seeds 1..50 shard 0/2 (25 passed)\"/>\n"
              "</testsuite>\n");
}

// Starts explore in the background with a report; returns its pid.
pid_t startExplore(const std::string& args) {
    pid_t pid = fork();
    if (pid == 0) {
        for (const char* v : {"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
                              "JOB_COMPLETION_INDEX", "SIMSOCK_TOTAL_SHARDS"})
            unsetenv(v);
        std::freopen("/dev/null", "w", stdout);
        std::freopen("/dev/null", "w", stderr);
        execl("/bin/sh", "sh", "-c", ("exec " + std::string(SIMSOCK_BIN) + " explore " + args).c_str(), (char*)nullptr);
        _exit(127);
    }
    return pid;
}

TEST_F(ExploreShardCli, SigtermStopsCleanlyWithAReportThatResumes) {
    const std::string args = "--seeds 1..4000 --jobs 2 --report-every 0.1 --report " + path("r.json");
    pid_t pid = startExplore(args);
    ASSERT_GT(pid, 0);
    // The report is written before the first seed runs: once it exists the sweep is under way.
    for (int i = 0; i < 500 && !fs::exists(path("r.json")); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(fs::exists(path("r.json")));
    kill(pid, SIGTERM);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
    auto stopped = load("r.json");
    EXPECT_FALSE(stopped.complete()) << "4000 seeds finish in far more than the time to signal";
    EXPECT_LT(stopped.done, 4000u);
    auto out = run("", "--seeds 1..4000 --jobs 2 --resume " + path("r.json"));
    EXPECT_EQ(out.status, 0) << out.text;
    EXPECT_NE(out.text.find("explore: resuming " + path("r.json") + ": " + std::to_string(stopped.done) + " of 4000 seeds done"),
              std::string::npos)
        << out.text;
    auto merged = run("", "merge " + path("r.json"));
    EXPECT_EQ(merged.status, 0) << merged.text;
    EXPECT_NE(merged.text.find("\ncoverage: exact, 4000 seeds each run once\n4000 passed, 0 failed\n"), std::string::npos);
}

}  // namespace
}  // namespace simsock::testing
