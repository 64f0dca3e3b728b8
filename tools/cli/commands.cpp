#include "commands.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "simsock/engines.h"
#include "simsock/program.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/record.h"
#include "simsock/scenario/reporters.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/schema_words.h"
#include "simsock/scenario/sequence_diagram.h"
#include "simsock/scenario/source_file.h"
#include "simsock/scenario/trace_diff.h"
#include "simsock/scenario/viewer_page.h"

namespace simsock::cli {
namespace fs = std::filesystem;
using scenario::ReportEntry;
using scenario::RunResult;

namespace {

// False when any byte failed to reach the file: the error of a buffered write shows at close.
bool writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    return !out.fail();
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
    if (!verbose || !r) return;
    for (const auto& l : scenario::recordedLines(r->observation.trace)) std::cout << "    | " << l << "\n";
    // What each program exposed, as expect.programs writes it.
    for (const auto& [name, values] : r->observation.programs) {
        std::string json;
        for (const auto& [key, v] : values) {
            json += json.empty() ? "{" : ", ";
            appendJsonString(json, key);
            json += ": ";
            if (const auto* n = std::get_if<std::int64_t>(&v)) json += std::to_string(*n);
            else appendJsonString(json, std::get<std::string>(v));
        }
        std::cout << "    = program " << name << ": " << (json.empty() ? "{" : json) << "}\n";
    }
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

namespace {

bool isScenarioName(const fs::path& p) { return p.extension() == ".json" && p.filename() != "schema.json"; }

// The entries of one directory: subdirectories (not through symlinks, as a recursive walk does) onto
// pending, scenario files into found, anything named *.json that is not a readable file into problems.
void readDirectory(const fs::path& dir, std::vector<fs::path>& pending, std::vector<std::string>& found,
                   std::vector<std::string>& problems) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path().lexically_normal();
        std::error_code typeError;
        if (it->is_directory(typeError)) {
            if (!it->is_symlink(typeError)) pending.push_back(p);
        } else if (isScenarioName(p)) {
            if (auto why = scenario::notARegularFile(p.string())) {
                problems.push_back(p.string() + ": " + *why);
            } else {
                found.push_back(p.string());
            }
        }
    }
    if (ec) problems.push_back(dir.lexically_normal().string() + ": cannot read the directory: " + ec.message());
}

// The scenario files under dir, sorted. What the walk cannot read or load (an unreadable folder, a
// symlink loop, a FIFO named *.json) lands in problems, and the walk goes on with the rest: an
// exception from std::filesystem would end the whole command.
std::vector<std::string> walkDirectory(const std::string& dir, std::vector<std::string>& problems) {
    std::vector<std::string> found;
    std::vector<fs::path> pending{fs::path(dir)};
    while (!pending.empty()) {
        const fs::path next = std::move(pending.back());
        pending.pop_back();
        readDirectory(next, pending, found, problems);
    }
    // Directory iteration order is unspecified: sort, so every run lists the same order.
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

std::vector<std::string> collectFiles(const std::vector<std::string>& paths, std::vector<std::string>& problems) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> walkProblems;
            auto found = walkDirectory(p, walkProblems);
            std::sort(walkProblems.begin(), walkProblems.end());
            problems.insert(problems.end(), walkProblems.begin(), walkProblems.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (auto why = scenario::notARegularFile(p)) {
            problems.push_back(p + ": " + *why);
        } else {
            out.push_back(p);
        }
    }
    return out;
}

namespace {

// Zero scenarios is an error unless allowed: a gate that runs nothing would pass without testing.
bool refuseEmpty(const char* command, const std::vector<std::string>& paths, bool allowEmpty) {
    if (allowEmpty) return false;
    std::string where;
    for (const auto& p : paths) where += (where.empty() ? "" : " ") + p;
    std::cerr << "simsock " << command << ": no scenario files in " << where
              << " (a gate that runs nothing tests nothing; --allow-empty accepts it)\n";
    return true;
}

}  // namespace

int runCommand(const RunArgs& args) {
    std::error_code ec;
    if (!args.htmlReportDir.empty()) fs::create_directories(args.htmlReportDir, ec);
    std::vector<std::string> problems;
    auto files = collectFiles(args.paths, problems);
    for (const auto& m : problems) std::cout << "ERROR " << m << "\n";
    std::cout.flush();
    std::vector<ReportEntry> entries;
    std::vector<scenario::IndexRow> rows;
    std::string traceOut;
    bool badInput = !problems.empty();
    if (files.empty() && problems.empty()) badInput = refuseEmpty("run", args.paths, args.allowEmpty);
    int passed = 0, failed = static_cast<int>(problems.size()), skipped = 0;
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
    // A report asked for and not written is an error: whoever reads it would read an old one, or none.
    std::cout.flush();
    auto report = [&badInput](const std::string& file, const std::string& text) {
        if (file.empty() || writeFile(file, text)) return;
        std::cerr << "simsock: cannot write " << file << "\n";
        badInput = true;
    };
    if (!args.junitFile.empty()) report(args.junitFile, scenario::junitXml(entries));
    report(args.traceFile, traceOut);
    if (!args.htmlReportDir.empty()) report((fs::path(args.htmlReportDir) / "index.html").string(), scenario::htmlIndex(rows));
    if (skipped) std::cout << skipped << " skipped\n";
    std::cout << passed << " passed, " << failed << " failed\n";
    if (badInput) return 2;
    return failed ? 1 : 0;
}

int enginesCommand() {
    std::cout << "default: " << kDefaultEngine << "\nevery: " << kEveryEngine << "\nengines:";
    for (const auto& name : engineNames()) std::cout << " " << name;
    std::cout << "\n";
    return 0;
}

int programsCommand() {
    for (const auto& name : ProgramRegistry::instance().names()) std::cout << name << "\n";
    return 0;
}

int validateCommand(const std::vector<std::string>& paths, bool allowEmpty) {
    std::vector<std::string> problems;
    auto files = collectFiles(paths, problems);
    int bad = static_cast<int>(problems.size());
    for (const auto& m : problems) std::cerr << m << "\n";
    if (files.empty() && problems.empty() && refuseEmpty("validate", paths, allowEmpty)) return 2;
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
        std::string text =
            scenario::spliceTrace(file, scenario::readSourceFile(file), scenario::recordedLines(r.observation.trace, times));
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
    std::string text;
    try {
        text = scenario::readSourceFile(file);
    } catch (const scenario::ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
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
