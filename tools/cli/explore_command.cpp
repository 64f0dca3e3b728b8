// `simsock explore` and `simsock explore merge`. The shard comes from --shard or a scheduler's variables
// (simsock/scenario/shard_identity.h); the seed list depends only on --seeds and the shard, never on --jobs.
// Reports, resuming and merging are the explore room's (shard_report.h, seed_ledger.h, shard_merge.h);
// this file reads options, runs, and prints.
#include "explore_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "build_id.h"
#include "explore_sweep.h"
#include "simsock/scenario/explore.h"
#include "simsock/scenario/shard_merge.h"
#include "simsock/scenario/writer.h"

namespace simsock::cli {
namespace {

namespace ex = scenario::explore;

struct ExploreArgs {
    std::string seeds = "1..1000";
    unsigned jobs = 1;
    std::string shard;
    std::uint64_t totalShards = 0;
    bool printShard = false;
    bool listSeeds = false;
    std::string outDir;
    std::string writeCases;
    ex::SweepOptions options;
    std::string report;
    std::string resume;
    std::string junit;
    double reportEvery = 10.0;
};

struct MergeArgs {
    std::vector<std::string> files;
    std::string junit;
};

// "A..B" (inclusive) or a single seed "A".
bool parseRange(const std::string& text, ex::SeedRange& range) {
    auto dots = text.find("..");
    if (dots == std::string::npos) return ex::parseUnsigned(text, range.first) && ex::parseUnsigned(text, range.last);
    return ex::parseUnsigned(text.substr(0, dots), range.first) && ex::parseUnsigned(text.substr(dots + 2), range.last) &&
           range.first <= range.last;
}

std::string counterexampleDir(const ExploreArgs& a) {
    if (!a.outDir.empty()) return a.outDir;
    if (const char* d = std::getenv("SIMSOCK_COUNTEREXAMPLE_DIR")) return d;
    return ".";
}

bool writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

// Shrinks the failing case of seed and writes it; prints what was saved; returns the file ("" if unwritten).
std::string saveCounterexample(std::uint64_t seed, const ExploreArgs& a) {
    scenario::Scenario generated = ex::generateCase(seed);
    auto violation = scenario::runCase(generated);
    if (!violation) return "";  // cannot happen: cases are deterministic; the report keeps the seed anyway
    auto [small, why] = ex::shrinkCase(generated, *violation, a.options.shrinkRuns);
    std::string dir = counterexampleDir(a);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::string path = (std::filesystem::path(dir) / ("explore-seed-" + std::to_string(seed) + ".json")).string();
    scenario::Scenario file = scenario::counterexample(small, why, "simsock explore seed " + std::to_string(seed));
    if (!writeText(path, scenario::writeScenario(file))) {
        std::cout << "    cannot write " << path << "\n";
        return "";
    }
    std::cout << "    shrunk to " << small.actions.size() << " actions, " << small.faults.size() << " faults, "
              << small.peers.front().script.size() << " peer steps: " << why.message << "\n    saved " << path << "\n";
    return path;
}

int writeCases(const std::vector<std::uint64_t>& seeds, const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    for (auto seed : seeds) {
        std::string path = (std::filesystem::path(dir) / ("case-" + std::to_string(seed) + ".json")).string();
        if (!writeText(path, scenario::writeScenario(ex::generateCase(seed)))) {
            std::cerr << path << ": cannot write\n";
            return 2;
        }
    }
    return 0;
}

std::string shardLine(const ex::ShardIdentity& id, const ex::SeedRange& range) {
    ex::Progression p = ex::shardProgression(range, id.index, id.count);
    std::string out = "shard " + std::to_string(id.index) + "/" + std::to_string(id.count) + " from " +
                      ex::shardSourceName(id.source);
    if (!id.evidence.empty()) out += " (" + id.evidence + ")";
    out += ": seeds " + std::to_string(p.start) + ".." + std::to_string(p.length ? p.at(p.length - 1) : p.start) +
           " step " + std::to_string(p.step) + " (" + std::to_string(p.length) + " seeds)";
    for (const auto& other : id.ignored) out += "; " + other + " variables also set, ignored";
    return out;
}

// The previous report to continue, checked against this run; nullopt with rc set when it cannot be.
std::optional<ex::ShardReport> previousReport(const ExploreArgs& a, const ex::ShardReport& fresh, int& rc) {
    rc = 0;
    std::error_code ec;
    if (a.resume.empty() || !std::filesystem::exists(a.resume, ec)) {
        if (!a.resume.empty()) std::cerr << "explore: " << a.resume << " does not exist yet: starting at the first seed\n";
        return std::nullopt;
    }
    std::string error;
    auto previous = ex::loadShardReport(a.resume, error);
    if (previous) error = ex::resumeMismatch(*previous, fresh);
    if (!error.empty()) {
        std::cerr << "explore: cannot resume " << (previous ? a.resume + ": " : "") << error << "\n";
        rc = 2;
        return std::nullopt;
    }
    std::cerr << "explore: resuming " << a.resume << ": " << previous->done << " of " << previous->progression().length
              << " seeds done, " << previous->failures.size() << " failed\n";
    return previous;
}

// Saves shrunk files for failures without one, up to --max-saved files in the shard; prints each failure.
void reportFailures(ex::ShardReport& r, const ExploreArgs& a) {
    int saved = 0;
    for (const auto& f : r.failures) saved += f.scenario.empty() ? 0 : 1;
    for (auto& f : r.failures) {
        std::cout << "FAIL seed " << f.seed << ": " << f.message << "\n";
        if (!f.scenario.empty()) std::cout << "    saved " << f.scenario << " (by the resumed run)\n";
        else if (saved < a.options.maxSaved && !(f.scenario = saveCounterexample(f.seed, a)).empty()) ++saved;
    }
}

bool writeOutputs(const ex::ShardReport& r, const ExploreArgs& a, const std::string& reportPath) {
    bool ok = true;
    if (!reportPath.empty() && !ex::writeFileAtomically(reportPath, ex::writeShardReport(r))) {
        std::cerr << "explore: cannot write " << reportPath << "\n";
        ok = false;
    }
    if (!a.junit.empty() && !writeText(a.junit, ex::shardJunit(r))) {
        std::cerr << "explore: cannot write " << a.junit << "\n";
        ok = false;
    }
    return ok;
}

int sweep(const ExploreArgs& a, ex::ShardReport report) {
    int rc = 0;
    auto previous = previousReport(a, report, rc);
    if (rc) return rc;
    const std::string reportPath = a.report.empty() ? a.resume : a.report;
    double before = previous ? previous->elapsedSeconds : 0.0;
    if (previous) report.done = previous->done, report.failures = previous->failures;
    report.elapsedSeconds = before;
    if (!reportPath.empty() && !ex::writeFileAtomically(reportPath, ex::writeShardReport(report))) {
        std::cerr << "explore: cannot write " << reportPath << "\n";
        return 2;
    }
    ex::Progression p = report.progression();
    ex::SeedLedger ledger(p, report.done, report.failures, a.jobs);
    auto checkpoint = [&](const ex::SeedLedger::Snapshot& s, double seconds) {
        report.done = s.done, report.failures = s.failures, report.elapsedSeconds = before + seconds;
        if (!reportPath.empty()) ex::writeFileAtomically(reportPath, ex::writeShardReport(report));
    };
    SweepOutcome run = runSweep(ledger, p, SweepSettings{a.jobs, a.reportEvery, !reportPath.empty()}, checkpoint);
    report.done = run.last.done, report.failures = run.last.failures, report.elapsedSeconds = before + run.seconds;
    if (run.stopSignal == 0) reportFailures(report, a);
    if (!writeOutputs(report, a, reportPath)) return 2;
    if (run.stopSignal != 0) {
        std::printf("stopped by signal %d after %llu of %llu seeds; continue with --resume %s\n", run.stopSignal,
                    static_cast<unsigned long long>(report.done), static_cast<unsigned long long>(p.length),
                    reportPath.c_str());
        std::fflush(stdout);
        return 128 + run.stopSignal;
    }
    double rate = run.seconds > 0 ? static_cast<double>(run.ran) / run.seconds : 0.0;
    std::printf("%llu passed, %zu failed (%.0f cases/s, %.1f s, %u jobs)\n",
                static_cast<unsigned long long>(report.passed()), report.failures.size(), rate, run.seconds,
                std::max(1u, a.jobs));
    std::fflush(stdout);
    return report.failures.empty() ? 0 : 1;
}

int explore(const ExploreArgs& a, bool shardGiven, bool totalGiven) {
    ex::SeedRange range;
    if (!parseRange(a.seeds, range)) {
        std::cerr << "explore: --seeds wants A..B with A <= B, got \"" << a.seeds << "\"\n";
        return 2;
    }
    ex::ShardRequest request;
    if (shardGiven) request.shard = a.shard;
    if (totalGiven) request.totalShards = a.totalShards;
    auto resolved = ex::resolveShard(request, [](const char* name) { return std::getenv(name); });
    if (!resolved.identity) {
        std::cerr << "explore: no shard identity: " << resolved.error << "\n";
        return 2;
    }
    const ex::ShardIdentity& id = *resolved.identity;
    // GoogleTest's protocol: a sharded binary touches this file to say it understood the sharding.
    if (const char* status = std::getenv("GTEST_SHARD_STATUS_FILE"); status && id.source == ex::ShardSource::GoogleTest)
        std::ofstream touch(status);
    if (a.printShard) {
        std::cout << shardLine(id, range) << "\n";
        return 0;
    }
    std::vector<std::uint64_t> seeds;
    if (a.listSeeds || !a.writeCases.empty()) seeds = ex::shardSeeds(range.first, range.last, id.index, id.count);
    if (a.listSeeds) {
        for (auto s : seeds) std::cout << s << "\n";
        return 0;
    }
    if (!a.writeCases.empty()) return writeCases(seeds, a.writeCases);
    if (id.source != ex::ShardSource::Unsharded) std::cerr << "explore: " << shardLine(id, range) << "\n";
    ex::ShardReport report;
    report.build = buildId();
    report.options = a.options;
    report.seeds = range;
    report.shardIndex = id.index;
    report.shardCount = id.count;
    report.source = id.source;
    return sweep(a, std::move(report));
}

int merge(const MergeArgs& a) {
    std::vector<ex::ShardFile> files;
    for (const auto& path : a.files) {
        std::string error;
        auto r = ex::loadShardReport(path, error);
        if (!r) {
            std::cerr << "explore merge: " << error << "\n";
            return 2;
        }
        files.push_back(ex::ShardFile{path, std::move(*r)});
    }
    ex::MergeSummary m = ex::mergeShardReports(files);
    std::cout << ex::mergeSummaryText(m);
    std::cout.flush();
    if (!a.junit.empty() && !writeText(a.junit, ex::mergeJunit(m))) {
        std::cerr << "explore merge: cannot write " << a.junit << "\n";
        return 2;
    }
    return m.exitCode();
}

void addMergeCommand(CLI::App& explore, MergeArgs& args) {
    CLI::App* cmd = explore.add_subcommand("merge", "Join shard reports (--report) into one verdict: same build and options, "
                                                    "every seed of the range exactly once; exit 1 on a failed seed, 2 on "
                                                    "a gap, overlap or mismatch");
    cmd->add_option("reports", args.files, "Shard report files")->required();
    cmd->add_option("--junit", args.junit, "Write one JUnit XML report for the sweep to FILE");
}

}  // namespace

ExploreCommand addExploreCommand(CLI::App& app) {
    auto args = std::make_shared<ExploreArgs>();
    auto mergeArgs = std::make_shared<MergeArgs>();
    CLI::App* cmd = app.add_subcommand("explore", "Run random scenarios by seed on the sim and check the invariants; "
                                                  "a failing seed is shrunk and saved as a scenario file");
    cmd->add_option("--seeds", args->seeds, "Seeds A..B (inclusive); default 1..1000");
    cmd->add_option("--jobs", args->jobs, "Worker threads (the cases and the result do not depend on it)")
        ->check(CLI::Range(1u, 256u));
    auto* shard = cmd->add_option("--shard", args->shard,
                                  "Run shard I/N: every Nth seed from A+I (default: GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, "
                                  "else a Slurm array task, else JOB_COMPLETION_INDEX, else all; docs/scale-out.md)");
    auto* total = cmd->add_option("--shards", args->totalShards,
                                  "The expected number of shards: the total for JOB_COMPLETION_INDEX (else "
                                  "SIMSOCK_TOTAL_SHARDS), checked against any other source");
    cmd->add_flag("--print-shard", args->printShard, "Print the shard, its seeds and which source named it; run nothing");
    cmd->add_flag("--list-seeds", args->listSeeds, "Print this shard's seeds, one a line, and run nothing");
    cmd->add_option("--out", args->outDir, "Directory for counterexample files (default: $SIMSOCK_COUNTEREXAMPLE_DIR, else .)");
    cmd->add_option("--write-cases", args->writeCases, "Write each seed's generated scenario to DIR/case-SEED.json, run nothing");
    cmd->add_option("--max-saved", args->options.maxSaved, "Shrink and save at most this many failing seeds (default 3)")
        ->check(CLI::Range(0, 1'000'000));
    cmd->add_option("--shrink-runs", args->options.shrinkRuns, "Run budget of the shrinker per failing seed (default 400)")
        ->check(CLI::Range(0, 1'000'000'000));
    cmd->add_option("--report", args->report, "Write the shard's JSON report to FILE (at the start, every --report-every "
                                              "seconds, on SIGINT/SIGTERM and at the end)");
    cmd->add_option("--resume", args->resume, "Continue the shard of report FILE, skipping the seeds it has done (FILE "
                                              "is also the report unless --report is given; a missing FILE starts afresh)");
    cmd->add_option("--report-every", args->reportEvery, "Seconds between report checkpoints (default 10)")
        ->check(CLI::Range(0.1, 86400.0));
    cmd->add_option("--junit", args->junit, "Write a JUnit XML report of the shard to FILE");
    addMergeCommand(*cmd, *mergeArgs);
    CLI::App* mergeCmd = cmd->get_subcommand("merge");
    return ExploreCommand{cmd, [args, mergeArgs, mergeCmd, shard, total] {
                              if (*mergeCmd) return merge(*mergeArgs);
                              return explore(*args, shard->count() > 0, total->count() > 0);
                          }};
}

}  // namespace simsock::cli
