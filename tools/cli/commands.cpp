#include "commands.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "simsock/engines.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/record.h"
#include "simsock/scenario/reporters.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/schema_words.h"
#include "simsock/scenario/sequence_diagram.h"
#include "simsock/scenario/trace_diff.h"
#include "simsock/scenario/viewer_page.h"

namespace simsock::cli {
namespace fs = std::filesystem;
using scenario::ReportEntry;
using scenario::RunResult;

namespace {

bool writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

void printEntry(const ReportEntry& e, const RunResult* r, bool verbose) {
    static const char* kTags[] = {"PASS", "FAIL", "SKIP", "ERROR"};
    std::cout << kTags[static_cast<int>(e.status)] << " " << e.file;
    if (e.status == RunResult::Status::Skipped && !e.messages.empty()) std::cout << " (" << e.messages.front() << ")";
    std::cout << "\n";
    if (e.status == RunResult::Status::Failed || e.status == RunResult::Status::Error) {
        for (const auto& m : e.messages) std::cout << "    " << m << "\n";
        std::istringstream diff(e.diff);
        for (std::string line; std::getline(diff, line);) std::cout << "    " << line << "\n";
    }
    if (verbose && r)
        for (const auto& l : scenario::recordedLines(r->observation.trace)) std::cout << "    | " << l << "\n";
}

// A report page for a failed run, and for a negative scenario that failed as it declares.
void writeReportPage(const std::string& dir, const scenario::Scenario& s, const RunResult& r, scenario::IndexRow& row) {
    row.expectedFailure = r.status == RunResult::Status::Passed && s.expectFailure.has_value();
    if (r.status != RunResult::Status::Failed && !row.expectedFailure) return;
    row.page = scenario::reportPageFile(s.file);
    const std::string path = (fs::path(dir) / row.page).string();
    if (!writeFile(path, scenario::pageHtml(scenario::reportPage(s, r, row.entry.engine)))) {
        std::cerr << "simsock: cannot write " << path << "\n";
        row.page.clear();
    }
}

// Runs one file; fills the report entry. Returns false when the file could not be loaded.
bool runOne(const std::string& file, const RunArgs& args, scenario::IndexRow& row, std::string& traceOut) {
    ReportEntry& entry = row.entry;
    entry.file = file;
    entry.engine = args.engine;
    scenario::Scenario s;
    try {
        s = scenario::loadScenarioFile(file);
    } catch (const scenario::ScenarioError& e) {
        entry.status = RunResult::Status::Error;
        entry.messages.push_back(e.what());
        std::cout << "ERROR " << e.what() << "\n";
        return false;
    }
    RunResult r = scenario::runScenario(s, scenario::RunOptions{args.engine, args.seed, args.limits});
    entry.status = r.status;
    entry.messages = r.status == RunResult::Status::Skipped ? std::vector<std::string>{r.skipReason} : r.failures;
    entry.diff = r.diff;
    if (!args.htmlReportDir.empty()) writeReportPage(args.htmlReportDir, s, r, row);
    if (!args.traceFile.empty()) {
        const bool every = !r.otherObservations.empty();
        traceOut += scenario::traceJsonLines(file, r.observation, every ? kDefaultEngine : "");
        for (const auto& [engine, observation] : r.otherObservations)
            traceOut += scenario::traceJsonLines(file, observation, engine);
    }
    printEntry(entry, &r, args.verbose);
    return true;
}

}  // namespace

std::vector<std::string> collectFiles(const std::vector<std::string>& paths, std::vector<std::string>& missing) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
                const fs::path& fp = entry.path();
                if (entry.is_regular_file() && fp.extension() == ".json" && fp.filename() != "schema.json")
                    found.push_back(fp.lexically_normal().string());
            }
            // Directory iteration order is unspecified: sort, so every run lists the same order.
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(p, ec)) {
            out.push_back(p);
        } else {
            missing.push_back(p);
        }
    }
    return out;
}

int runCommand(const RunArgs& args) {
    std::error_code ec;
    if (!args.htmlReportDir.empty()) fs::create_directories(args.htmlReportDir, ec);
    std::vector<std::string> missing;
    auto files = collectFiles(args.paths, missing);
    for (const auto& m : missing) std::cout << "ERROR " << m << ": no such file or directory\n";
    std::vector<ReportEntry> entries;
    std::vector<scenario::IndexRow> rows;
    std::string traceOut;
    bool badInput = !missing.empty();
    int passed = 0, failed = static_cast<int>(missing.size()), skipped = 0;
    for (const auto& f : files) {
        scenario::IndexRow row;
        badInput = !runOne(f, args, row, traceOut) || badInput;
        const ReportEntry& e = row.entry;
        passed += e.status == RunResult::Status::Passed ? 1 : 0;
        skipped += e.status == RunResult::Status::Skipped ? 1 : 0;
        failed += e.status == RunResult::Status::Failed || e.status == RunResult::Status::Error ? 1 : 0;
        entries.push_back(e);
        rows.push_back(std::move(row));
    }
    if (!args.junitFile.empty() && !writeFile(args.junitFile, scenario::junitXml(entries)))
        std::cerr << "simsock: cannot write " << args.junitFile << "\n";
    if (!args.traceFile.empty() && !writeFile(args.traceFile, traceOut))
        std::cerr << "simsock: cannot write " << args.traceFile << "\n";
    if (!args.htmlReportDir.empty()) {
        const std::string index = (fs::path(args.htmlReportDir) / "index.html").string();
        if (!writeFile(index, scenario::htmlIndex(rows))) std::cerr << "simsock: cannot write " << index << "\n";
    }
    if (skipped) std::cout << skipped << " skipped\n";
    std::cout << passed << " passed, " << failed << " failed\n";
    if (badInput) return 2;
    return failed ? 1 : 0;
}

int validateCommand(const std::vector<std::string>& paths) {
    std::vector<std::string> missing;
    auto files = collectFiles(paths, missing);
    int bad = static_cast<int>(missing.size());
    for (const auto& m : missing) std::cerr << m << ": no such file or directory\n";
    for (const auto& f : files) {
        try {
            scenario::loadScenarioFile(f);
            std::cout << "OK " << f << "\n";
        } catch (const scenario::ScenarioError& e) {
            std::cerr << e.what() << "\n";
            ++bad;
        }
    }
    return bad ? 2 : 0;
}

int recordCommand(const std::string& file, const std::string& engine, std::optional<std::uint64_t> seed,
                  bool times, const scenario::RunLimits& limits) {
    try {
        scenario::Scenario s = scenario::loadScenarioFile(file);
        if (s.expectFailure) {
            std::cerr << file << ": has expectFailure (a negative scenario): its expectations are kept as written\n";
            return 2;
        }
        RunResult r = scenario::runScenario(s, scenario::RunOptions{engine, seed, limits});
        if (r.status == RunResult::Status::Skipped) {
            std::cerr << file << ": " << r.skipReason << "\n";
            return 2;
        }
        if (!r.observation.budget.empty()) {  // a cut-off run is not a trace to record
            std::cerr << file << ": " << r.observation.budget << "\n";
            return 1;
        }
        std::string text = scenario::spliceTrace(file, readFile(file), scenario::recordedLines(r.observation.trace, times));
        if (!writeFile(file, text)) {
            std::cerr << file << ": cannot write\n";
            return 2;
        }
        std::cout << "recorded " << r.observation.trace.events().size() << " events into " << file << "\n";
        for (const auto& f : r.failures)
            if (f.rfind("trace:", 0) != 0) std::cout << "    still failing: " << f << "\n";
        return 0;
    } catch (const scenario::ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

int traceCommand(const std::string& file, const std::string& format, const std::string& output,
                 const std::string& engine, std::optional<std::uint64_t> seed, const scenario::RunLimits& limits) {
    try {
        scenario::Scenario s = scenario::loadScenarioFile(file);
        RunResult r = scenario::runScenario(s, scenario::RunOptions{engine, seed, limits});
        if (r.status == RunResult::Status::Skipped) {
            std::cerr << file << ": " << r.skipReason << "\n";
            return 2;
        }
        // A run cut off by a bound is still drawn (it shows where it ran away), and says so.
        if (!r.observation.budget.empty()) std::cerr << file << ": " << r.observation.budget << "\n";
        std::string doc = format == "html" ? scenario::sequenceDiagramHtml(s, r.observation, engine)
                                           : scenario::sequenceDiagramSvg(s, r.observation);
        if (!writeFile(output, doc)) {
            std::cerr << output << ": cannot write\n";
            return 2;
        }
        return r.observation.budget.empty() ? 0 : 1;
    } catch (const scenario::ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

int schemaCommand(const std::string& file, bool update) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << file << ": cannot read the file\n";
        return 2;
    }
    const std::string text = readFile(file);
    try {
        if (update) {
            if (!writeFile(file, scenario::schemaWithTableWords(file, text))) {
                std::cerr << file << ": cannot write\n";
                return 2;
            }
            std::cout << "updated the word lists of " << file << "\n";
            return 0;
        }
        const auto differences = scenario::schemaDifferences(file, text);
        for (const auto& d : differences) std::cout << file << ": " << d.path << ": " << d.message << "\n";
        if (differences.empty()) std::cout << file << ": every word list matches the tables\n";
        return differences.empty() ? 0 : 1;
    } catch (const scenario::ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

}  // namespace simsock::cli
