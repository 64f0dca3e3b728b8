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
    scenario::RunLimits limits;
};

int runCommand(const RunArgs& args);
int validateCommand(const std::vector<std::string>& paths);
int recordCommand(const std::string& file, const std::string& engine, std::optional<std::uint64_t> seed,
                  bool times, const scenario::RunLimits& limits);
/// Checks the word lists of a scenario schema against the tables (exit 1 on a difference), or rewrites them.
int schemaCommand(const std::string& file, bool update);
int traceCommand(const std::string& file, const std::string& format, const std::string& output,
                 const std::string& engine, std::optional<std::uint64_t> seed, const scenario::RunLimits& limits);

/// The scenario files under paths: files as given, directories searched recursively for *.json
/// (schema.json excluded), each directory's files in sorted order. Missing paths land in missing.
std::vector<std::string> collectFiles(const std::vector<std::string>& paths, std::vector<std::string>& missing);

}  // namespace simsock::cli
