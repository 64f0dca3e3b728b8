// Output beside the console: a JUnit XML report and a JSON Lines dump of every event of a run.
#pragma once

#include <string>
#include <vector>

#include "simsock/scenario/runner.h"

namespace simsock::scenario {

/// One scenario's outcome as the CLI reports it.
struct ReportEntry {
    std::string file;
    std::string engine;
    RunResult::Status status = RunResult::Status::Failed;
    std::vector<std::string> messages;  ///< failures, the load diagnostic, or the skip reason
    std::string diff;
};

/// One row of the HTML index.
struct IndexRow {
    ReportEntry entry;
    bool expectedFailure = false;  ///< a negative scenario that failed as it declares (status Passed)
    std::string page;              ///< its HTML report page, relative to the index, or ""
};

/// A JUnit XML document: one testsuite "simsock", one testcase per entry.
std::string junitXml(const std::vector<ReportEntry>& entries);

/// An HTML index of a run (self-contained, no script): a summary line, then one row per entry with its
/// status (pass, fail, skip, error; "pass (expected failure)" for a negative scenario), engine, first
/// message and a link to its page when it has one.
std::string htmlIndex(const std::vector<IndexRow>& rows);

/// JSON Lines: every signal of obs (TraceEvent::toJson with a leading "scenario" key) and every peer or
/// network event ({"scenario","t","actor","what","bytes","target","detail"}), each kind in its own order.
/// With engine given (runs on both engines), an "engine" key follows "scenario" in every line.
std::string traceJsonLines(const std::string& scenarioFile, const Observation& obs, const std::string& engine = {});

}  // namespace simsock::scenario
