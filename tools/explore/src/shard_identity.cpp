// Shard identity from the command line or a scheduler's variables. Each source is one function that says
// "not present" (nullopt) or resolves fully, to an identity or to an error; resolveShard takes the first
// present source in the order of precedence and lists the others as ignored.
#include "simsock/scenario/shard_identity.h"

#include <charconv>
#include <iterator>
#include <utility>

namespace simsock::scenario::explore {
namespace {

struct SourceName {
    ShardSource source;
    const char* name;
};
constexpr SourceName kSourceNames[] = {
    {ShardSource::Unsharded, "unsharded"}, {ShardSource::Flag, "flag"},        {ShardSource::GoogleTest, "googletest"},
    {ShardSource::Slurm, "slurm"},         {ShardSource::Kubernetes, "kubernetes"},
};

using Attempt = std::optional<ShardResolution>;

ShardResolution failure(std::string why) { return ShardResolution{std::nullopt, std::move(why)}; }

ShardResolution found(std::uint64_t index, std::uint64_t count, ShardSource source, std::string evidence) {
    return ShardResolution{ShardIdentity{index, count, source, std::move(evidence), {}}, {}};
}

std::string setting(const char* name, const char* value) { return std::string(name) + "=" + value; }

// Reads variable name as a number; false with why set when it is unset or not a number.
bool numberVariable(const Environment& env, const char* name, std::uint64_t& out, std::string& why) {
    const char* value = env(name);
    if (!value) {
        why = std::string(name) + " is not set";
        return false;
    }
    if (!parseUnsigned(value, out)) {
        why = setting(name, value) + " is not a non-negative integer";
        return false;
    }
    return true;
}

ShardResolution indexOfCount(std::uint64_t index, std::uint64_t count, ShardSource source, std::string evidence) {
    if (count == 0) return failure(evidence + ": a shard count of 0 names no shard");
    if (index >= count)
        return failure(evidence + ": shard index " + std::to_string(index) + " is not below the count " +
                       std::to_string(count));
    return found(index, count, source, std::move(evidence));
}

Attempt fromFlag(const ShardRequest& r, const Environment&) {
    if (!r.shard) return std::nullopt;
    const std::string& text = *r.shard;
    auto slash = text.find('/');
    std::uint64_t index = 0, count = 0;
    if (slash == std::string::npos || !parseUnsigned(text.substr(0, slash), index) ||
        !parseUnsigned(text.substr(slash + 1), count))
        return failure("--shard " + text + ": wants I/N, two non-negative integers");
    return indexOfCount(index, count, ShardSource::Flag, "--shard " + text);
}

Attempt fromGoogleTest(const ShardRequest&, const Environment& env) {
    const char* at = env("GTEST_SHARD_INDEX");
    const char* total = env("GTEST_TOTAL_SHARDS");
    if (!at && !total) return std::nullopt;
    std::uint64_t index = 0, count = 0;
    std::string why;
    if (!numberVariable(env, "GTEST_SHARD_INDEX", index, why) || !numberVariable(env, "GTEST_TOTAL_SHARDS", count, why))
        return failure("GoogleTest sharding: " + why + " (both GTEST_SHARD_INDEX and GTEST_TOTAL_SHARDS are needed)");
    return indexOfCount(index, count, ShardSource::GoogleTest,
                        setting("GTEST_SHARD_INDEX", at) + " " + setting("GTEST_TOTAL_SHARDS", total));
}

// A Slurm array is evenly spaced (--array=MIN-MAX[:STEP]); task ID is shard (ID - MIN) / STEP. A list such
// as --array=1,3,7 is not, and is refused: its tasks could not tell which seeds are theirs.
Attempt fromSlurm(const ShardRequest&, const Environment& env) {
    if (!env("SLURM_ARRAY_TASK_ID") && !env("SLURM_ARRAY_TASK_COUNT")) return std::nullopt;
    std::uint64_t id = 0, count = 0, min = 0, step = 1, max = 0;
    std::string why;
    if (!numberVariable(env, "SLURM_ARRAY_TASK_ID", id, why) || !numberVariable(env, "SLURM_ARRAY_TASK_COUNT", count, why) ||
        !numberVariable(env, "SLURM_ARRAY_TASK_MIN", min, why) ||
        (env("SLURM_ARRAY_TASK_STEP") && !numberVariable(env, "SLURM_ARRAY_TASK_STEP", step, why)) ||
        (env("SLURM_ARRAY_TASK_MAX") && !numberVariable(env, "SLURM_ARRAY_TASK_MAX", max, why)))
        return failure("Slurm job array: " + why);
    std::string evidence = setting("SLURM_ARRAY_TASK_ID", env("SLURM_ARRAY_TASK_ID")) + " " +
                           setting("SLURM_ARRAY_TASK_MIN", env("SLURM_ARRAY_TASK_MIN")) + " " +
                           setting("SLURM_ARRAY_TASK_COUNT", env("SLURM_ARRAY_TASK_COUNT"));
    if (env("SLURM_ARRAY_TASK_STEP")) evidence += " " + setting("SLURM_ARRAY_TASK_STEP", env("SLURM_ARRAY_TASK_STEP"));
    if (step == 0) return failure(evidence + ": a step of 0");
    if (id < min || (id - min) % step != 0)
        return failure(evidence + ": the task ID is not MIN plus a multiple of the step");
    if (count > 0 && env("SLURM_ARRAY_TASK_MAX") && max != min + (count - 1) * step)
        return failure(evidence + " " + setting("SLURM_ARRAY_TASK_MAX", env("SLURM_ARRAY_TASK_MAX")) +
                       ": the array is not the evenly spaced range MIN-MAX:STEP (submit --array=0-N)");
    return indexOfCount((id - min) / step, count, ShardSource::Slurm, evidence);
}

// Kubernetes gives the index only; the total comes from the manifest (SIMSOCK_TOTAL_SHARDS, set to the
// Job's completions) or --shards. resolveShard has already checked that the two agree.
Attempt fromKubernetes(const ShardRequest& r, const Environment& env) {
    const char* at = env("JOB_COMPLETION_INDEX");
    if (!at) return std::nullopt;
    std::uint64_t index = 0;
    std::string why;
    if (!numberVariable(env, "JOB_COMPLETION_INDEX", index, why)) return failure("Kubernetes Indexed Job: " + why);
    std::string evidence = setting("JOB_COMPLETION_INDEX", at);
    if (!r.totalShards) return failure(evidence + " without a total: pass --shards N or set SIMSOCK_TOTAL_SHARDS (the Job's completions)");
    const char* total = env("SIMSOCK_TOTAL_SHARDS");
    evidence += total ? " " + setting("SIMSOCK_TOTAL_SHARDS", total) : " --shards " + std::to_string(*r.totalShards);
    return indexOfCount(index, *r.totalShards, ShardSource::Kubernetes, evidence);
}

struct Source {
    ShardSource source;
    Attempt (*resolve)(const ShardRequest&, const Environment&);
};
constexpr Source kPrecedence[] = {
    {ShardSource::Flag, fromFlag},
    {ShardSource::GoogleTest, fromGoogleTest},
    {ShardSource::Slurm, fromSlurm},
    {ShardSource::Kubernetes, fromKubernetes},
};

// --shards N and SIMSOCK_TOTAL_SHARDS both state the expected total; they must agree with each other and
// later with the identity's count.
bool expectedTotal(ShardRequest& r, const Environment& env, std::string& why) {
    const char* total = env("SIMSOCK_TOTAL_SHARDS");
    if (!total) return true;
    std::uint64_t value = 0;
    if (!parseUnsigned(total, value)) {
        why = setting("SIMSOCK_TOTAL_SHARDS", total) + " is not a non-negative integer";
        return false;
    }
    if (r.totalShards && *r.totalShards != value) {
        why = "--shards " + std::to_string(*r.totalShards) + " disagrees with " + setting("SIMSOCK_TOTAL_SHARDS", total);
        return false;
    }
    r.totalShards = value;
    return true;
}

}  // namespace

const char* shardSourceName(ShardSource s) {
    for (const auto& n : kSourceNames)
        if (n.source == s) return n.name;
    return "?";
}

std::optional<ShardSource> shardSourceFromName(const std::string& name) {
    for (const auto& n : kSourceNames)
        if (name == n.name) return n.source;
    return std::nullopt;
}

bool parseUnsigned(const std::string& text, std::uint64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

ShardResolution resolveShard(const ShardRequest& request, const Environment& env) {
    ShardRequest r = request;
    std::string why;
    if (!expectedTotal(r, env, why)) return failure(why);
    ShardResolution chosen;
    for (const auto& source : kPrecedence) {
        Attempt attempt = source.resolve(r, env);
        if (!attempt) continue;
        if (chosen.identity || !chosen.error.empty()) {
            if (chosen.identity) chosen.identity->ignored.emplace_back(shardSourceName(source.source));
            continue;
        }
        chosen = std::move(*attempt);
    }
    if (!chosen.error.empty()) return chosen;
    if (!chosen.identity) {
        if (r.totalShards)
            return failure("a total of " + std::to_string(*r.totalShards) +
                           " shards (--shards or SIMSOCK_TOTAL_SHARDS) but no shard index (--shard, GTEST_SHARD_INDEX, "
                           "SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)");
        return found(0, 1, ShardSource::Unsharded, "");
    }
    if (r.totalShards && chosen.identity->count != *r.totalShards)
        return failure(chosen.identity->evidence + ": " + std::to_string(chosen.identity->count) +
                       " shards, but the expected total (--shards or SIMSOCK_TOTAL_SHARDS) is " +
                       std::to_string(*r.totalShards));
    return chosen;
}

}  // namespace simsock::scenario::explore
