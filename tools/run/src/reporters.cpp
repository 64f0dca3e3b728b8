#include "simsock/scenario/reporters.h"

#include <nlohmann/json.hpp>

namespace simsock::scenario {
namespace {

// XML 1.0 allows tab, line feed, carriage return, and the code points from U+0020 on except surrogates,
// U+FFFE and U+FFFF, even when escaped: the others become '?' (a carriage return too: attribute values
// would normalise it away). Invalid UTF-8 becomes U+FFFD, as in every JSON output.
bool xmlAllows(std::string_view utf8) {
    const auto b0 = static_cast<unsigned char>(utf8[0]);
    if (utf8.size() == 1) return b0 >= 0x20 || b0 == '\n' || b0 == '\t';
    return utf8 != "\xEF\xBF\xBE" && utf8 != "\xEF\xBF\xBF";  // U+FFFE, U+FFFF (surrogates are not valid UTF-8)
}

std::string xmlEscape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t bad = 1;
        const std::size_t n = utf8SequenceLength(s.substr(i), &bad);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            i += bad;
            continue;
        }
        const std::string_view c = s.substr(i, n);
        i += n;
        if (!xmlAllows(c)) {
            out += '?';
        } else if (c == "<") {
            out += "&lt;";
        } else if (c == ">") {
            out += "&gt;";
        } else if (c == "&") {
            out += "&amp;";
        } else if (c == "\"") {
            out += "&quot;";
        } else {
            out += c;
        }
    }
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

std::string junitXml(const std::vector<ReportEntry>& entries) {
    int failures = 0, skipped = 0;
    for (const auto& e : entries) {
        failures += e.status == RunResult::Status::Failed || e.status == RunResult::Status::Error ? 1 : 0;
        skipped += e.status == RunResult::Status::Skipped ? 1 : 0;
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuite name=\"simsock\" tests=\"" + std::to_string(entries.size()) + "\" failures=\"" +
           std::to_string(failures) + "\" skipped=\"" + std::to_string(skipped) + "\">\n";
    for (const auto& e : entries) {
        out += "  <testcase classname=\"scenario." + xmlEscape(e.engine) + "\" name=\"" + xmlEscape(e.file) + "\"";
        if (e.status == RunResult::Status::Passed) {
            out += "/>\n";
            continue;
        }
        out += ">\n";
        std::string first = e.messages.empty() ? "" : e.messages.front();
        if (e.status == RunResult::Status::Skipped) {
            out += "    <skipped message=\"" + xmlEscape(first) + "\"/>\n";
        } else {
            out += "    <failure message=\"" + xmlEscape(first) + "\">" + xmlEscape(joined(e.messages) + e.diff) +
                   "</failure>\n";
        }
        out += "  </testcase>\n";
    }
    out += "</testsuite>\n";
    return out;
}

std::string htmlIndex(const std::vector<IndexRow>& rows) {
    static const char* const kStatus[] = {"pass", "fail", "skip", "error"};
    int counts[4] = {0, 0, 0, 0};
    for (const auto& row : rows) ++counts[static_cast<int>(row.entry.status)];
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>simsock run report</title>\n"
        "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}"
        "td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
        ".pass{color:#1a7f37}.fail,.error{color:#c62828;font-weight:bold}.skip{color:#888}"
        "td.msg{font-family:monospace;font-size:12px;max-width:70em}</style></head>\n<body>\n<h1>simsock run report</h1>\n";
    out += "<p id=\"summary\">" + std::to_string(counts[0]) + " passed, " + std::to_string(counts[1] + counts[3]) +
           " failed, " + std::to_string(counts[2]) + " skipped</p>\n";
    out += "<table>\n<tr><th>status</th><th>scenario</th><th>engine</th><th>first message</th></tr>\n";
    for (const auto& row : rows) {
        const ReportEntry& e = row.entry;
        const std::string status = kStatus[static_cast<int>(e.status)];
        const std::string name = row.page.empty() ? xmlEscape(e.file)
                                                  : "<a href=\"" + xmlEscape(row.page) + "\">" + xmlEscape(e.file) + "</a>";
        out += "<tr class=\"row-" + status + "\"><td class=\"" + status + "\">" + status +
               (row.expectedFailure ? " (expected failure)" : "") + "</td><td>" + name + "</td><td>" + xmlEscape(e.engine) +
               "</td><td class=\"msg\">" + xmlEscape(e.messages.empty() ? "" : e.messages.front()) + "</td></tr>\n";
    }
    return out + "</table>\n</body></html>\n";
}

std::string traceJsonLines(const std::string& scenarioFile, const Observation& obs, const std::string& engine) {
    // The path is bytes from the file system: appendJsonString makes it valid UTF-8 (nlohmann would throw).
    std::string prefix;
    appendJsonString(prefix, scenarioFile);
    if (!engine.empty()) {
        prefix += ",\"engine\":";
        appendJsonString(prefix, engine);
    }
    std::string out;
    for (const auto& e : obs.trace.events()) {
        std::string line = e.toJson();
        out += "{\"scenario\":" + prefix + "," + line.substr(1) + "\n";
    }
    for (const auto& l : obs.log) {
        nlohmann::ordered_json j;
        j["scenario"] = scenarioFile;  // dump() below replaces invalid UTF-8
        if (!engine.empty()) j["engine"] = engine;
        j["t"] = l.timeNs;
        j["actor"] = l.actor;
        j["what"] = l.what;
        j["bytes"] = l.bytes;
        j["target"] = l.target;
        j["detail"] = l.detail;
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    return out;
}

}  // namespace simsock::scenario
