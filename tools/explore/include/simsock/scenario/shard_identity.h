// Which shard of a seed sweep this process runs, and who said so. A scheduler names the shard through its
// own variables; the order of precedence is fixed: the explicit --shard I/N, then GoogleTest
// (GTEST_SHARD_INDEX, GTEST_TOTAL_SHARDS; CTest and Bazel set them), then a Slurm job array
// (SLURM_ARRAY_TASK_ID, _COUNT, _MIN, _STEP, _MAX), then a Kubernetes Indexed Job (JOB_COMPLETION_INDEX,
// with the total from --shards N or SIMSOCK_TOTAL_SHARDS). A source that is present but wrong or
// inconsistent is an error, never a quiet fallback to the next source: a fallback would run a silent
// partial (or duplicated) sweep.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace simsock::scenario::explore {

/// Where a shard identity came from. Names are in one table (shardSourceName).
enum class ShardSource { Unsharded, Flag, GoogleTest, Slurm, Kubernetes };

/// The source's word in reports and on --print-shard: "unsharded", "flag", "googletest", "slurm", "kubernetes".
const char* shardSourceName(ShardSource s);
/// The source a word names, or nullopt.
std::optional<ShardSource> shardSourceFromName(const std::string& name);

/// Shard index of count (index < count), where it came from, and the variables that said so.
struct ShardIdentity {
    std::uint64_t index = 0;
    std::uint64_t count = 1;
    ShardSource source = ShardSource::Unsharded;
    std::string evidence;              ///< "SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 ..." (empty when unsharded)
    std::vector<std::string> ignored;  ///< lower-precedence sources that were also present
};

/// What the command line says: --shard I/N and --shards N, when given.
struct ShardRequest {
    std::optional<std::string> shard;
    std::optional<std::uint64_t> totalShards;
};

/// getenv's shape: the value of a variable, or nullptr when unset.
using Environment = std::function<const char*(const char*)>;

/// The identity, or the reason there is none (error is then non-empty and names the variables).
struct ShardResolution {
    std::optional<ShardIdentity> identity;
    std::string error;
};

/// Resolves the shard from the request and the environment in the order of precedence above.
ShardResolution resolveShard(const ShardRequest& request, const Environment& env);

/// A non-negative decimal that fits 64 bits, nothing else (no sign, no spaces).
bool parseUnsigned(const std::string& text, std::uint64_t& out);

}  // namespace simsock::scenario::explore
