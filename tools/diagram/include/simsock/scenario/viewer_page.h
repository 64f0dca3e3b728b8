// The interactive trace viewer: one self-contained HTML file (its script, style and data inline; nothing
// is fetched) drawing runs of a scenario, and for a report the failures with each comparison side by
// side, the first difference marked. The page's data is one JSON object (pageJson); the script and
// style are tools/diagram/assets/viewer.{js,css}, embedded at build time.
#pragma once

#include <string>
#include <vector>

#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/trace_alignment.h"
#include "simsock/scenario/viewer_data.h"

namespace simsock::scenario {

/// Two sequences of event texts aligned: the expected trace and the actual one, or two engines' traces.
struct Comparison {
    std::string title;
    std::string leftTitle, rightTitle;
    std::vector<std::string> left, right;
    int leftRun = -1, rightRun = -1;  ///< the page's run whose events the entries are, or -1 (expected lines)
    std::vector<int> leftEvents, rightEvents;  ///< each entry's event index in its run (when it has a run)
    Alignment alignment;
    std::string summary;  ///< "first difference at event 2", or "identical"
};

/// Everything one page shows.
struct ViewerPage {
    std::string title;        ///< the scenario file
    std::string description;
    std::string status;       ///< "" on a trace page; "pass", "fail", "expected failure", "skip", "error"
    std::vector<std::string> failures;
    std::vector<Comparison> comparisons;
    std::vector<ViewerRun> runs;
};

/// The page of one run obs of s on engine (`simsock trace --format html`).
ViewerPage tracePage(const Scenario& s, const Observation& obs, const std::string& engine);

/// The report page of r, the result of running s on engine (`simsock run --html-report`): the failures,
/// the expected trace (and subsequence) beside the actual one, on kEveryEngine the sim's trace beside
/// each other engine's, and every run. A negative scenario that failed as it should (expectFailure) shows
/// the failures it expects, with status "expected failure".
ViewerPage reportPage(const Scenario& s, const RunResult& r, const std::string& engine);

/// The file name of scenarioFile's report page: its path with every character but letters, digits, '.',
/// '_' and '-' made '_', and "/" as "--": "scenarios/negative/wrong_trace.json" -> "scenarios--negative--wrong_trace.json.html".
std::string reportPageFile(const std::string& scenarioFile);

/// The page's data as the script reads it (keys documented at the top of viewer.js).
std::string pageJson(const ViewerPage& page);

/// The whole HTML document.
std::string pageHtml(const ViewerPage& page);

}  // namespace simsock::scenario
