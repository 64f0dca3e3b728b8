// Shard identity: the order of precedence, each source's arithmetic, and every way a present source can
// be wrong (each an error naming the variables, never a fallback to the next source).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "simsock/scenario/shard_identity.h"

namespace simsock::testing {
namespace {

namespace ex = scenario::explore;

struct FakeEnv {
    std::map<std::string, std::string> vars;
    ex::Environment env() const {
        return [this](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

ex::ShardResolution resolve(const FakeEnv& e, std::optional<std::string> flag = std::nullopt,
                            std::optional<std::uint64_t> total = std::nullopt) {
    return ex::resolveShard(ex::ShardRequest{std::move(flag), total}, e.env());
}

void expectShard(const ex::ShardResolution& r, std::uint64_t index, std::uint64_t count, ex::ShardSource source) {
    ASSERT_TRUE(r.identity) << r.error;
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.identity->index, index);
    EXPECT_EQ(r.identity->count, count);
    EXPECT_EQ(r.identity->source, source);
}

const FakeEnv kGtest{{{"GTEST_SHARD_INDEX", "1"}, {"GTEST_TOTAL_SHARDS", "3"}}};
const FakeEnv kSlurm{{{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
                      {"SLURM_ARRAY_TASK_STEP", "1"}, {"SLURM_ARRAY_TASK_MAX", "3"}}};
const FakeEnv kK8s{{{"JOB_COMPLETION_INDEX", "3"}, {"SIMSOCK_TOTAL_SHARDS", "5"}}};

FakeEnv joined(std::initializer_list<FakeEnv> envs) {
    FakeEnv out;
    for (const auto& e : envs) out.vars.insert(e.vars.begin(), e.vars.end());
    return out;
}

TEST(ShardIdentity, NothingSetRunsEverySeed) {
    auto r = resolve(FakeEnv{});
    expectShard(r, 0, 1, ex::ShardSource::Unsharded);
    EXPECT_EQ(r.identity->evidence, "");
    EXPECT_TRUE(r.identity->ignored.empty());
}

TEST(ShardIdentity, EachSourceAlone) {
    expectShard(resolve(FakeEnv{}, "2/7"), 2, 7, ex::ShardSource::Flag);
    expectShard(resolve(kGtest), 1, 3, ex::ShardSource::GoogleTest);
    expectShard(resolve(kSlurm), 2, 4, ex::ShardSource::Slurm);
    expectShard(resolve(kK8s), 3, 5, ex::ShardSource::Kubernetes);
    EXPECT_EQ(resolve(kSlurm).identity->evidence,
              "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=1");
    EXPECT_EQ(resolve(kK8s).identity->evidence, "JOB_COMPLETION_INDEX=3 SIMSOCK_TOTAL_SHARDS=5");
}

TEST(ShardIdentity, PrecedenceFlagThenGoogleTestThenSlurmThenKubernetes) {
    FakeEnv all = joined({kGtest, kSlurm, kK8s});
    // SIMSOCK_TOTAL_SHARDS=5 would be the expected total of every source; this test is about precedence.
    all.vars.erase("SIMSOCK_TOTAL_SHARDS");
    auto r = resolve(all, "0/2");
    expectShard(r, 0, 2, ex::ShardSource::Flag);
    EXPECT_EQ(r.identity->ignored, (std::vector<std::string>{"googletest", "slurm", "kubernetes"}));
    all.vars.erase("JOB_COMPLETION_INDEX");
    r = resolve(all);
    expectShard(r, 1, 3, ex::ShardSource::GoogleTest);
    EXPECT_EQ(r.identity->ignored, (std::vector<std::string>{"slurm"}));
    all.vars.erase("GTEST_SHARD_INDEX");
    all.vars.erase("GTEST_TOTAL_SHARDS");
    expectShard(resolve(all), 2, 4, ex::ShardSource::Slurm);
    FakeEnv slurmAndK8s = joined({kSlurm, FakeEnv{{{"JOB_COMPLETION_INDEX", "1"}}}});
    r = resolve(slurmAndK8s, std::nullopt, 4);
    expectShard(r, 2, 4, ex::ShardSource::Slurm);
    EXPECT_EQ(r.identity->ignored, (std::vector<std::string>{"kubernetes"}));
}

TEST(ShardIdentity, AHigherSourceThatIsWrongIsAnErrorNotAFallback) {
    FakeEnv env = joined({kSlurm, FakeEnv{{{"GTEST_SHARD_INDEX", "3"}, {"GTEST_TOTAL_SHARDS", "3"}}}});
    auto r = resolve(env);
    EXPECT_FALSE(r.identity);
    EXPECT_EQ(r.error, "GTEST_SHARD_INDEX=3 GTEST_TOTAL_SHARDS=3: shard index 3 is not below the count 3");
}

TEST(ShardIdentity, FlagErrors) {
    EXPECT_EQ(resolve(FakeEnv{}, "4/4").error, "--shard 4/4: shard index 4 is not below the count 4");
    EXPECT_EQ(resolve(FakeEnv{}, "0/0").error, "--shard 0/0: a shard count of 0 names no shard");
    EXPECT_EQ(resolve(FakeEnv{}, "1").error, "--shard 1: wants I/N, two non-negative integers");
    EXPECT_EQ(resolve(FakeEnv{}, "-1/4").error, "--shard -1/4: wants I/N, two non-negative integers");
    EXPECT_EQ(resolve(FakeEnv{}, "1/x").error, "--shard 1/x: wants I/N, two non-negative integers");
    EXPECT_EQ(resolve(FakeEnv{}, "1/4", 3).error,
              "--shard 1/4: 4 shards, but the expected total (--shards or SIMSOCK_TOTAL_SHARDS) is 3");
}

TEST(ShardIdentity, GoogleTestErrors) {
    EXPECT_EQ(resolve(FakeEnv{{{"GTEST_SHARD_INDEX", "1"}}}).error,
              "GoogleTest sharding: GTEST_TOTAL_SHARDS is not set (both GTEST_SHARD_INDEX and GTEST_TOTAL_SHARDS are needed)");
    EXPECT_EQ(resolve(FakeEnv{{{"GTEST_TOTAL_SHARDS", "2"}}}).error,
              "GoogleTest sharding: GTEST_SHARD_INDEX is not set (both GTEST_SHARD_INDEX and GTEST_TOTAL_SHARDS are needed)");
    EXPECT_EQ(resolve(FakeEnv{{{"GTEST_SHARD_INDEX", "one"}, {"GTEST_TOTAL_SHARDS", "2"}}}).error,
              "GoogleTest sharding: GTEST_SHARD_INDEX=one is not a non-negative integer (both GTEST_SHARD_INDEX and "
              "GTEST_TOTAL_SHARDS are needed)");
    EXPECT_EQ(resolve(FakeEnv{{{"GTEST_SHARD_INDEX", "0"}, {"GTEST_TOTAL_SHARDS", "0"}}}).error,
              "GTEST_SHARD_INDEX=0 GTEST_TOTAL_SHARDS=0: a shard count of 0 names no shard");
}

TEST(ShardIdentity, SlurmHonoursMinAndStep) {
    // --array=4-7: task 6 is the third of four.
    FakeEnv a{{{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_MIN", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
               {"SLURM_ARRAY_TASK_MAX", "7"}}};
    expectShard(resolve(a), 2, 4, ex::ShardSource::Slurm);
    // --array=0-6:2 (what Slurm 22.05 sets): task 4 is the third of four.
    FakeEnv b{{{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
               {"SLURM_ARRAY_TASK_STEP", "2"}, {"SLURM_ARRAY_TASK_MAX", "6"}}};
    expectShard(resolve(b), 2, 4, ex::ShardSource::Slurm);
}

TEST(ShardIdentity, SlurmErrors) {
    auto with = [](std::map<std::string, std::string> changes) {
        FakeEnv e = kSlurm;
        for (auto& [k, v] : changes) {
            if (v == "<unset>") e.vars.erase(k);
            else e.vars[k] = v;
        }
        return resolve(e).error;
    };
    const std::string ev = "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=1";
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_COUNT", "<unset>"}}), "Slurm job array: SLURM_ARRAY_TASK_COUNT is not set");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_MIN", "<unset>"}}), "Slurm job array: SLURM_ARRAY_TASK_MIN is not set");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_ID", "<unset>"}}), "Slurm job array: SLURM_ARRAY_TASK_ID is not set");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_ID", "2a"}}), "Slurm job array: SLURM_ARRAY_TASK_ID=2a is not a non-negative integer");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_COUNT", ""}}), "Slurm job array: SLURM_ARRAY_TASK_COUNT= is not a non-negative integer");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_MIN", "3"}}),
              "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=1: the task ID is "
              "not MIN plus a multiple of the step");
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_STEP", "0"}}),
              "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=0: a step of 0");
    // --array=0,2,9 is a list, not a range: MIN + (COUNT-1)*STEP != MAX.
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_COUNT", "3"}, {"SLURM_ARRAY_TASK_MAX", "9"}}),
              "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_STEP=1 "
              "SLURM_ARRAY_TASK_MAX=9: the array is not the evenly spaced range MIN-MAX:STEP (submit --array=0-N)");
    // Without MAX the index itself catches a task beyond the count.
    EXPECT_EQ(with({{"SLURM_ARRAY_TASK_MAX", "<unset>"}, {"SLURM_ARRAY_TASK_COUNT", "2"}}),
              "SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=2 SLURM_ARRAY_TASK_STEP=1: shard index 2 "
              "is not below the count 2");
    EXPECT_EQ(with({}), "");
    EXPECT_EQ(resolve(kSlurm, std::nullopt, 3).error,
              ev + ": 4 shards, but the expected total (--shards or SIMSOCK_TOTAL_SHARDS) is 3");
}

TEST(ShardIdentity, KubernetesTotalFromFlagOrVariable) {
    FakeEnv index{{{"JOB_COMPLETION_INDEX", "2"}}};
    auto r = resolve(index, std::nullopt, 4);
    expectShard(r, 2, 4, ex::ShardSource::Kubernetes);
    EXPECT_EQ(r.identity->evidence, "JOB_COMPLETION_INDEX=2 --shards 4");
    expectShard(resolve(joined({index, FakeEnv{{{"SIMSOCK_TOTAL_SHARDS", "4"}}}}), std::nullopt, 4), 2, 4,
                ex::ShardSource::Kubernetes);
}

TEST(ShardIdentity, KubernetesErrors) {
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "2"}}}).error,
              "JOB_COMPLETION_INDEX=2 without a total: pass --shards N or set SIMSOCK_TOTAL_SHARDS (the Job's completions)");
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "x"}}}, std::nullopt, 4).error,
              "Kubernetes Indexed Job: JOB_COMPLETION_INDEX=x is not a non-negative integer");
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "4"}, {"SIMSOCK_TOTAL_SHARDS", "4"}}}).error,
              "JOB_COMPLETION_INDEX=4 SIMSOCK_TOTAL_SHARDS=4: shard index 4 is not below the count 4");
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "1"}, {"SIMSOCK_TOTAL_SHARDS", "four"}}}).error,
              "SIMSOCK_TOTAL_SHARDS=four is not a non-negative integer");
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "1"}, {"SIMSOCK_TOTAL_SHARDS", "4"}}}, std::nullopt, 3).error,
              "--shards 3 disagrees with SIMSOCK_TOTAL_SHARDS=4");
    EXPECT_EQ(resolve(FakeEnv{{{"JOB_COMPLETION_INDEX", "0"}, {"SIMSOCK_TOTAL_SHARDS", "0"}}}).error,
              "JOB_COMPLETION_INDEX=0 SIMSOCK_TOTAL_SHARDS=0: a shard count of 0 names no shard");
}

TEST(ShardIdentity, ATotalWithoutAnIndexIsAnError) {
    const std::string why = "a total of 4 shards (--shards or SIMSOCK_TOTAL_SHARDS) but no shard index (--shard, "
                            "GTEST_SHARD_INDEX, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)";
    EXPECT_EQ(resolve(FakeEnv{}, std::nullopt, 4).error, why);
    EXPECT_EQ(resolve(FakeEnv{{{"SIMSOCK_TOTAL_SHARDS", "4"}}}).error, why);
}

TEST(ShardIdentity, SourceNamesRoundTrip) {
    for (auto s : {ex::ShardSource::Unsharded, ex::ShardSource::Flag, ex::ShardSource::GoogleTest, ex::ShardSource::Slurm,
                   ex::ShardSource::Kubernetes})
        EXPECT_EQ(ex::shardSourceFromName(ex::shardSourceName(s)), s);
    EXPECT_EQ(ex::shardSourceFromName("lsf"), std::nullopt);
}

TEST(ShardIdentity, ParseUnsigned) {
    std::uint64_t v = 7;
    EXPECT_TRUE(ex::parseUnsigned("18446744073709551615", v));
    EXPECT_EQ(v, 18446744073709551615ull);
    EXPECT_FALSE(ex::parseUnsigned("18446744073709551616", v));
    EXPECT_FALSE(ex::parseUnsigned("", v));
    EXPECT_FALSE(ex::parseUnsigned(" 1", v));
    EXPECT_FALSE(ex::parseUnsigned("+1", v));
    EXPECT_FALSE(ex::parseUnsigned("1 ", v));
}

}  // namespace
}  // namespace simsock::testing
