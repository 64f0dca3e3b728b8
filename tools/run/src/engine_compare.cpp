// Comparing the traces one scenario produced on the sim and on another engine. Both must give the same
// signals in the same order with the same arguments and states (SEMANTICS.md); only time may differ.
#include <algorithm>

#include "simsock/scenario/runner.h"

namespace simsock::scenario {
namespace {

// Above this many DP cells the diff lists position by position, so a huge trace costs a bounded amount.
constexpr std::size_t kMaxLcsCells = 4'000'000;

std::vector<std::string> normalised(const Trace& t) {
    std::vector<std::string> out;
    for (const auto& e : t.events()) out.push_back(normalisedEvent(e));
    return out;
}

// Unified-diff lines of a (-) against b (+): longest common subsequence, deletions first at a tie.
std::vector<std::string> lineDiff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::size_t n = a.size(), m = b.size();
    std::vector<std::string> out;
    if ((n + 1) * (m + 1) > kMaxLcsCells) {
        for (std::size_t i = 0; i < std::max(n, m); ++i) {
            if (i < n && i < m && a[i] == b[i]) {
                out.push_back(" " + a[i]);
                continue;
            }
            if (i < n) out.push_back("-" + a[i]);
            if (i < m) out.push_back("+" + b[i]);
        }
        return out;
    }
    std::vector<std::vector<std::uint32_t>> len(n + 1, std::vector<std::uint32_t>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            len[i][j] = a[i] == b[j] ? len[i + 1][j + 1] + 1 : std::max(len[i + 1][j], len[i][j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out.push_back(" " + a[i++]);
            ++j;
        } else if (i < n && (j == m || len[i + 1][j] >= len[i][j + 1])) {
            out.push_back("-" + a[i++]);
        } else {
            out.push_back("+" + b[j++]);
        }
    }
    return out;
}

}  // namespace

std::string normalisedEvent(const TraceEvent& e) {
    if (e.isCall()) return e.object + ": " + e.str();
    return e.object + ": " + e.str() + " in " + e.state;
}

EngineComparison compareEngineTraces(const Trace& sim, const Trace& otherTrace, const std::string& other) {
    EngineComparison c;
    std::vector<std::string> a = normalised(sim), b = normalised(otherTrace);
    std::size_t k = 0;
    while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
    if (k == a.size() && k == b.size()) return c;
    c.equal = false;
    std::string n = std::to_string(k + 1);
    std::string simText = k < a.size() ? "\"" + a[k] + "\"" : "the end of the trace";
    std::string otherText = k < b.size() ? "\"" + b[k] + "\"" : "the end of the trace";
    const std::string reference = kDefaultEngine;
    c.summary = "engines differ: first difference at event " + n + ": " + reference + " " + simText + " vs " + other + " " +
                otherText;
    c.diff = "--- " + reference + "\n+++ " + other + "\n@@ first difference at event " + n + " @@\n";
    bool marked = false;
    for (const auto& line : lineDiff(a, b)) {
        c.diff += line;
        if (line[0] != ' ' && !marked) {
            c.diff += "    <== first difference";
            marked = true;
        }
        c.diff += '\n';
    }
    return c;
}

}  // namespace simsock::scenario
