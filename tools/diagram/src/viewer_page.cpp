#include "simsock/scenario/viewer_page.h"

#include <map>

#include "simsock/engines.h"
#include "simsock/scenario/trace_diff.h"

namespace simsock::scenario {
namespace {

const char* statusWord(const Scenario& s, const RunResult& r) {
    switch (r.status) {
    case RunResult::Status::Passed: return s.expectFailure ? "expected failure" : "pass";
    case RunResult::Status::Failed: return "fail";
    case RunResult::Status::Skipped: return "skip";
    case RunResult::Status::Error: return "error";
    }
    return "error";
}

// The viewer event index of every trace event of run.
std::vector<int> eventsOfTrace(const ViewerRun& run, std::size_t traceSize) {
    std::vector<int> out(traceSize, -1);
    for (std::size_t e = 0; e < run.events.size(); ++e)
        if (run.events[e].traceIndex >= 0) out[static_cast<std::size_t>(run.events[e].traceIndex)] = static_cast<int>(e);
    return out;
}

std::string summaryOf(const Alignment& a) {
    return a.firstDifference == 0 ? "identical" : "first difference at event " + std::to_string(a.firstDifference);
}

// The expected lines (exact or as a subsequence) against run 0's trace, rendered as trace_diff.h does.
Comparison expectedComparison(const std::vector<TraceLine>& expected, bool subsequence, const Observation& obs,
                              const ViewerRun& run) {
    Comparison c;
    c.title = subsequence ? "expect.subsequence against the trace" : "expect.trace against the trace";
    c.leftTitle = subsequence ? "expected, in this order" : "expected";
    c.rightTitle = "actual (" + run.engine + ")";
    const auto& events = obs.trace.events();
    const TraceShape shape = shapeOf(expected);
    for (const auto& l : expected) c.left.push_back(renderLine(l));
    for (const auto& e : events) c.right.push_back(renderEvent(e, shape));
    c.rightRun = 0;
    c.rightEvents = eventsOfTrace(run, events.size());
    auto same = [&](std::size_t i, std::size_t j) { return matches(expected[i], events[j]); };
    c.alignment = subsequence ? alignSubsequence(expected.size(), events.size(), same)
                              : alignSequences(expected.size(), events.size(), same);
    c.summary = summaryOf(c.alignment);
    return c;
}

Comparison engineComparison(const Observation& sim, const ViewerRun& simRun, const Observation& other,
                            const ViewerRun& otherRun, int otherIndex) {
    Comparison c;
    c.title = simRun.engine + " against " + otherRun.engine;
    c.leftTitle = simRun.engine;
    c.rightTitle = otherRun.engine;
    for (const auto& e : sim.trace.events()) c.left.push_back(normalisedEvent(e));
    for (const auto& e : other.trace.events()) c.right.push_back(normalisedEvent(e));
    c.leftRun = 0;
    c.rightRun = otherIndex;
    c.leftEvents = eventsOfTrace(simRun, c.left.size());
    c.rightEvents = eventsOfTrace(otherRun, c.right.size());
    c.alignment = alignSequences(c.left.size(), c.right.size(),
                                 [&](std::size_t i, std::size_t j) { return c.left[i] == c.right[j]; });
    c.summary = summaryOf(c.alignment);
    return c;
}

// Real engines are compared without the expected lines' times (virtual times are the sim's), as the runner does.
std::vector<TraceLine> linesFor(const std::vector<TraceLine>& lines, const std::string& engine) {
    std::vector<TraceLine> out = lines;
    if (engine != kDefaultEngine)
        for (auto& l : out) l.timeNs.reset();
    return out;
}

}  // namespace

std::string reportPageFile(const std::string& scenarioFile) {
    std::string out;
    std::string_view file = scenarioFile;
    while (file.substr(0, 2) == "./") file.remove_prefix(2);
    for (char c : file) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
        out += c == '/' ? std::string("--") : std::string(1, plain ? c : '_');
    }
    return out + ".html";
}

ViewerPage tracePage(const Scenario& s, const Observation& obs, const std::string& engine) {
    ViewerPage page;
    page.title = s.file;
    page.description = s.description;
    page.runs.push_back(viewerRun(s, obs, engine));
    return page;
}

ViewerPage reportPage(const Scenario& s, const RunResult& r, const std::string& engine) {
    const bool every = engine == kEveryEngine;
    const std::string first = every ? std::string(kDefaultEngine) : engine;
    ViewerPage page = tracePage(s, r.observation, first);
    page.status = statusWord(s, r);
    page.failures = r.failures;
    if (r.status == RunResult::Status::Passed && s.expectFailure) {
        // The runner keeps no failures of a negative scenario that failed as expected: find them again.
        std::string diff;
        page.failures = {"a negative scenario: it must fail with the text of its expectFailure, and it did:"};
        checkExpectations(s, r.observation, page.failures, diff);
    }
    if (r.status == RunResult::Status::Skipped) page.failures = {r.skipReason};
    if (r.status == RunResult::Status::Skipped || r.status == RunResult::Status::Error) return page;
    const ViewerRun& run = page.runs.front();
    if (s.expect.trace) page.comparisons.push_back(expectedComparison(linesFor(*s.expect.trace, first), false, r.observation, run));
    if (s.expect.subsequence)
        page.comparisons.push_back(expectedComparison(linesFor(*s.expect.subsequence, first), true, r.observation, run));
    for (const auto& [name, obs] : r.otherObservations) {
        page.runs.push_back(viewerRun(s, obs, name));
        const int index = static_cast<int>(page.runs.size()) - 1;
        page.comparisons.push_back(engineComparison(r.observation, page.runs.front(), obs, page.runs.back(), index));
    }
    return page;
}

}  // namespace simsock::scenario
