#include "simsock/scenario/schema_words.h"

#include <algorithm>
#include <functional>
#include <string_view>

#include "simsock/scenario/calls.h"
#include "simsock/peer/proxy_peer.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/signal_table.h"
#include "simsock/sim/fault_kinds.h"
#include "simsock/socket_types.h"

namespace simsock::scenario {
namespace {

// How a list is written in the schema.
enum class Form {
    Enum,            ///< the value at the path is an array of strings
    Pattern,         ///< the value is a string "^(a|b|c)...": the words are the first group
    PatternKey,      ///< the object at the path has one key, a pattern as above
};

struct WordList {
    std::vector<std::string_view> path;
    Form form;
    std::function<std::vector<std::string>()> words;
};

template <typename E>
std::vector<std::string> spellings() {
    std::vector<std::string> out;
    for (E v : allValues<E>()) out.emplace_back(toString(v));
    return out;
}

std::vector<std::string> faultKindWords() {
    std::vector<std::string> out;
    for (const auto& row : sim::faultKinds()) out.emplace_back(row.name);
    return out;
}

std::vector<std::string> triggerEventWords() {
    std::vector<std::string> out;
    for (auto k : sim::triggerEvents()) out.emplace_back(sim::toString(k));
    return out;
}

std::vector<std::string> dnsFailureWords() {
    std::vector<std::string> out;
    for (auto f : sim::dnsFailures()) out.emplace_back(sim::toString(f));
    return out;
}

std::vector<std::string> proxyFaultWords() {
    std::vector<std::string> out;
    for (const auto& row : peer::proxyFaults())
        if (row.fault != peer::ProxyFault::None) out.emplace_back(row.name);
    return out;
}

std::vector<std::string> proxyCapabilityList() {
    std::vector<std::string> out;
    for (const auto& w : proxyCapabilityWords()) out.emplace_back(w.name);
    return out;
}

// Sockets' and servers' calls share some names (close, errorString ...): each name once, in table order.
std::vector<std::string> callWords() {
    std::vector<std::string> out;
    for (const auto& row : calls())
        if (std::find(out.begin(), out.end(), row.name) == out.end()) out.emplace_back(row.name);
    return out;
}

std::vector<std::string> signalWords() {
    std::vector<std::string> out;
    forEachSignal([&](const SignalInfo& s) { out.emplace_back(s.name); });
    for (const auto& s : serverSignals()) out.emplace_back(s.name);
    return out;
}

const std::vector<WordList>& wordLists() {
    static const std::vector<WordList> lists = {
        {{"properties", "dispatch", "enum"}, Form::Enum, spellings<DispatchOrder>},
        {{"$defs", "network", "properties", "dns", "items", "properties", "failure", "enum"}, Form::Enum, dnsFailureWords},
        {{"$defs", "fault", "properties", "kind", "enum"}, Form::Enum, faultKindWords},
        {{"$defs", "fault", "properties", "failure", "enum"}, Form::Enum, dnsFailureWords},
        {{"$defs", "fault", "properties", "on", "properties", "event", "enum"}, Form::Enum, triggerEventWords},
        {{"$defs", "socket", "properties", "options", "patternProperties"}, Form::PatternKey, spellings<SocketOption>},
        {{"$defs", "socket", "properties", "proxy", "properties", "type", "enum"}, Form::Enum,
         spellings<NetworkProxy::ProxyType>},
        {{"$defs", "socket", "properties", "proxy", "properties", "capabilities", "items", "enum"}, Form::Enum,
         proxyCapabilityList},
        {{"$defs", "peer", "properties", "fault", "properties", "kind", "enum"}, Form::Enum, proxyFaultWords},
        {{"$defs", "action", "properties", "on", "properties", "signal", "pattern"}, Form::Pattern, signalWords},
        {{"$defs", "action", "properties", "call", "enum"}, Form::Enum, callWords},
        {{"$defs", "expect", "properties", "sockets", "additionalProperties", "properties", "state", "enum"}, Form::Enum,
         spellings<SocketState>},
        {{"$defs", "expect", "properties", "sockets", "additionalProperties", "properties", "error", "enum"}, Form::Enum,
         spellings<SocketError>},
    };
    return lists;
}

std::string pathText(const WordList& l) {
    std::string out = "$";
    for (auto p : l.path) out += "." + std::string(p);
    return out;
}

std::string listText(const std::vector<std::string>& words) {
    std::string out = "[";
    for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + words[i];
    return out + "]";
}

/// Where one list sits in the text: the byte range to replace, and the words it holds now.
struct Found {
    std::size_t begin = 0, end = 0;
    std::vector<std::string> words;
    std::string prefix, suffix;  ///< Pattern forms: the text around the group
};

// The end of the JSON string literal starting at text[begin] (one past its closing quote).
std::size_t stringEnd(const std::string& text, std::size_t begin) {
    std::size_t i = begin + 1;
    while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
    return i + 1;
}

void splitPattern(const std::string& file, const WordList& l, const std::string& pattern, Found& f) {
    const auto open = pattern.find("^(");
    const auto close = pattern.find(')');
    if (open != 0 || close == std::string::npos)
        throw ScenarioError(file, pathText(l) + ": expected a pattern \"^(a|b|...)...\", got \"" + pattern + "\"");
    f.prefix = "^(";
    f.suffix = pattern.substr(close);
    std::string_view group(pattern.data() + 2, close - 2);
    for (std::size_t start = 0; start <= group.size();) {
        auto bar = std::min(group.find('|', start), group.size());
        f.words.emplace_back(group.substr(start, bar - start));
        start = bar + 1;
    }
}

Found locate(const std::string& file, const std::string& text, const JsonValue& root, const WordList& l) {
    const JsonValue* v = &root;
    for (auto key : l.path) {
        v = v->isObject() ? v->find(key) : nullptr;
        if (!v) throw ScenarioError(file, pathText(l) + ": not found in the schema");
    }
    Found f;
    if (l.form == Form::Enum) {
        if (!v->isArray()) throw ScenarioError(file, pathText(l) + ": expected an array");
        for (const auto& item : v->items) f.words.push_back(item.text);
        f.begin = v->begin.offset;
        f.end = v->endOffset;
    } else if (l.form == Form::Pattern) {
        if (!v->isString()) throw ScenarioError(file, pathText(l) + ": expected a string");
        splitPattern(file, l, v->text, f);
        f.begin = v->begin.offset;
        f.end = v->endOffset;
    } else {
        if (!v->isObject() || v->keys.size() != 1) throw ScenarioError(file, pathText(l) + ": expected one key");
        splitPattern(file, l, v->keys[0].first, f);
        f.begin = v->keys[0].second.offset;
        f.end = stringEnd(text, f.begin);
    }
    return f;
}

JsonValue parse(const std::string& file, const std::string& text) {
    JsonValue root;
    JsonSyntaxError err;
    if (!parseJson(text, root, err)) throw ScenarioError(file, err.pos, "$", err.message);
    return root;
}

// An enum on one line, or wrapped with its continuation lines under the first element when it would
// pass column 120 (the style of the hand-written schema).
std::string enumText(const std::string& text, std::size_t at, const std::vector<std::string>& words) {
    const std::size_t lineStart = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
    const std::size_t column = at - lineStart;
    std::string out = "[", line;
    std::size_t width = column + 1;
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string item;
        appendJsonString(item, words[i]);
        item += i + 1 < words.size() ? "," : "]";
        if (i > 0 && width + 1 + item.size() > 120) {
            out += "\n" + std::string(column + 1, ' ');
            width = column + 1;
        } else if (i > 0) {
            out += " ";
            ++width;
        }
        out += item;
        width += item.size();
    }
    return words.empty() ? "[]" : out;
}

std::string replacement(const std::string& text, const WordList& l, const Found& f, const std::vector<std::string>& words) {
    if (l.form == Form::Enum) return enumText(text, f.begin, words);
    std::string pattern = f.prefix;
    for (std::size_t i = 0; i < words.size(); ++i) pattern += (i ? "|" : "") + words[i];
    pattern += f.suffix;
    std::string out;
    appendJsonString(out, pattern);
    return out;
}

}  // namespace

std::vector<SchemaDifference> schemaDifferences(const std::string& file, const std::string& schemaText) {
    const JsonValue root = parse(file, schemaText);
    std::vector<SchemaDifference> out;
    for (const auto& l : wordLists()) {
        const Found f = locate(file, schemaText, root, l);
        const std::vector<std::string> words = l.words();
        if (f.words != words)
            out.push_back({pathText(l), "schema has " + listText(f.words) + ", the tables have " + listText(words)});
    }
    return out;
}

std::string schemaWithTableWords(const std::string& file, const std::string& schemaText) {
    const JsonValue root = parse(file, schemaText);
    std::vector<std::pair<Found, std::string>> edits;
    for (const auto& l : wordLists()) {
        Found f = locate(file, schemaText, root, l);
        std::string r = replacement(schemaText, l, f, l.words());
        edits.emplace_back(std::move(f), std::move(r));
    }
    // From the end, so earlier offsets stay valid.
    std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.first.begin > b.first.begin; });
    std::string out = schemaText;
    for (const auto& [f, r] : edits) out.replace(f.begin, f.end - f.begin, r);
    return out;
}

}  // namespace simsock::scenario
