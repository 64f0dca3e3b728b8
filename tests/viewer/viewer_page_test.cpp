// The pages' data: report pages of a negative scenario and of two engines' traces, the page file names,
// the JSON the script reads and the self-contained HTML around it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"
#include "simsock/scenario/viewer_page.h"

namespace simsock::scenario {
namespace {

Scenario load(const std::string& file) { return loadScenarioFile(std::string(SIMSOCK_SOURCE_DIR) + "/" + file); }

TEST(ViewerPageTest, NegativeScenarioShowsWhatItCatches) {
    const Scenario s = load("scenarios/negative/wrong_trace.json");
    const RunResult r = runScenario(s, RunOptions{});
    ASSERT_EQ(r.status, RunResult::Status::Passed);
    const ViewerPage page = reportPage(s, r, "sim");
    EXPECT_EQ(page.status, "expected failure");
    ASSERT_EQ(page.failures.size(), 2u);
    EXPECT_EQ(page.failures[1], *s.expectFailure);
    ASSERT_EQ(page.comparisons.size(), 1u);
    const Comparison& c = page.comparisons[0];
    EXPECT_EQ(c.alignment.firstDifference, 3u);
    EXPECT_EQ(c.alignment.firstDifferenceRow, 2);
    EXPECT_EQ(c.summary, "first difference at event 3");
    EXPECT_EQ(c.left[2], "@0ms c: connectToHost{hostFound()}");
    EXPECT_EQ(c.right[2], "@0ms c: connectToHost{stateChanged(ConnectingState)}");
    EXPECT_EQ(c.rightRun, 0);
    // The actual trace events in the run: the call and 3 signals at 0 s after listen and syn, 2 signals at
    // 100 us after 3 log events.
    EXPECT_EQ(c.rightEvents, (std::vector<int>{2, 3, 4, 5, 9, 10}));
    ASSERT_EQ(page.runs.size(), 1u);
    EXPECT_EQ(page.runs[0].events.size(), 11u);
}

TEST(ViewerPageTest, EnginesSideBySide) {
    const Scenario s = load("scenarios/close/remote_close_with_data.json");
    RunResult r = runScenario(s, RunOptions{});
    Observation other = r.observation;
    std::vector<TraceEvent> events = other.trace.events();
    std::swap(events[4], events[5]);  // another engine with connected() before stateChanged(Connected)
    other.trace.clear();
    for (auto& e : events) other.trace.record(e);
    r.status = RunResult::Status::Failed;
    r.otherObservations.emplace_back("epoll", other);
    const ViewerPage page = reportPage(s, r, kEveryEngine);
    ASSERT_EQ(page.runs.size(), 2u);
    EXPECT_EQ(page.runs[0].engine, "sim");
    EXPECT_EQ(page.runs[1].engine, "epoll");
    ASSERT_EQ(page.comparisons.size(), 2u);
    EXPECT_EQ(page.comparisons[0].summary, "identical");  // the sim against expect.trace
    const Comparison& c = page.comparisons[1];
    EXPECT_EQ(c.title, "sim against epoll");
    EXPECT_EQ(c.alignment.firstDifference, 5u);
    EXPECT_EQ(c.left[4], "c: stateChanged(ConnectedState) in ConnectedState");
    EXPECT_EQ(c.right[4], "c: connected() in ConnectedState");
    EXPECT_EQ(std::make_pair(c.leftRun, c.rightRun), std::make_pair(0, 1));
}

TEST(ViewerPageTest, PageFileNames) {
    EXPECT_EQ(reportPageFile("scenarios/negative/wrong_trace.json"), "scenarios--negative--wrong_trace.json.html");
    EXPECT_EQ(reportPageFile("./my dir/a+b.json"), "my_dir--a_b.json.html");
}

TEST(ViewerPageTest, JsonCarriesEveryPartTheScriptReads) {
    const Scenario s = load("scenarios/faults/partition_connect.json");
    const RunResult r = runScenario(s, RunOptions{});
    const auto j = nlohmann::json::parse(pageJson(tracePage(s, r.observation, "sim")));
    EXPECT_EQ(j["title"], s.file);
    EXPECT_EQ(j["status"], "");
    ASSERT_EQ(j["runs"].size(), 1u);
    const auto& run = j["runs"][0];
    EXPECT_EQ(run["engine"], "sim");
    EXPECT_EQ(run["end"], 3'000'000'000);
    EXPECT_EQ(run["lanes"][1], (nlohmann::json{{"name", "client"}, {"kind", "host"}, {"host", "client"}}));
    EXPECT_EQ(run["packets"][0], (nlohmann::json{{"event", 2}, {"kind", "syn"}, {"from", 1}, {"to", 2}, {"bytes", 0},
                                                 {"sent", 0}, {"arrival", -1}, {"lost", 50000}, {"retransmit", 0}}));
    EXPECT_EQ(run["bands"][0]["label"], "partition client server");
    EXPECT_EQ(run["events"][3]["kind"], "call");  // after the partition, listen and the SYN: connectToHost
    EXPECT_EQ(run["events"][3]["trace"], 0);
    const auto& signal = run["events"][4];
    EXPECT_EQ(signal["kind"], "signal");
    EXPECT_EQ(signal["call"], "connectToHost");
    EXPECT_EQ(signal["state"], "HostLookupState");
}

TEST(ViewerPageTest, HtmlIsSelfContained) {
    Scenario s = load("scenarios/close/remote_close_with_data.json");
    s.description = "a </script> in the data <!-- stays data";
    const RunResult r = runScenario(s, RunOptions{});
    const std::string html = pageHtml(tracePage(s, r.observation, "sim"));
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    const std::size_t data = html.find("<script type=\"application/json\" id=\"simsock-data\">");
    ASSERT_NE(data, std::string::npos);
    const std::size_t dataEnd = html.find("</script>", data);
    EXPECT_NE(html.substr(data, dataEnd - data).find("\\u003c/script>"), std::string::npos);
    EXPECT_NE(html.find("var SimsockViewer"), std::string::npos);   // viewer.js
    EXPECT_NE(html.find("window.simsockViewer"), std::string::npos);  // page.js
    // Nothing to fetch: no link, no script or image source, no URL but the SVG namespace's name.
    for (const char* remote : {"https://", " src=", "<link", "url(http", "@import"})
        EXPECT_EQ(html.find(remote), std::string::npos) << remote;
    std::size_t urls = 0;
    for (std::size_t at = html.find("http://"); at != std::string::npos; at = html.find("http://", at + 1)) {
        EXPECT_EQ(html.compare(at, 26, "http://www.w3.org/2000/svg"), 0);
        ++urls;
    }
    EXPECT_EQ(urls, 1u);
}

}  // namespace
}  // namespace simsock::scenario
