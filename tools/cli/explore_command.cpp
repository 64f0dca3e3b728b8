// `simsock explore`. Cases are independent (each run builds its own network, loop and sockets; nothing
// global is written on the run path), so worker threads take seeds from one atomic counter and write
// their own result slots. The seed list depends only on --seeds and the shard, never on --jobs.
// Wall time is read here, for the progress line and the rate only; it never reaches a case.
#include "explore_command.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "simsock/scenario/explore.h"
#include "simsock/scenario/writer.h"

namespace simsock::cli {
namespace {

namespace ex = scenario::explore;
using Clock = std::chrono::steady_clock;

struct ExploreArgs {
    std::string seeds = "1..1000";
    unsigned jobs = 1;
    std::string shard;
    bool listSeeds = false;
    std::string outDir;
    std::string writeCases;
    int maxSaved = 3;
    int shrinkRuns = 400;
};

bool parseNumber(std::string_view text, std::uint64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// "A..B" (inclusive) or a single seed "A".
bool parseRange(const std::string& text, std::uint64_t& first, std::uint64_t& last) {
    auto dots = text.find("..");
    if (dots == std::string::npos) return parseNumber(text, first) && parseNumber(text, last);
    return parseNumber(std::string_view(text).substr(0, dots), first) &&
           parseNumber(std::string_view(text).substr(dots + 2), last) && first <= last;
}

bool parseShard(const std::string& text, std::uint64_t& index, std::uint64_t& count) {
    auto slash = text.find('/');
    return slash != std::string::npos && parseNumber(std::string_view(text).substr(0, slash), index) &&
           parseNumber(std::string_view(text).substr(slash + 1), count) && count > 0 && index < count;
}

// CTest and other runners shard GoogleTest binaries through these variables; explore takes the same.
// False only when they are set and wrong; unset, index and count stay 0 and 1 (everything).
bool shardFromEnvironment(std::uint64_t& index, std::uint64_t& count) {
    const char* total = std::getenv("GTEST_TOTAL_SHARDS");
    const char* at = std::getenv("GTEST_SHARD_INDEX");
    if (!total || !at) return true;
    if (const char* status = std::getenv("GTEST_SHARD_STATUS_FILE")) std::ofstream touch(status);
    return parseNumber(total, count) && parseNumber(at, index) && count > 0 && index < count;
}

std::string counterexampleDir(const ExploreArgs& a) {
    if (!a.outDir.empty()) return a.outDir;
    if (const char* d = std::getenv("SIMSOCK_COUNTEREXAMPLE_DIR")) return d;
    return ".";
}

std::string clockText(double seconds) {
    auto s = static_cast<long long>(seconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    return buf;
}

/// A bar redrawn in place on a terminal; a plain line every 10 s when stderr is a file or pipe.
class Progress {
public:
    explicit Progress(std::size_t total) : total_(total), tty_(isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

    void update(std::size_t done, std::size_t failed) {
        double elapsed = seconds();
        if (!tty_ && elapsed < lastPlain_ + 10.0) return;
        lastPlain_ = elapsed;
        double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
        double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
        int filled = total_ ? static_cast<int>(30 * done / total_) : 30;
        if (tty_) {
            std::fprintf(stderr, "\r[%s%s] %zu/%zu %zu failed %.0f cases/s ETA %s ", std::string(filled, '#').c_str(),
                         std::string(30 - filled, '.').c_str(), done, total_, failed, rate, clockText(eta).c_str());
        } else {
            std::fprintf(stderr, "explore: %zu/%zu seeds, %zu failed, %.0f cases/s, ETA %s\n", done, total_, failed, rate,
                         clockText(eta).c_str());
        }
        std::fflush(stderr);
    }
    void finish() {
        if (tty_) std::fprintf(stderr, "\n");
    }
    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

private:
    std::size_t total_;
    bool tty_;
    Clock::time_point start_;
    double lastPlain_ = 0.0;
};

/// Runs every seed on jobs threads; slot i holds seed i's violation, if any.
std::vector<std::optional<scenario::Violation>> runSeeds(const std::vector<std::uint64_t>& seeds, unsigned jobs) {
    std::vector<std::optional<scenario::Violation>> results(seeds.size());
    std::atomic<std::size_t> next{0}, done{0}, failed{0};
    auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < seeds.size();) {
            results[i] = scenario::runCase(ex::generateCase(seeds[i]));
            if (results[i]) failed.fetch_add(1);
            done.fetch_add(1);
        }
    };
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < std::max(1u, jobs); ++j) threads.emplace_back(worker);
    Progress progress(seeds.size());
    while (done.load() < seeds.size()) {
        progress.update(done.load(), failed.load());
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    for (auto& t : threads) t.join();
    progress.update(done.load(), failed.load());
    progress.finish();
    return results;
}

bool writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

// Shrinks the failing case of seed and writes it; prints what was saved.
void saveCounterexample(std::uint64_t seed, const scenario::Violation& v, const ExploreArgs& a) {
    auto [small, why] = ex::shrinkCase(ex::generateCase(seed), v, a.shrinkRuns);
    std::string dir = counterexampleDir(a);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::string path = (std::filesystem::path(dir) / ("explore-seed-" + std::to_string(seed) + ".json")).string();
    scenario::Scenario file = scenario::counterexample(small, why, "simsock explore seed " + std::to_string(seed));
    if (writeText(path, scenario::writeScenario(file))) {
        std::cout << "    shrunk to " << small.actions.size() << " actions, " << small.faults.size() << " faults, "
                  << small.peers.front().script.size() << " peer steps: " << why.message << "\n    saved " << path << "\n";
    } else {
        std::cout << "    cannot write " << path << "\n";
    }
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

int explore(const ExploreArgs& a, bool shardGiven) {
    std::uint64_t first = 0, last = 0, index = 0, count = 1;
    if (!parseRange(a.seeds, first, last)) {
        std::cerr << "explore: --seeds wants A..B with A <= B, got \"" << a.seeds << "\"\n";
        return 2;
    }
    if (shardGiven ? !parseShard(a.shard, index, count) : !shardFromEnvironment(index, count)) {
        std::cerr << "explore: a shard is I/N with I < N (--shard, or GTEST_SHARD_INDEX and GTEST_TOTAL_SHARDS)\n";
        return 2;
    }
    std::vector<std::uint64_t> seeds = ex::shardSeeds(first, last, index, count);
    if (a.listSeeds) {
        for (auto s : seeds) std::cout << s << "\n";
        return 0;
    }
    if (!a.writeCases.empty()) return writeCases(seeds, a.writeCases);
    Progress clock(seeds.size());
    auto results = runSeeds(seeds, a.jobs);
    double elapsed = clock.seconds();
    std::size_t failed = 0;
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        if (!results[i]) continue;
        std::cout << "FAIL seed " << seeds[i] << ": " << results[i]->message << "\n";
        if (static_cast<int>(failed++) < a.maxSaved) saveCounterexample(seeds[i], *results[i], a);
    }
    double rate = elapsed > 0 ? static_cast<double>(seeds.size()) / elapsed : 0.0;
    std::printf("%zu passed, %zu failed (%.0f cases/s, %.1f s, %u jobs)\n", seeds.size() - failed, failed, rate, elapsed,
                std::max(1u, a.jobs));
    std::fflush(stdout);
    return failed ? 1 : 0;
}

}  // namespace

ExploreCommand addExploreCommand(CLI::App& app) {
    auto args = std::make_shared<ExploreArgs>();
    CLI::App* cmd = app.add_subcommand("explore", "Run random scenarios by seed on the sim and check the invariants; "
                                                  "a failing seed is shrunk and saved as a scenario file");
    cmd->add_option("--seeds", args->seeds, "Seeds A..B (inclusive); default 1..1000");
    cmd->add_option("--jobs", args->jobs, "Worker threads (the cases and the result do not depend on it)")
        ->check(CLI::Range(1u, 256u));
    auto* shard = cmd->add_option("--shard", args->shard,
                                  "Run shard I/N: every Nth seed from A+I (default: GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, else all)");
    cmd->add_flag("--list-seeds", args->listSeeds, "Print this shard's seeds, one a line, and run nothing");
    cmd->add_option("--out", args->outDir, "Directory for counterexample files (default: $SIMSOCK_COUNTEREXAMPLE_DIR, else .)");
    cmd->add_option("--write-cases", args->writeCases, "Write each seed's generated scenario to DIR/case-SEED.json, run nothing");
    cmd->add_option("--max-saved", args->maxSaved, "Shrink and save at most this many failing seeds (default 3)");
    cmd->add_option("--shrink-runs", args->shrinkRuns, "Run budget of the shrinker per failing seed (default 400)");
    return ExploreCommand{cmd, [args, shard] { return explore(*args, shard->count() > 0); }};
}

}  // namespace simsock::cli
