// The simsock command: its subcommands and options, parsed and dispatched (main.cpp calls it; so does
// every runner simsock_add_scenarios builds).
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <iostream>

#include "commands.h"
#include "explore_command.h"
#include "simsock/cli.h"
#include "simsock/engines.h"
#include "simsock/scenario/runner.h"

namespace simsock::cli {
namespace {

// CLI11 alone reads "-1" as 2^64-1, saturates larger values and reads "0x10" as 16. Every unsigned option
// is checked first, as strictly as the loader checks a seed inside a file: decimal digits within uint64.
const CLI::Validator kDecimalUint64(
    [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        const bool digitsOnly = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (digitsOnly && ec == std::errc() && stop == end) return {};
        return "\"" + text + "\" is not a decimal number from 0 to " + std::to_string(UINT64_MAX);
    },
    "UINT64");

// The run budgets every running command takes (RunLimits; README "Reliability").
void addLimitOptions(CLI::App* cmd, simsock::scenario::RunLimits& limits) {
    const simsock::scenario::RunLimits defaults;
    cmd->add_option("--max-events", limits.maxEvents,
                    "End a run as failed after N loop events (default " + std::to_string(defaults.maxEvents) + "; 0: no bound)")
        ->check(kDecimalUint64);
    cmd->add_option("--max-trace-events", limits.maxTraceEvents,
                    "End a run as failed once it has recorded N signals and log entries (default " +
                        std::to_string(defaults.maxTraceEvents) + "; 0: no bound)")
        ->check(kDecimalUint64);
    cmd->add_option_function<double>(
           "--timeout", [&limits](double seconds) { limits.timeoutMs = static_cast<std::int64_t>(seconds * 1000.0 + 0.5); },
           "End a run as failed after SECONDS of wall-clock time (default " + std::to_string(defaults.timeoutMs / 1000) +
               "; 0: no bound)")
        ->check(CLI::Range(0.0, 86400.0));
}

std::string joined(const std::vector<std::string>& names, const std::string& last) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? last : ", ") + names[i];
    return out;
}

}  // namespace

int runCli(int argc, char** argv) {
    // Every --engine choice comes from the registry: the engines, and for run the keyword for all of them.
    const std::vector<std::string> engines = simsock::engineNames();
    std::vector<std::string> runEngines = engines;
    runEngines.emplace_back(simsock::kEveryEngine);
    const std::string engineHelp = "Engine: " + joined(engines, " or ");
    CLI::App app{"simsock: run, record, validate and draw socket scenarios (scenarios/README.md)"};
    app.require_subcommand(1);

    simsock::cli::RunArgs run;
    std::uint64_t seed = 0;
    auto* runCmd = app.add_subcommand("run", "Run scenario files or directories; prints one line each and 'N passed, N failed'");
    runCmd->add_option("paths", run.paths, "Scenario files or directories (searched recursively for *.json)")->required();
    runCmd->add_option("--engine", run.engine, "Engine: " + joined(runEngines, ", or ") + " (" + simsock::kEveryEngine +
                                                    ": the sim and every other engine a file lists, traces compared)")
        ->check(CLI::IsMember(runEngines));
    auto* seedOpt = runCmd->add_option("--seed", seed, "Override every file's seed")->check(kDecimalUint64);
    runCmd->add_option("--junit", run.junitFile, "Write a JUnit XML report to FILE");
    runCmd->add_option("--trace", run.traceFile, "Write every event of every run as JSON Lines to FILE");
    runCmd->add_option("--html-report", run.htmlReportDir,
                       "Write DIR/index.html and, per failed or negative scenario, a page with its trace viewer and diffs");
    runCmd->add_flag("-v,--verbose", run.verbose, "Print the trace of passing scenarios too");
    runCmd->add_flag("--allow-empty", run.allowEmpty, "Succeed when the paths hold no scenario file (an error otherwise)");
    addLimitOptions(runCmd, run.limits);
    simsock::scenario::RunLimits limits;

    std::vector<std::string> validatePaths;
    auto* validateCmd = app.add_subcommand("validate", "Load and check scenario files without running them");
    validateCmd->add_option("paths", validatePaths, "Scenario files or directories")->required();
    bool validateAllowEmpty = false;
    validateCmd->add_flag("--allow-empty", validateAllowEmpty, "Succeed when the paths hold no scenario file (an error otherwise)");

    std::string recordFile, recordEngine = simsock::kDefaultEngine;
    auto* recordCmd = app.add_subcommand("record", "Run a scenario and write the observed trace into its expect.trace");
    recordCmd->add_option("file", recordFile, "The scenario file (rewritten in place)")->required();
    recordCmd->add_option("--engine", recordEngine, engineHelp)->check(CLI::IsMember(engines));
    auto* recordSeed = recordCmd->add_option("--seed", seed, "Override the file's seed")->check(kDecimalUint64);
    bool noTimes = false;
    recordCmd->add_flag("--no-times", noTimes, "Write lines without @time (for files that also run on real engines)");
    addLimitOptions(recordCmd, limits);

    std::string traceFile, format = "svg", output, traceEngine = simsock::kDefaultEngine;
    auto* traceCmd = app.add_subcommand("trace", "Draw a run as a sequence diagram");
    traceCmd->add_option("file", traceFile, "The scenario file")->required();
    traceCmd->add_option("--format", format, "svg (a static diagram) or html (the interactive viewer, one self-contained file)")
        ->check(CLI::IsMember({"svg", "html"}));
    traceCmd->add_option("-o,--output", output, "Output file")->required();
    traceCmd->add_option("--engine", traceEngine, engineHelp)->check(CLI::IsMember(engines));
    auto* traceSeed = traceCmd->add_option("--seed", seed, "Override the file's seed")->check(kDecimalUint64);
    addLimitOptions(traceCmd, limits);

    std::string schemaFile;
    bool updateSchema = false;
    auto* schemaCmd = app.add_subcommand(
        "schema", "Check a JSON Schema's word lists (engines, fault kinds, calls, signals, states, errors, options, ...) "
                  "against the tables they come from");
    schemaCmd->add_option("file", schemaFile, "The schema (scenarios/schema.json)")->required();
    schemaCmd->add_flag("--update", updateSchema, "Rewrite the file's word lists from the tables instead");

    auto* enginesCmd = app.add_subcommand(
        "engines", "Print the engines: 'default: NAME', 'every: KEYWORD', 'engines: NAME...' (read by simsock_add_scenarios)");
    auto* programsCmd = app.add_subcommand("programs", "Print the programs linked into this runner (SIMSOCK_PROGRAM), one a line");

    auto explore = simsock::cli::addExploreCommand(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    auto seedOf = [&](CLI::Option* o) { return o->count() ? std::optional<std::uint64_t>(seed) : std::nullopt; };
    if (*explore.command) return explore.run();
    if (*runCmd) {
        run.seed = seedOf(seedOpt);
        return simsock::cli::runCommand(run);
    }
    if (*enginesCmd) return enginesCommand();
    if (*programsCmd) return programsCommand();
    if (*validateCmd) return simsock::cli::validateCommand(validatePaths, validateAllowEmpty);
    if (*schemaCmd) return simsock::cli::schemaCommand(schemaFile, updateSchema);
    if (*recordCmd) return simsock::cli::recordCommand(recordFile, recordEngine, seedOf(recordSeed), !noTimes, limits);
    return simsock::cli::traceCommand(traceFile, format, output, traceEngine, seedOf(traceSeed), limits);
}

}  // namespace simsock::cli
