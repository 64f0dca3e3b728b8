// `simsock explore merge`: the reports of one sweep's shards joined into one verdict. The reports must come
// from the same build and options and name the same seed range; together their done seeds must cover the
// range exactly once. Coverage is checked by walking the reports' progressions in seed order (a k-way
// merge), so any mix of shard counts is judged exactly, and missing or duplicated seeds are named as
// arithmetic runs ("3..19999 step 4"), not one line per seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simsock/scenario/shard_report.h"

namespace simsock::scenario::explore {

/// A report and the file it came from.
struct ShardFile {
    std::string path;
    ShardReport report;
};

struct MergeSummary {
    std::size_t reports = 0;
    SeedRange seeds;
    std::string build;
    std::string fingerprint;
    bool mismatch = false;  ///< builds, options or seed ranges differ
    bool gap = false;       ///< some seeds of the range are in no report
    bool overlap = false;   ///< some seeds are in more than one report
    std::vector<std::string> problems;  ///< one line each: what differs, which shards or seeds are missing or doubled
    std::uint64_t covered = 0;          ///< distinct seeds run
    std::vector<SeedFailure> failures;  ///< distinct failing seeds, ascending

    std::uint64_t requested() const { return seeds.last - seeds.first + 1; }
    std::uint64_t passed() const { return covered - failures.size(); }
    /// 2 on a mismatch, gap or overlap (the sweep cannot be judged), else 1 when a seed failed, else 0.
    int exitCode() const;
};

/// Joins files (at least one). Never throws on bad combinations: they become problems.
MergeSummary mergeShardReports(const std::vector<ShardFile>& files);

/// What `explore merge` prints: a header, the coverage verdict and problems, the failures with their
/// scenario files, and "N passed, N failed".
std::string mergeSummaryText(const MergeSummary& m);

/// One JUnit document for the sweep: a testcase for the passing seeds, one per failing seed, and a failing
/// "coverage" testcase when the coverage is not exact.
std::string mergeJunit(const MergeSummary& m);

/// The JUnit document of one shard's report (explore --junit).
std::string shardJunit(const ShardReport& r);

}  // namespace simsock::scenario::explore
