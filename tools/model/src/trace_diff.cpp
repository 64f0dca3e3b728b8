#include "simsock/scenario/trace_diff.h"

#include <algorithm>

#include "simsock/scenario/duration.h"

namespace simsock::scenario {
namespace {

// Above this many DP cells the diff falls back to a position-by-position listing: the bound keeps a
// pathological trace from costing more than a few megabytes.
constexpr std::size_t kMaxLcsCells = 4'000'000;

struct DiffLine {
    char tag;  // ' ', '-', '+'
    std::string text;
};

std::vector<DiffLine> lcsDiff(const std::vector<TraceLine>& exp, const std::vector<TraceEvent>& act, TraceShape shape) {
    std::size_t n = exp.size(), m = act.size();
    std::vector<DiffLine> out;
    if ((n + 1) * (m + 1) > kMaxLcsCells) {
        for (std::size_t i = 0; i < std::max(n, m); ++i) {
            if (i < n && i < m && matches(exp[i], act[i])) {
                out.push_back({' ', renderEvent(act[i], shape)});
                continue;
            }
            if (i < n) out.push_back({'-', renderLine(exp[i])});
            if (i < m) out.push_back({'+', renderEvent(act[i], shape)});
        }
        return out;
    }
    // len[i][j]: LCS length of exp[i..] and act[i..].
    std::vector<std::vector<std::uint32_t>> len(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            len[i][j] = matches(exp[i], act[j]) ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && matches(exp[i], act[j])) {
            out.push_back({' ', renderEvent(act[j], shape)});
            ++i;
            ++j;
        } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
            // Deletions first at a tie, as unified diffs print them.
            out.push_back({'-', renderLine(exp[i++])});
        } else {
            out.push_back({'+', renderEvent(act[j++], shape)});
        }
    }
    return out;
}

}  // namespace

std::string renderEvent(const TraceEvent& e, TraceShape shape) {
    std::string s;
    if (shape.times) s += "@" + formatDuration(e.timeNs) + " ";
    if (shape.sockets) s += e.object + ": ";
    return s + e.str();
}

std::string renderLine(const TraceLine& l) {
    std::string s;
    if (l.timeNs) s += "@" + formatDuration(*l.timeNs) + " ";
    if (!l.socket.empty()) s += l.socket + ": ";
    return s + l.compact;
}

TraceShape shapeOf(const std::vector<TraceLine>& lines) {
    TraceShape shape{false, false};
    for (const auto& l : lines) {
        shape.times = shape.times || l.timeNs.has_value();
        shape.sockets = shape.sockets || !l.socket.empty();
    }
    return shape;
}

bool matches(const TraceLine& l, const TraceEvent& e) {
    if (l.timeNs && *l.timeNs != e.timeNs) return false;
    if (!l.socket.empty() && l.socket != e.object) return false;
    return l.compact == e.str();
}

TraceComparison compareTrace(const std::vector<TraceLine>& expected, const std::vector<TraceEvent>& events) {
    TraceComparison c;
    std::size_t n = std::min(expected.size(), events.size());
    std::size_t k = 0;
    while (k < n && matches(expected[k], events[k])) ++k;
    if (k == expected.size() && k == events.size()) return c;
    TraceShape shape = shapeOf(expected);
    c.equal = false;
    c.firstDifference = k + 1;
    std::string want = k < expected.size() ? "\"" + renderLine(expected[k]) + "\"" : "the end of the trace";
    std::string got = k < events.size() ? "\"" + renderEvent(events[k], shape) + "\"" : "the end of the trace";
    c.summary = "trace: first difference at event " + std::to_string(k + 1) + ": expected " + want + ", got " + got;
    c.diff = "--- expected\n+++ actual\n@@ first difference at event " + std::to_string(k + 1) + " @@\n";
    bool marked = false;
    for (const auto& d : lcsDiff(expected, events, shape)) {
        c.diff += d.tag;
        c.diff += d.text;
        if (d.tag != ' ' && !marked) {
            c.diff += "    <== first difference";
            marked = true;
        }
        c.diff += '\n';
    }
    return c;
}

std::string checkSubsequence(const std::vector<TraceLine>& expected, const std::vector<TraceEvent>& events) {
    std::size_t j = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        std::size_t start = j;
        while (j < events.size() && !matches(expected[i], events[j])) ++j;
        if (j == events.size())
            return "subsequence: entry " + std::to_string(i + 1) + " \"" + renderLine(expected[i]) +
                   "\" not found after event " + std::to_string(start);
        ++j;
    }
    return {};
}

}  // namespace simsock::scenario
