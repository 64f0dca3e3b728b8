// Fuzz target 1: the JSON reader. Besides not crashing, every position it reports must be the real
// one (diagnostics name line and column, and `simsock record` splices by byte range).
#include <algorithm>
#include <string>

#include "fuzz_entries.h"
#include "simsock/scenario/json_tree.h"

namespace simsock::fuzz {
namespace {

using scenario::JsonValue;
using scenario::SourcePos;

// Line and column recomputed from the byte offset, as the reader documents them.
void requireConsistent(std::string_view text, const SourcePos& p, std::string_view what) {
    require(p.offset <= text.size(), what);
    const std::string_view before = text.substr(0, p.offset);
    const auto lines = std::count(before.begin(), before.end(), '\n');
    const std::size_t lineStart = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
    require(p.line == 1 + lines, what);
    require(p.column == static_cast<int>(1 + p.offset - lineStart), what);
}

void requireSpelling(std::string_view text, const JsonValue& v) {
    const std::string_view written = text.substr(v.begin.offset, v.endOffset - v.begin.offset);
    switch (v.kind) {
    case JsonValue::Kind::Null: require(written == "null", "null spelled as null"); break;
    case JsonValue::Kind::Bool: require(written == (v.boolean ? "true" : "false"), "boolean spelling"); break;
    case JsonValue::Kind::Number: require(written == v.text, "a number's text is its literal"); break;
    case JsonValue::Kind::String:
        require(written.size() >= 2 && written.front() == '"' && written.back() == '"', "string range is quoted");
        break;
    case JsonValue::Kind::Array: require(written.front() == '[' && written.back() == ']', "array range"); break;
    case JsonValue::Kind::Object: require(written.front() == '{' && written.back() == '}', "object range"); break;
    }
}

// Children lie inside their parent, in source order; keys are unique and sit before their values.
void requireTree(std::string_view text, const JsonValue& v, int depth) {
    require(depth <= 65, "nesting bound");
    requireConsistent(text, v.begin, "value position");
    require(v.begin.offset < v.endOffset && v.endOffset <= text.size(), "value range");
    requireSpelling(text, v);
    std::size_t after = v.begin.offset + 1;
    auto child = [&](const JsonValue& c) {
        require(c.begin.offset >= after && c.endOffset < v.endOffset, "child inside its parent, in order");
        requireTree(text, c, depth + 1);
        after = c.endOffset;
    };
    for (const auto& item : v.items) child(item);
    require(v.keys.size() == v.values.size(), "one value per key");
    for (std::size_t k = 0; k < v.keys.size(); ++k) {
        const auto& [key, pos] = v.keys[k];
        requireConsistent(text, pos, "key position");
        require(pos.offset >= after && text[pos.offset] == '"', "key before its value");
        require(v.find(key) == &v.values[k], "keys are unique");
        after = pos.offset + 1;
        child(v.values[k]);
    }
}

}  // namespace

void jsonTree(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    JsonValue doc;
    scenario::JsonSyntaxError error;
    if (!scenario::parseJson(text, doc, error)) {
        requireConsistent(text, error.pos, "syntax error position");
        require(!error.message.empty(), "a syntax error says what is wrong");
        return;
    }
    requireTree(text, doc, 0);
}

}  // namespace simsock::fuzz
