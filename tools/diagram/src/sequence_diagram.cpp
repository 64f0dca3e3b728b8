#include "markup_text.h"
#include "simsock/scenario/sequence_diagram.h"

#include <algorithm>
#include <cstdio>

#include "simsock/scenario/readable_time.h"
#include "simsock/scenario/viewer_data.h"
#include "simsock/scenario/viewer_page.h"

namespace simsock::scenario {
namespace {

constexpr int kColumnWidth = 230;
constexpr int kLastLabelRoom = 200;
constexpr int kRowHeight = 22;
constexpr int kLeft = 110;
constexpr int kTop = 60;
// A diagram is for reading; beyond this many rows it stops (and says so) rather than growing forever.
constexpr std::size_t kMaxRows = 3000;


// Coordinates with one decimal at most: "12", "12.5".
std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

class SvgDiagram {
public:
    explicit SvgDiagram(ViewerRun run) : run_(std::move(run)) {
        rows_ = std::min(run_.events.size(), kMaxRows);
    }

    std::string draw() {
        const int height = kTop + static_cast<int>(rows_) * kRowHeight + 40;
        const int width = kLeft + static_cast<int>(run_.lanes.size()) * kColumnWidth + kLastLabelRoom;
        std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                          "\" height=\"" + std::to_string(height) + "\">\n" + style();
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
        for (const auto& b : run_.bands) out += band(b);
        out += lifelines(height);
        std::int64_t lastTime = -1;
        for (std::size_t r = 0; r < rows_; ++r) {
            const ViewerEvent& e = run_.events[r];
            if (e.timeNs != lastTime) {
                out += "<text x=\"8\" y=\"" + num(rowY(r) + 4) + "\" class=\"time\">" + markupText(readableDuration(e.timeNs)) +
                       "</text>\n";
                lastTime = e.timeNs;
            }
            out += e.packet >= 0 ? packet(run_.packets[static_cast<std::size_t>(e.packet)], r) : mark(e, r);
        }
        if (rows_ < run_.events.size())
            out += "<text x=\"8\" y=\"" + num(rowY(rows_) + 4) + "\" class=\"time\">... " +
                   std::to_string(run_.events.size() - rows_) + " more events not drawn</text>\n";
        return out + "</svg>\n";
    }

private:
    static std::string style() {
        return "<style>text{font-family:monospace;font-size:12px}.head{font-weight:bold;font-size:14px}"
               ".life{stroke:#999;stroke-dasharray:4 3}.hostlife{stroke:#555;stroke-width:2}.call{fill:#c33}"
               ".loop{fill:#36c}.sig{fill:#000}.state{fill:#888;font-size:10px}.act{fill:#060}.net{fill:#777;font-size:11px}"
               ".fault{fill:#b50}.time{fill:#555}.pkt{stroke:#333;stroke-width:1.3;fill:none}.pktlbl{fill:#333;font-size:11px}"
               ".lost{stroke:#c00;stroke-dasharray:5 3}.cross{stroke:#c00;stroke-width:2}.band{fill:#f5a623;opacity:0.15}"
               ".bandlbl{fill:#a60;font-size:11px}.callev{fill:#000;font-weight:bold}</style>\n"
               "<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
               "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>\n";
    }

    double laneX(std::size_t lane) const { return kLeft + static_cast<double>(lane) * kColumnWidth; }
    double rowY(std::size_t row) const { return kTop + static_cast<double>(row) * kRowHeight; }

    // Where time t falls: the first row after `after` at or past t (between rows when t lies between
    // their times), or below the last row.
    double yAt(std::int64_t t, std::size_t after) const {
        for (std::size_t r = after + 1; r < rows_; ++r) {
            if (run_.events[r].timeNs < t) continue;
            const std::int64_t before = run_.events[r - 1].timeNs;
            return run_.events[r].timeNs == t || before >= t ? rowY(r) : rowY(r) - kRowHeight / 2.0;
        }
        return rowY(rows_);
    }

    std::string lifelines(int height) const {
        std::string out;
        for (std::size_t c = 0; c < run_.lanes.size(); ++c) {
            const std::string x = num(laneX(c));
            const bool host = run_.lanes[c].kind == Lane::Kind::Host;
            out += "<text x=\"" + x + "\" y=\"30\" class=\"head\" text-anchor=\"middle\">" + markupText(run_.lanes[c].name) +
                   (host ? " (host)" : "") + "</text>\n<line x1=\"" + x + "\" y1=\"40\" x2=\"" + x + "\" y2=\"" +
                   std::to_string(height - 10) + "\" class=\"" + (host ? "hostlife" : "life") + "\"/>\n";
        }
        return out;
    }

    std::string band(const FaultBand& b) const {
        std::size_t lo = 0, hi = run_.lanes.empty() ? 0 : run_.lanes.size() - 1;
        if (!b.lanes.empty()) {
            lo = *std::min_element(b.lanes.begin(), b.lanes.end());
            hi = *std::max_element(b.lanes.begin(), b.lanes.end());
        }
        const double y1 = yAt(b.fromNs, 0) - kRowHeight / 2.0;
        const double y2 = b.toNs < 0 ? rowY(rows_) : yAt(b.toNs, 0) - kRowHeight / 2.0;
        const double x = laneX(lo) - 30;
        return "<rect x=\"" + num(x) + "\" y=\"" + num(y1) + "\" width=\"" + num(laneX(hi) - laneX(lo) + 60) +
               "\" height=\"" + num(std::max(y2 - y1, 4.0)) + "\" class=\"band\"/>\n<text x=\"" + num(x + 4) + "\" y=\"" +
               num(y1 + 12) + "\" class=\"bandlbl\">" + markupText(b.label) + "</text>\n";
    }

    std::string mark(const ViewerEvent& e, std::size_t r) const {
        const double x = laneX(e.lane), y = rowY(r);
        std::string out;
        std::string cls = "act";
        if (e.kind == ViewerEvent::Kind::Signal) {
            out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"4\" class=\"" + (e.call.empty() ? "loop" : "call") +
                   "\"/>\n";
            cls = "sig";
        } else if (e.kind == ViewerEvent::Kind::Call) {
            out += "<rect x=\"" + num(x - 4) + "\" y=\"" + num(y - 4) + "\" width=\"8\" height=\"8\" class=\"callev\"/>\n";
            cls = "callev";
        } else if (e.kind == ViewerEvent::Kind::Fault) {
            out += "<path d=\"M" + num(x) + "," + num(y - 5) + " l5,5 l-5,5 l-5,-5 z\" class=\"fault\"/>\n";
            cls = "fault";
        } else if (e.kind == ViewerEvent::Kind::Network) {
            cls = "net";
        }
        // A signal reads as its trace line: `connectToHost{hostFound()}` inside a call.
        const std::string label = e.call.empty() ? e.label : e.call + "{" + e.label + "}";
        out += "<text x=\"" + num(x + 8) + "\" y=\"" + num(y + 4) + "\" class=\"" + cls + "\">" + markupText(label);
        if (!e.state.empty()) out += " <tspan class=\"state\">" + markupText(e.state) + "</tspan>";
        return out + "</text>\n";
    }

    std::string arrow(double x1, double y1, double x2, double y2, const std::string& cls, bool head) const {
        if (x1 == x2) x2 += 24;  // a host talking to itself: a short hook to the right
        return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" class=\"" +
               cls + "\"" + (head ? " marker-end=\"url(#head)\"" : "") + "/>\n";
    }

    static std::string cross(double x, double y) {
        return "<path d=\"M" + num(x - 5) + "," + num(y - 5) + " l10,10 m0,-10 l-10,10\" class=\"cross\"/>\n";
    }

    std::string packet(const ViewerPacket& p, std::size_t r) const {
        const double x1 = laneX(p.fromLane), x2 = laneX(p.toLane), y1 = rowY(r);
        std::string out;
        double labelY = y1;
        if (p.lostNs >= 0) {
            const double y2 = std::max(yAt(p.lostNs, r), y1 + 8), xe = x1 + (x2 - x1) * 0.6;
            out += arrow(x1, y1, xe, y2, "pkt lost", false) + cross(xe, y2);
        } else if (p.retransmitNs > 0) {
            const double xe = x1 + (x2 - x1) * 0.4;
            out += arrow(x1, y1, xe, y1 + 8, "pkt lost", false) + cross(xe, y1 + 8);
            const double y2 = yAt(p.sentNs + p.retransmitNs, r);
            out += arrow(x1, y2, x2, p.arrivalNs < 0 ? y2 + 8 : std::max(yAt(p.arrivalNs, r), y2 + 4), "pkt", true);
            labelY = y2;
        } else {
            const double y2 = p.arrivalNs < 0 ? y1 + 8 : std::max(yAt(p.arrivalNs, r), y1 + 4);
            out += arrow(x1, y1, x2, y2, "pkt", true);
        }
        const std::string label = p.kind + (p.bytes ? " " + std::to_string(p.bytes) + " B" : "");
        return out + "<text x=\"" + num((x1 + x2) / 2 + (x1 == x2 ? 30 : 0)) + "\" y=\"" + num(labelY - 3) +
               "\" class=\"pktlbl\" text-anchor=\"middle\">" + markupText(label) + "</text>\n";
    }

    ViewerRun run_;
    std::size_t rows_ = 0;
};

}  // namespace

std::string sequenceDiagramSvg(const Scenario& s, const Observation& obs) {
    return SvgDiagram(viewerRun(s, obs, "")).draw();
}

std::string sequenceDiagramHtml(const Scenario& s, const Observation& obs, const std::string& engine) {
    return pageHtml(tracePage(s, obs, engine));
}

}  // namespace simsock::scenario
