// The simsock subcommands. Each returns the process exit code: 0 success, 1 a scenario failed,
// 2 bad input (a file that cannot be loaded, a bad option).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simsock/engines.h"
#include "simsock/scenario/runner.h"

namespace simsock::cli {

struct RunArgs {
    std::vector<std::string> paths;
    std::string engine = kDefaultEngine;
    std::optional<std::uint64_t> seed;
    std::string junitFile;
    std::string traceFile;
    std::string htmlReportDir;  ///< when set: DIR/index.html and a page per failed (or negative) scenario
    bool verbose = false;
    bool allowEmpty = false;  ///< zero scenario files is a success rather than an error
    scenario::RunLimits limits;
};

/// Runs every file; zero files is an error (exit 2) unless args.allowEmpty, as is a report it cannot write.
int runCommand(const RunArgs& args);
/// Loads every file; zero files is an error (exit 2) unless allowEmpty.
int validateCommand(const std::vector<std::string>& paths, bool allowEmpty);
int recordCommand(const std::string& file, const std::string& engine, std::optional<std::uint64_t> seed,
                  bool times, const scenario::RunLimits& limits);
/// Checks the word lists of a scenario schema against the tables (exit 1 on a difference), or rewrites them.
int schemaCommand(const std::string& file, bool update);
int traceCommand(const std::string& file, const std::string& format, const std::string& output,
                 const std::string& engine, std::optional<std::uint64_t> seed, const scenario::RunLimits& limits);

/// Prints the default engine, the keyword for every engine and the registered engines, one line each.
int enginesCommand();
/// Prints the registered program names, sorted, one a line.
int programsCommand();

/// The scenario files under paths: files as given, directories searched recursively for *.json
/// (schema.json excluded), each directory's files in sorted order. Whatever cannot be read as a scenario
/// file (missing, a FIFO, a device, a dangling symlink, an unreadable folder) lands in problems as
/// "path: why", in sorted order per directory; nothing throws.
std::vector<std::string> collectFiles(const std::vector<std::string>& paths, std::vector<std::string>& problems);

}  // namespace simsock::cli
