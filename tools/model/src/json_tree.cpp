#include "simsock/scenario/json_tree.h"

#include <cstdio>
#include <unordered_set>

namespace simsock::scenario {
namespace {

// Nesting bound: a scenario is never deep, and recursion must not be able to overflow the stack.
constexpr int kMaxDepth = 64;

// The keys of one object, for duplicate detection: a scan while the object is small, a hash set once it
// is not (a scan per key makes an object of n keys cost n^2/2 comparisons: 100k keys took 18 s). Only
// looked up, never iterated: the order of the keys is the object's own.
class KeySet {
public:
    /// False when key is among keys already; otherwise remembers it.
    bool insert(const std::vector<std::pair<std::string, SourcePos>>& keys, const std::string& key,
                JsonParseStats& stats) {
        if (keys.size() < kScanLimit) {
            for (const auto& k : keys) {
                ++stats.keysExamined;
                if (k.first == key) return false;
            }
            return true;
        }
        if (set_.empty())
            for (const auto& k : keys) set_.insert(k.first);
        ++stats.keysExamined;
        return set_.insert(key).second;
    }

private:
    static constexpr std::size_t kScanLimit = 16;
    std::unordered_set<std::string> set_;
};

class Parser {
public:
    Parser(std::string_view text, JsonParseStats& stats) : text_(text), stats_(stats) {}

    bool parseDocument(JsonValue& out, JsonSyntaxError& error) {
        if (!skipSpace() || !parseValue(out, 0) || !skipSpace()) return fail(error);
        if (i_ != text_.size()) {
            setError("unexpected text after the JSON value");
            return fail(error);
        }
        return true;
    }

private:
    bool fail(JsonSyntaxError& error) {
        error = error_;
        return false;
    }
    SourcePos pos() const { return SourcePos{line_, col_, i_}; }
    bool setError(std::string msg) {
        error_ = JsonSyntaxError{pos(), std::move(msg)};
        return false;
    }
    bool setErrorAt(SourcePos p, std::string msg) {
        error_ = JsonSyntaxError{p, std::move(msg)};
        return false;
    }
    bool atEnd() const { return i_ >= text_.size(); }
    char peek() const { return text_[i_]; }
    void advance() {
        if (text_[i_] == '\n') {
            ++line_;
            col_ = 1;
        } else {
            ++col_;
        }
        ++i_;
    }
    bool skipSpace() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                advance();
            } else {
                break;
            }
        }
        return true;
    }
    std::string describeHere() const {
        if (atEnd()) return "end of file";
        char c = peek();
        if (static_cast<unsigned char>(c) < 0x20) return "a control character";
        if (c == '/') return "'/' (comments are not allowed in JSON)";
        return std::string("'") + c + "'";
    }

    bool parseValue(JsonValue& v, int depth) {
        if (depth > kMaxDepth) return setError("nesting deeper than 64 levels");
        v.begin = pos();
        if (atEnd()) return setError("expected a value, got end of file");
        bool ok = false;
        switch (peek()) {
        case '{': ok = parseObject(v, depth); break;
        case '[': ok = parseArray(v, depth); break;
        case '"':
            v.kind = JsonValue::Kind::String;
            ok = parseString(v.text);
            break;
        case 't': ok = parseLiteral(v, "true"); break;
        case 'f': ok = parseLiteral(v, "false"); break;
        case 'n': ok = parseLiteral(v, "null"); break;
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
                ok = parseNumber(v);
            } else {
                return setError("expected a value, got " + describeHere());
            }
        }
        v.endOffset = i_;
        return ok;
    }

    bool parseLiteral(JsonValue& v, std::string_view word) {
        if (text_.substr(i_, word.size()) != word) return setError("invalid literal (expected " + std::string(word) + ")");
        for (std::size_t k = 0; k < word.size(); ++k) advance();
        v.kind = word == "null" ? JsonValue::Kind::Null : JsonValue::Kind::Bool;
        v.boolean = word == "true";
        return true;
    }

    bool digits() {
        if (atEnd() || peek() < '0' || peek() > '9') return setError("expected a digit, got " + describeHere());
        while (!atEnd() && peek() >= '0' && peek() <= '9') advance();
        return true;
    }

    bool parseNumber(JsonValue& v) {
        std::size_t start = i_;
        v.kind = JsonValue::Kind::Number;
        v.integral = true;
        if (peek() == '-') advance();
        if (!atEnd() && peek() == '0') {
            advance();
            if (!atEnd() && peek() >= '0' && peek() <= '9') return setError("leading zeros are not allowed");
        } else if (!digits()) {
            return false;
        }
        if (!atEnd() && peek() == '.') {
            v.integral = false;
            advance();
            if (!digits()) return false;
        }
        if (!atEnd() && (peek() == 'e' || peek() == 'E')) {
            v.integral = false;
            advance();
            if (!atEnd() && (peek() == '+' || peek() == '-')) advance();
            if (!digits()) return false;
        }
        v.text = std::string(text_.substr(start, i_ - start));
        return true;
    }

    static void appendUtf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    bool hex4(std::uint32_t& cp) {
        cp = 0;
        for (int k = 0; k < 4; ++k) {
            if (atEnd()) return setError("unterminated \\u escape");
            char c = peek();
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return setError("invalid hex digit in \\u escape");
            cp = cp * 16 + static_cast<std::uint32_t>(d);
            advance();
        }
        return true;
    }

    bool parseEscape(std::string& out) {
        advance();  // the backslash
        if (atEnd()) return setError("unterminated string");
        char c = peek();
        const char* simple = "\"\\/bfnrt";
        const char* meaning = "\"\\/\b\f\n\r\t";
        for (int k = 0; simple[k]; ++k) {
            if (c == simple[k]) {
                out += meaning[k];
                advance();
                return true;
            }
        }
        if (c != 'u') return setError(std::string("invalid escape \\") + c);
        advance();
        std::uint32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(i_, 2) == "\\u") {
            advance();
            advance();
            std::uint32_t lo = 0;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return setError("invalid surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        appendUtf8(out, cp);
        return true;
    }

    bool parseString(std::string& out) {
        SourcePos start = pos();
        advance();  // the opening quote
        while (true) {
            if (atEnd()) return setErrorAt(start, "unterminated string");
            char c = peek();
            if (c == '"') {
                advance();
                return true;
            }
            if (c == '\\') {
                if (!parseEscape(out)) return false;
            } else if (c == '\n') {
                return setErrorAt(start, "unterminated string (a line break before the closing quote)");
            } else if (static_cast<unsigned char>(c) < 0x20) {
                return setError("control character in string (escape it)");
            } else {
                out += c;
                advance();
            }
        }
    }

    bool parseArray(JsonValue& v, int depth) {
        v.kind = JsonValue::Kind::Array;
        advance();
        skipSpace();
        if (!atEnd() && peek() == ']') {
            advance();
            return true;
        }
        while (true) {
            JsonValue item;
            if (!skipSpace() || !parseValue(item, depth + 1) || !skipSpace()) return false;
            v.items.push_back(std::move(item));
            if (atEnd()) return setError("expected ',' or ']' in array, got end of file");
            if (peek() == ']') {
                advance();
                return true;
            }
            if (peek() != ',') return setError("expected ',' or ']' in array, got " + describeHere());
            advance();
            skipSpace();
            if (!atEnd() && peek() == ']') return setError("trailing comma in array");
        }
    }

    bool parseMember(JsonValue& v, int depth, KeySet& seen) {
        if (atEnd() || peek() != '"') return setError("expected a key string, got " + describeHere());
        SourcePos keyPos = pos();
        std::string key;
        if (!parseString(key)) return false;
        if (!seen.insert(v.keys, key, stats_)) return setErrorAt(keyPos, "duplicate key \"" + key + "\"");
        skipSpace();
        if (atEnd() || peek() != ':') return setError("expected ':' after key, got " + describeHere());
        advance();
        JsonValue value;
        if (!skipSpace() || !parseValue(value, depth + 1) || !skipSpace()) return false;
        v.keys.emplace_back(std::move(key), keyPos);
        v.values.push_back(std::move(value));
        return true;
    }

    bool parseObject(JsonValue& v, int depth) {
        v.kind = JsonValue::Kind::Object;
        advance();
        skipSpace();
        if (!atEnd() && peek() == '}') {
            advance();
            return true;
        }
        KeySet seen;
        while (true) {
            if (!parseMember(v, depth, seen)) return false;
            if (atEnd()) return setError("expected ',' or '}' in object, got end of file");
            if (peek() == '}') {
                advance();
                return true;
            }
            if (peek() != ',') return setError("expected ',' or '}' in object, got " + describeHere());
            advance();
            skipSpace();
            if (!atEnd() && peek() == '}') return setError("trailing comma in object");
        }
    }

    std::string_view text_;
    std::size_t i_ = 0;
    int line_ = 1;
    int col_ = 1;
    JsonSyntaxError error_;
    JsonParseStats& stats_;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
    for (std::size_t k = 0; k < keys.size(); ++k)
        if (keys[k].first == key) return &values[k];
    return nullptr;
}

SourcePos JsonValue::keyPos(std::string_view key) const {
    for (const auto& k : keys)
        if (k.first == key) return k.second;
    return begin;
}

const char* kindName(JsonValue::Kind kind) {
    switch (kind) {
    case JsonValue::Kind::Null: return "null";
    case JsonValue::Kind::Bool: return "boolean";
    case JsonValue::Kind::Number: return "number";
    case JsonValue::Kind::String: return "string";
    case JsonValue::Kind::Array: return "array";
    case JsonValue::Kind::Object: return "object";
    }
    return "?";
}

bool parseJson(std::string_view text, JsonValue& out, JsonSyntaxError& error, JsonParseStats* stats) {
    out = JsonValue{};
    JsonParseStats ignored;
    return Parser(text, stats ? *stats : ignored).parseDocument(out, error);
}

}  // namespace simsock::scenario
