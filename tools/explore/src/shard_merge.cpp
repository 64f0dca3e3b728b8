// Merging shard reports: sameness checks, the coverage walk, and the summary in text and JUnit.
#include "simsock/scenario/shard_merge.h"

#include <functional>
#include <map>
#include <queue>
#include <set>

#include "simsock/scenario/reporters.h"

namespace simsock::scenario::explore {
namespace {

constexpr std::size_t kMaxRunLines = 20;  // a pathological mix of shards could name thousands of runs

std::string seedText(std::uint64_t a, std::uint64_t b, std::uint64_t step, std::uint64_t count) {
    if (count == 1) return "seed " + std::to_string(a);
    std::string out = std::to_string(a) + ".." + std::to_string(b);
    if (step != 1) out += " step " + std::to_string(step);
    return out + " (" + std::to_string(count) + " seeds)";
}

/// Seeds added in ascending order, kept as arithmetic runs per label (the files an overlap is in): a whole
/// missing shard is one run, and so is each pair of overlapping shards even when their seeds interleave.
class SeedRuns {
public:
    void add(std::uint64_t seed, const std::string& label) {
        auto open = open_.find(label);
        if (open != open_.end()) {
            Run& r = runs_[open->second];
            if (r.count == 1 || seed - r.last == r.step) {
                if (r.count == 1) r.step = seed - r.first;
                r.last = seed;
                ++r.count;
                return;
            }
        }
        open_[label] = runs_.size();
        runs_.push_back(Run{seed, seed, 1, 1, label});
    }
    /// The contiguous unlabelled seeds a..b (a <= b).
    void addRange(std::uint64_t a, std::uint64_t b) {
        if (a == b) return add(a, "");
        auto open = open_.find("");
        if (open != open_.end()) {
            Run& r = runs_[open->second];
            if (r.last + 1 == a && (r.count == 1 || r.step == 1)) {
                r.step = 1;
                r.count += b - a + 1;
                r.last = b;
                return;
            }
        }
        open_[""] = runs_.size();
        runs_.push_back(Run{a, b, 1, b - a + 1, ""});
    }
    bool empty() const { return runs_.empty(); }
    void describe(const std::string& prefix, std::vector<std::string>& out) const {
        for (std::size_t i = 0; i < runs_.size() && i < kMaxRunLines; ++i) {
            const Run& r = runs_[i];
            out.push_back(prefix + seedText(r.first, r.last, r.step, r.count) + (r.label.empty() ? "" : " in " + r.label));
        }
        if (runs_.size() > kMaxRunLines)
            out.push_back(prefix + "... and " + std::to_string(runs_.size() - kMaxRunLines) + " more runs");
    }

private:
    struct Run {
        std::uint64_t first, last, step, count;
        std::string label;
    };
    std::vector<Run> runs_;                      // in order of their first seed
    std::map<std::string, std::size_t> open_;    // label -> its latest run
};

struct Cursor {
    std::uint64_t seed;
    std::uint64_t left;
    std::uint64_t step;
    std::size_t file;
    bool operator>(const Cursor& o) const { return seed != o.seed ? seed > o.seed : file > o.file; }
};

// Walks every report's done seeds in ascending order: a seed seen twice in a row is an overlap, a jump
// past the next expected seed a gap.
void walkCoverage(const std::vector<ShardFile>& files, MergeSummary& m) {
    std::priority_queue<Cursor, std::vector<Cursor>, std::greater<>> heap;
    for (std::size_t i = 0; i < files.size(); ++i) {
        Progression p = files[i].report.progression();
        if (files[i].report.done > 0) heap.push(Cursor{p.start, files[i].report.done, p.step, i});
    }
    SeedRuns gaps, overlaps;
    std::uint64_t expected = m.seeds.first;
    bool reachedLast = false, any = false;
    Cursor previous{};
    while (!heap.empty()) {
        Cursor c = heap.top();
        heap.pop();
        if (any && c.seed == previous.seed) {
            overlaps.add(c.seed, files[previous.file].path + " and " + files[c.file].path);
        } else {
            if (c.seed > expected) gaps.addRange(expected, c.seed - 1);
            ++m.covered;
            reachedLast = c.seed == m.seeds.last;
            expected = c.seed + 1;
        }
        previous = c;
        any = true;
        if (--c.left > 0) {
            c.seed += c.step;
            heap.push(c);
        }
    }
    if (!reachedLast) gaps.addRange(expected, m.seeds.last);
    m.gap = !gaps.empty();
    m.overlap = !overlaps.empty();
    if (m.gap) gaps.describe("GAP: missing ", m.problems);
    if (m.overlap) overlaps.describe("OVERLAP: run twice: ", m.problems);
}

// With one shard count for all, name the shards: absent ones, doubled ones, unfinished ones.
void describeShards(const std::vector<ShardFile>& files, MergeSummary& m) {
    std::uint64_t count = files.front().report.shardCount;
    for (const auto& f : files)
        if (f.report.shardCount != count) return;
    std::map<std::uint64_t, std::vector<std::string>> byIndex;
    for (const auto& f : files) byIndex[f.report.shardIndex].push_back(f.path);
    std::string of = "/" + std::to_string(count);
    for (std::uint64_t i = 0; i < count && m.problems.size() < 2 * kMaxRunLines; ++i) {
        auto it = byIndex.find(i);
        if (it == byIndex.end()) m.problems.push_back("GAP: no report for shard " + std::to_string(i) + of);
        else if (it->second.size() > 1)
            m.problems.push_back("OVERLAP: shard " + std::to_string(i) + of + " in " + std::to_string(it->second.size()) +
                                 " reports: " + it->second.front() + ", " + it->second.back());
    }
    for (const auto& f : files)
        if (!f.report.complete())
            m.problems.push_back("GAP: " + f.path + ": shard " + std::to_string(f.report.shardIndex) + of + " stopped after " +
                                 std::to_string(f.report.done) + " of " + std::to_string(f.report.progression().length) +
                                 " seeds (continue it with --resume " + f.path + ")");
}

// Same build, options and range as the first report, or a problem naming the file and what differs.
void checkSameness(const std::vector<ShardFile>& files, MergeSummary& m) {
    const ShardReport& first = files.front().report;
    for (const auto& f : files) {
        const ShardReport& r = f.report;
        std::string where = "MISMATCH: " + f.path + " vs " + files.front().path + ": ";
        if (r.build != first.build) m.problems.push_back(where + "build \"" + r.build + "\" vs \"" + first.build + "\"");
        if (!(r.options == first.options))
            m.problems.push_back(where + "options shrink_runs=" + std::to_string(r.options.shrinkRuns) + " max_saved=" +
                                 std::to_string(r.options.maxSaved) + " vs shrink_runs=" +
                                 std::to_string(first.options.shrinkRuns) + " max_saved=" +
                                 std::to_string(first.options.maxSaved));
        if (!(r.seeds == first.seeds))
            m.problems.push_back(where + "seeds " + std::to_string(r.seeds.first) + ".." + std::to_string(r.seeds.last) +
                                 " vs " + std::to_string(first.seeds.first) + ".." + std::to_string(first.seeds.last));
    }
    m.mismatch = !m.problems.empty();
}

}  // namespace

int MergeSummary::exitCode() const {
    if (mismatch || gap || overlap) return 2;
    return failures.empty() ? 0 : 1;
}

MergeSummary mergeShardReports(const std::vector<ShardFile>& files) {
    MergeSummary m;
    m.reports = files.size();
    if (files.empty()) {
        m.mismatch = true;
        m.problems.push_back("MISMATCH: no reports");
        return m;
    }
    m.seeds = files.front().report.seeds;
    m.build = files.front().report.build;
    m.fingerprint = files.front().report.fingerprint();
    checkSameness(files, m);
    if (m.mismatch) return m;
    describeShards(files, m);
    walkCoverage(files, m);
    std::map<std::uint64_t, SeedFailure> failures;
    for (const auto& f : files)
        for (const auto& failure : f.report.failures) {
            auto [it, added] = failures.emplace(failure.seed, failure);
            if (!added && it->second.scenario.empty()) it->second.scenario = failure.scenario;
        }
    for (auto& [seed, failure] : failures) m.failures.push_back(std::move(failure));
    return m;
}

std::string mergeSummaryText(const MergeSummary& m) {
    std::string out = "merge: " + std::to_string(m.reports) + " reports, seeds " + std::to_string(m.seeds.first) + ".." +
                      std::to_string(m.seeds.last) + ", build " + m.build + " (fingerprint " + m.fingerprint + ")\n";
    if (!m.mismatch && !m.gap && !m.overlap)
        out += "coverage: exact, " + std::to_string(m.covered) + " seeds each run once\n";
    for (const auto& p : m.problems) out += "coverage: " + p + "\n";
    for (const auto& f : m.failures) {
        out += "FAIL seed " + std::to_string(f.seed) + ": " + f.message + "\n";
        out += f.scenario.empty() ? "    (not shrunk: over --max-saved)\n" : "    scenario " + f.scenario + "\n";
    }
    out += std::to_string(m.passed()) + " passed, " + std::to_string(m.failures.size()) + " failed";
    if (m.covered != m.requested() || m.overlap)
        out += " (" + std::to_string(m.covered) + " of " + std::to_string(m.requested()) + " seeds covered)";
    return out + "\n";
}

namespace {

ReportEntry failureEntry(const SeedFailure& f) {
    ReportEntry e{"seed " + std::to_string(f.seed), "explore", RunResult::Status::Failed, {f.message}, ""};
    e.messages.push_back(f.scenario.empty() ? "not shrunk (over --max-saved)" : "shrunk scenario: " + f.scenario);
    return e;
}

}  // namespace

std::string mergeJunit(const MergeSummary& m) {
    std::vector<ReportEntry> entries;
    std::string range = "seeds " + std::to_string(m.seeds.first) + ".." + std::to_string(m.seeds.last);
    entries.push_back(ReportEntry{range + " (" + std::to_string(m.passed()) + " passed)", "explore",
                                  RunResult::Status::Passed, {}, ""});
    if (m.exitCode() == 2) entries.push_back(ReportEntry{"coverage", "explore", RunResult::Status::Failed, m.problems, ""});
    for (const auto& f : m.failures) entries.push_back(failureEntry(f));
    return junitXml(entries);
}

std::string shardJunit(const ShardReport& r) {
    Progression p = r.progression();
    std::string name = "seeds " + std::to_string(r.seeds.first) + ".." + std::to_string(r.seeds.last) + " shard " +
                       std::to_string(r.shardIndex) + "/" + std::to_string(r.shardCount) + " (" +
                       std::to_string(r.passed()) + " passed)";
    std::vector<ReportEntry> entries;
    entries.push_back(ReportEntry{name, "explore", RunResult::Status::Passed, {}, ""});
    if (!r.complete())
        entries.push_back(ReportEntry{"complete", "explore", RunResult::Status::Failed,
                                      {"stopped after " + std::to_string(r.done) + " of " + std::to_string(p.length) + " seeds"}, ""});
    for (const auto& f : r.failures) entries.push_back(failureEntry(f));
    return junitXml(entries);
}

}  // namespace simsock::scenario::explore
