// A JSON document tree that remembers where every value and key came from. Scenario diagnostics must
// name the line and column of the offending value, which nlohmann::json does not track, and `simsock
// record` splices a new trace into the file by byte range so that the rest of the file stays untouched.
#pragma once

#include "simsock/trace.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace simsock::scenario {

/// A position in a source text: 1-based line and column (columns count bytes), plus the byte offset.
struct SourcePos {
    int line = 1;
    int column = 1;
    std::size_t offset = 0;
};

class JsonValue {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind = Kind::Null;
    SourcePos begin;          ///< the first character of the value
    std::size_t endOffset = 0;///< one past its last character
    bool boolean = false;
    std::string text;         ///< String: the decoded string; Number: the literal as written
    bool integral = false;    ///< Number: written without fraction or exponent
    std::vector<JsonValue> items;                        ///< Array elements
    std::vector<std::pair<std::string, SourcePos>> keys; ///< Object keys, in source order
    std::vector<JsonValue> values;                       ///< Object values, parallel to keys

    bool isNull() const { return kind == Kind::Null; }
    bool isObject() const { return kind == Kind::Object; }
    bool isArray() const { return kind == Kind::Array; }
    bool isString() const { return kind == Kind::String; }
    bool isNumber() const { return kind == Kind::Number; }
    bool isBool() const { return kind == Kind::Bool; }
    /// The member named key, or null when absent (objects only).
    const JsonValue* find(std::string_view key) const;
    /// The position of key's name, or the object's own position when absent.
    SourcePos keyPos(std::string_view key) const;
};

/// "object", "array", "string", "number", "boolean" or "null": for "expected X, got Y" messages.
const char* kindName(JsonValue::Kind kind);

/// A syntax error: where, and what was expected.
struct JsonSyntaxError {
    SourcePos pos;
    std::string message;
};

/// Work one parse did, for complexity tests (counted, never timed).
struct JsonParseStats {
    std::uint64_t keysExamined = 0;  ///< earlier keys looked at while checking each key for a duplicate
};

/// Parses text (strict RFC 8259; duplicate keys are an error). On failure returns false and fills error.
/// stats, when given, receives the work done.
bool parseJson(std::string_view text, JsonValue& out, JsonSyntaxError& error, JsonParseStats* stats = nullptr);

/// JSON string literals are written with core's escaping, so scenario files and traces agree.
using simsock::appendJsonString;

}  // namespace simsock::scenario
