// simsock: runs JSON scenario files against the socket library and says pass or fail.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#include "explore_command.h"
#include "simsock/backend.h"
#include "simsock/epoll/epoll_backend.h"
#include "simsock/sim/network.h"

int main(int argc, char** argv) {
    simsock::sim::registerSimBackend();
    simsock::epoll::registerEpollBackend();
    CLI::App app{"simsock: run, record, validate and draw socket scenarios (scenarios/README.md)"};
    app.require_subcommand(1);

    simsock::cli::RunArgs run;
    std::uint64_t seed = 0;
    auto* runCmd = app.add_subcommand("run", "Run scenario files or directories; prints one line each and 'N passed, N failed'");
    runCmd->add_option("paths", run.paths, "Scenario files or directories (searched recursively for *.json)")->required();
    runCmd->add_option("--engine", run.engine, "Engine: sim, epoll, or both (runs each file listing both engines on each, compares the traces)")
        ->check(CLI::IsMember({"sim", "epoll", "both"}));
    auto* seedOpt = runCmd->add_option("--seed", seed, "Override every file's seed");
    runCmd->add_option("--junit", run.junitFile, "Write a JUnit XML report to FILE");
    runCmd->add_option("--trace", run.traceFile, "Write every event of every run as JSON Lines to FILE");
    runCmd->add_flag("-v,--verbose", run.verbose, "Print the trace of passing scenarios too");

    std::vector<std::string> validatePaths;
    auto* validateCmd = app.add_subcommand("validate", "Load and check scenario files without running them");
    validateCmd->add_option("paths", validatePaths, "Scenario files or directories")->required();

    std::string recordFile, recordEngine = "sim";
    auto* recordCmd = app.add_subcommand("record", "Run a scenario and write the observed trace into its expect.trace");
    recordCmd->add_option("file", recordFile, "The scenario file (rewritten in place)")->required();
    recordCmd->add_option("--engine", recordEngine, "Engine: sim or epoll")->check(CLI::IsMember({"sim", "epoll"}));
    auto* recordSeed = recordCmd->add_option("--seed", seed, "Override the file's seed");
    bool noTimes = false;
    recordCmd->add_flag("--no-times", noTimes, "Write lines without @time (for files that also run on real engines)");

    std::string traceFile, format = "svg", output, traceEngine = "sim";
    auto* traceCmd = app.add_subcommand("trace", "Draw a run as a sequence diagram");
    traceCmd->add_option("file", traceFile, "The scenario file")->required();
    traceCmd->add_option("--format", format, "svg or html")->check(CLI::IsMember({"svg", "html"}));
    traceCmd->add_option("-o,--output", output, "Output file")->required();
    traceCmd->add_option("--engine", traceEngine, "Engine: sim or epoll")->check(CLI::IsMember({"sim", "epoll"}));
    auto* traceSeed = traceCmd->add_option("--seed", seed, "Override the file's seed");

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
    if (*validateCmd) return simsock::cli::validateCommand(validatePaths);
    if (*recordCmd) return simsock::cli::recordCommand(recordFile, recordEngine, seedOf(recordSeed), !noTimes);
    return simsock::cli::traceCommand(traceFile, format, output, traceEngine, seedOf(traceSeed));
}
