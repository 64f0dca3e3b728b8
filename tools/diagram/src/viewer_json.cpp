// The page's data as one JSON object; the keys are short because a run may have tens of thousands of
// events, and viewer.js documents each one where it reads them.
#include <nlohmann/json.hpp>

#include "simsock/scenario/viewer_page.h"

namespace simsock::scenario {
namespace {

using PageJson = nlohmann::ordered_json;

const char* laneKind(Lane::Kind k) {
    static const char* const kNames[] = {"host", "socket", "server", "peer", "network"};
    return kNames[static_cast<int>(k)];
}

const char* eventKind(ViewerEvent::Kind k) {
    static const char* const kNames[] = {"signal", "call", "peer", "net", "fault"};
    return kNames[static_cast<int>(k)];
}

const char* rowTag(AlignedRow::Tag t) {
    static const char* const kNames[] = {"same", "changed", "removed", "added"};
    return kNames[static_cast<int>(t)];
}

PageJson runJson(const ViewerRun& run) {
    PageJson lanes = PageJson::array(), events = PageJson::array(), packets = PageJson::array(), bands = PageJson::array();
    for (const auto& l : run.lanes) lanes.push_back({{"name", l.name}, {"kind", laneKind(l.kind)}, {"host", l.host}});
    for (const auto& e : run.events) {
        PageJson j = {{"t", e.timeNs}, {"lane", e.lane}, {"kind", eventKind(e.kind)}, {"name", e.name},
                  {"label", e.label}, {"text", e.text}};
        if (e.kind == ViewerEvent::Kind::Signal) {
            j["state"] = e.state;
            j["call"] = e.call;
        }
        if (e.traceIndex >= 0) j["trace"] = e.traceIndex;
        if (e.packet >= 0) j["packet"] = e.packet;
        events.push_back(std::move(j));
    }
    for (const auto& p : run.packets)
        packets.push_back({{"event", p.event}, {"kind", p.kind}, {"from", p.fromLane}, {"to", p.toLane},
                           {"bytes", p.bytes}, {"sent", p.sentNs}, {"arrival", p.arrivalNs}, {"lost", p.lostNs},
                           {"retransmit", p.retransmitNs}});
    for (const auto& b : run.bands)
        bands.push_back({{"label", b.label}, {"from", b.fromNs}, {"to", b.toNs}, {"lanes", b.lanes}});
    return {{"engine", run.engine}, {"end", run.endNs}, {"lanes", std::move(lanes)}, {"events", std::move(events)},
            {"packets", std::move(packets)}, {"bands", std::move(bands)}};
}

PageJson comparisonJson(const Comparison& c) {
    PageJson rows = PageJson::array();
    for (const auto& r : c.alignment.rows) rows.push_back(PageJson::array({rowTag(r.tag), r.left, r.right}));
    return {{"title", c.title}, {"leftTitle", c.leftTitle}, {"rightTitle", c.rightTitle}, {"left", c.left},
            {"right", c.right}, {"leftRun", c.leftRun}, {"rightRun", c.rightRun}, {"leftEvents", c.leftEvents},
            {"rightEvents", c.rightEvents}, {"rows", std::move(rows)},
            {"first", c.alignment.firstDifference}, {"firstRow", c.alignment.firstDifferenceRow},
            {"summary", c.summary}};
}

}  // namespace

std::string pageJson(const ViewerPage& page) {
    PageJson comparisons = PageJson::array(), runs = PageJson::array();
    for (const auto& c : page.comparisons) comparisons.push_back(comparisonJson(c));
    for (const auto& r : page.runs) runs.push_back(runJson(r));
    PageJson j = {{"title", page.title}, {"description", page.description}, {"status", page.status},
              {"failures", page.failures}, {"comparisons", std::move(comparisons)}, {"runs", std::move(runs)}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace simsock::scenario
