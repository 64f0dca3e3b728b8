#include "simsock/scenario/reporters.h"

#include <nlohmann/json.hpp>

namespace simsock::scenario {
namespace {

std::string xmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default:
            // XML 1.0 forbids most control characters even when escaped.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
                out += '?';
            } else {
                out += c;
            }
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

std::string traceJsonLines(const std::string& scenarioFile, const Observation& obs, const std::string& engine) {
    std::string prefix = nlohmann::json(scenarioFile).dump();
    if (!engine.empty()) prefix += ",\"engine\":" + nlohmann::json(engine).dump();
    std::string out;
    for (const auto& e : obs.trace.events()) {
        std::string line = e.toJson();
        out += "{\"scenario\":" + prefix + "," + line.substr(1) + "\n";
    }
    for (const auto& l : obs.log) {
        nlohmann::ordered_json j;
        j["scenario"] = scenarioFile;
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
