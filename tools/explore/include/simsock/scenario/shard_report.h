// A shard's report: which seeds it was asked for (the range and the shard, stored as the arithmetic
// progression first+index, step count, never as a list), how far it got, which seeds failed and where
// their shrunk scenario files are, and the build and options that ran it. `simsock explore --report`
// writes it, `--resume` continues from it, `simsock explore merge` joins the reports of a sweep.
//
// Progress is a prefix: `done` says the first done seeds of the progression have run. Worker threads
// finish seeds out of order, so a seed finished beyond the prefix is simply run again on resume.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simsock/scenario/shard_identity.h"

namespace simsock::scenario::explore {

/// The report format's name and version, the first key of every report.
inline constexpr const char* kShardReportFormat = "simsock-explore-shard/1";

/// The seeds first..last, inclusive.
struct SeedRange {
    std::uint64_t first = 1;
    std::uint64_t last = 1000;
    bool operator==(const SeedRange&) const = default;
};

/// The seeds of range that shard index of count runs: start, start + step, ... (length of them).
struct Progression {
    std::uint64_t start = 0;
    std::uint64_t step = 1;
    std::uint64_t length = 0;
    /// The seed at position i (< length).
    std::uint64_t at(std::uint64_t i) const { return start + i * step; }
};

/// The progression of shard index of count over range (length 0 when the shard has no seed).
Progression shardProgression(const SeedRange& range, std::uint64_t index, std::uint64_t count);

/// The options of a sweep that change what a report says (the shrunk files, how many are saved). The seed
/// a case comes from is the whole input of the generator, so no generator option exists today; one added
/// later belongs here.
struct SweepOptions {
    int shrinkRuns = 400;
    int maxSaved = 3;
    bool operator==(const SweepOptions&) const = default;
};

/// A failing seed: the invariant's message and the shrunk scenario file ("" when not saved).
struct SeedFailure {
    std::uint64_t seed = 0;
    std::string message;
    std::string scenario;
};

struct ShardReport {
    std::string build;  ///< the build's identity (version, git describe, sources hash, compiler, build type)
    SweepOptions options;
    SeedRange seeds;
    std::uint64_t shardIndex = 0;
    std::uint64_t shardCount = 1;
    ShardSource source = ShardSource::Unsharded;
    std::uint64_t done = 0;              ///< the first done seeds of progression() have run
    std::vector<SeedFailure> failures;   ///< the failing seeds among them, ascending
    double elapsedSeconds = 0.0;         ///< wall time of the runs that wrote it (informational)

    Progression progression() const { return shardProgression(seeds, shardIndex, shardCount); }
    bool complete() const { return done == progression().length; }
    std::uint64_t passed() const { return done - failures.size(); }
    /// A hash of build and options: equal fingerprints mean the same build ran the same options.
    std::string fingerprint() const;
};

/// Why a run that would write current cannot continue previous (another build, options, seed range or
/// shard), or "" when it can: it then skips previous.done seeds and keeps previous.failures.
std::string resumeMismatch(const ShardReport& previous, const ShardReport& current);

/// The report as JSON text (one key per line at the top, compact failures).
std::string writeShardReport(const ShardReport& r);

/// Parses and checks a report; on failure returns nullopt and sets error ("$.shard.index: ...").
std::optional<ShardReport> readShardReport(const std::string& text, std::string& error);

/// readShardReport of a file; error starts with the path.
std::optional<ShardReport> loadShardReport(const std::string& path, std::string& error);

/// Writes text to path through a temporary file and a rename, so a reader never sees half a report.
bool writeFileAtomically(const std::string& path, const std::string& text);

/// FNV-1a, 64 bits, as 16 hex digits: a short stable name for a text (not a security hash).
std::string hashText(const std::string& text);

}  // namespace simsock::scenario::explore
