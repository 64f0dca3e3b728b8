#include "simsock/scenario/sequence_diagram.h"

#include <algorithm>
#include <map>

#include "simsock/scenario/duration.h"

namespace simsock::scenario {
namespace {

constexpr int kColumnWidth = 260;
constexpr int kNetworkLabelRoom = 160;
constexpr int kRowHeight = 22;
constexpr int kLeft = 110;
constexpr int kTop = 60;
// A diagram is for reading; beyond this many rows it stops (and says so) rather than growing forever.
constexpr std::size_t kMaxRows = 3000;

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

struct Row {
    std::int64_t timeNs;
    std::string actor;
    std::string target;
    std::string label;
    bool signal;     ///< a socket signal (dot) rather than an action (arrow or note)
    bool inCall;     ///< the signal fired inside a public call
    bool call = false;  ///< a call the scenario made on the object (square, bold label)
};

std::vector<Row> buildRows(const Observation& obs) {
    std::vector<Row> rows;
    const auto& ev = obs.trace.events();
    std::size_t i = 0, j = 0;
    // Merge by time; at equal times the network and peers come first, since they cause what sockets see.
    while (i < ev.size() || j < obs.log.size()) {
        bool takeLog = j < obs.log.size() && (i == ev.size() || obs.log[j].timeNs <= ev[i].timeNs);
        if (takeLog) {
            const LogEvent& l = obs.log[j++];
            std::string label = l.what + (l.bytes ? " " + std::to_string(l.bytes) : "") + (l.detail.empty() ? "" : " " + l.detail);
            rows.push_back(Row{l.timeNs, l.actor, l.actor == "network" ? "" : l.target, label, false, false});
        } else {
            const TraceEvent& e = ev[i++];
            rows.push_back(Row{e.timeNs, e.object, "", e.str(), !e.isCall(), !e.isCall() && !e.call.empty(), e.isCall()});
        }
    }
    if (rows.size() > kMaxRows) rows.resize(kMaxRows);
    return rows;
}

std::string lifelines(const std::vector<std::string>& columns, int height) {
    std::string out;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        int x = kLeft + static_cast<int>(c) * kColumnWidth;
        out += "<text x=\"" + std::to_string(x) + "\" y=\"30\" class=\"head\">" + esc(columns[c]) + "</text>\n";
        out += "<line x1=\"" + std::to_string(x) + "\" y1=\"40\" x2=\"" + std::to_string(x) + "\" y2=\"" +
               std::to_string(height - 10) + "\" class=\"life\"/>\n";
    }
    return out;
}

std::string drawRow(const Row& r, int y, const std::map<std::string, int>& colX) {
    auto it = colX.find(r.actor);
    if (it == colX.end()) return {};
    int x = it->second;
    std::string ys = std::to_string(y);
    if (r.call) {
        return "<rect x=\"" + std::to_string(x - 4) + "\" y=\"" + std::to_string(y - 4) +
               "\" width=\"8\" height=\"8\" class=\"callev\"/>\n<text x=\"" + std::to_string(x + 8) + "\" y=\"" +
               std::to_string(y + 4) + "\" class=\"callev\">" + esc(r.label) + "</text>\n";
    }
    if (r.signal) {
        return "<circle cx=\"" + std::to_string(x) + "\" cy=\"" + ys + "\" r=\"4\" class=\"" +
               (r.inCall ? "call" : "loop") + "\"/>\n<text x=\"" + std::to_string(x + 8) + "\" y=\"" +
               std::to_string(y + 4) + "\" class=\"sig\">" + esc(r.label) + "</text>\n";
    }
    auto target = colX.find(r.target);
    if (target == colX.end() || target->second == x) {
        return "<text x=\"" + std::to_string(x + 8) + "\" y=\"" + std::to_string(y + 4) + "\" class=\"" +
               (r.actor == "network" ? "net" : "act") + "\">" + esc(r.label) + "</text>\n";
    }
    int tx = target->second;
    int mid = (x + tx) / 2;
    return "<line x1=\"" + std::to_string(x) + "\" y1=\"" + ys + "\" x2=\"" + std::to_string(tx) + "\" y2=\"" + ys +
           "\" class=\"arrow\" marker-end=\"url(#head)\"/>\n<text x=\"" + std::to_string(mid) + "\" y=\"" +
           std::to_string(y - 4) + "\" class=\"act\" text-anchor=\"middle\">" + esc(r.label) + "</text>\n";
}

const char* kStyle =
    "<style>text{font-family:monospace;font-size:12px}.head{font-weight:bold;font-size:14px}"
    ".life{stroke:#999;stroke-dasharray:4 3}.call{fill:#c33}.loop{fill:#36c}.sig{fill:#000}"
    ".act{fill:#060}.net{fill:#888;font-size:11px}.time{fill:#555}.arrow{stroke:#060;stroke-width:1.5}"
    ".callev{fill:#000;font-weight:bold}</style>\n";

}  // namespace

std::string sequenceDiagramSvg(const Scenario& s, const Observation& obs) {
    std::vector<std::string> columns;
    for (const auto& sock : s.sockets) columns.push_back(sock.name);
    for (const auto& server : s.servers) columns.push_back(server.name);
    for (const auto& p : s.peers) columns.push_back(p.name);
    columns.push_back("network");
    std::map<std::string, int> colX;
    for (std::size_t c = 0; c < columns.size(); ++c) colX[columns[c]] = kLeft + static_cast<int>(c) * kColumnWidth;
    std::vector<Row> rows = buildRows(obs);
    int height = kTop + static_cast<int>(rows.size()) * kRowHeight + 30;
    // The network column is last and its labels are the longest: give it room beyond one column.
    int width = kLeft + static_cast<int>(columns.size()) * kColumnWidth + kNetworkLabelRoom;
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
                      std::to_string(height) + "\">\n" + kStyle;
    out += "<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
           "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#060\"/></marker></defs>\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + lifelines(columns, height);
    std::int64_t lastTime = -1;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        int y = kTop + static_cast<int>(r) * kRowHeight;
        if (rows[r].timeNs != lastTime) {
            out += "<text x=\"8\" y=\"" + std::to_string(y + 4) + "\" class=\"time\">" +
                   esc(formatDuration(rows[r].timeNs)) + "</text>\n";
            lastTime = rows[r].timeNs;
        }
        out += drawRow(rows[r], y, colX);
    }
    return out + "</svg>\n";
}

std::string sequenceDiagramHtml(const Scenario& s, const Observation& obs) {
    std::string title = esc(s.file);
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head>\n<body>\n<h1>" +
           title + "</h1>\n<p>" + esc(s.description) +
           "</p>\n<p>Red dots: signals emitted inside a public call; blue: from the event loop; green: peer "
           "actions; grey: network events.</p>\n" +
           sequenceDiagramSvg(s, obs) + "</body></html>\n";
}

}  // namespace simsock::scenario
