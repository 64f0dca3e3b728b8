#include "simsock/scenario/record.h"

#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/json_tree.h"
#include "simsock/scenario/trace_diff.h"

namespace simsock::scenario {
namespace {

// The indentation of the line holding offset.
std::string lineIndent(const std::string& text, std::size_t offset) {
    std::size_t start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t end = start;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    return text.substr(start, end - start);
}

std::string formatArray(const std::vector<std::string>& lines, const std::string& indent) {
    if (lines.empty()) return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += indent + "  ";
        appendJsonString(out, lines[i]);
        out += i + 1 < lines.size() ? ",\n" : "\n";
    }
    return out + indent + "]";
}

// Inserts `"key": value` as the last member of the object obj (whose closing brace is at endOffset-1).
std::string insertMember(const std::string& text, const JsonValue& obj, const std::string& key,
                         const std::string& value) {
    std::size_t close = obj.endOffset - 1;
    std::size_t insertAt = close;
    while (insertAt > obj.begin.offset + 1 && (text[insertAt - 1] == ' ' || text[insertAt - 1] == '\n' ||
                                               text[insertAt - 1] == '\t' || text[insertAt - 1] == '\r'))
        --insertAt;
    std::string indent = lineIndent(text, close);
    std::string member = (obj.keys.empty() ? "\n" : ",\n") + indent + "  \"" + key + "\": " + value;
    return text.substr(0, insertAt) + member + "\n" + indent + text.substr(close);
}

}  // namespace

std::vector<std::string> recordedLines(const Trace& trace, bool times) {
    std::vector<std::string> out;
    for (const auto& e : trace.events()) out.push_back(renderEvent(e, TraceShape{times, true}));
    return out;
}

std::string spliceTrace(const std::string& file, const std::string& text, const std::vector<std::string>& lines) {
    JsonValue root;
    JsonSyntaxError err;
    if (!parseJson(text, root, err)) throw ScenarioError(file, err.pos, "$", err.message);
    if (!root.isObject()) throw ScenarioError(file, root.begin, "$", "expected an object");
    const JsonValue* expect = root.find("expect");
    if (!expect) {
        std::string indent = lineIndent(text, root.endOffset - 1) + "  ";
        return insertMember(text, root, "expect", "{\n" + indent + "  \"trace\": " + formatArray(lines, indent + "  ") +
                                                      "\n" + indent + "}");
    }
    if (!expect->isObject()) throw ScenarioError(file, expect->begin, "$.expect", "expected an object");
    const JsonValue* trace = expect->find("trace");
    if (!trace) return insertMember(text, *expect, "trace", formatArray(lines, lineIndent(text, expect->endOffset - 1) + "  "));
    std::string indent = lineIndent(text, expect->keyPos("trace").offset);
    return text.substr(0, trace->begin.offset) + formatArray(lines, indent) + text.substr(trace->endOffset);
}

}  // namespace simsock::scenario
