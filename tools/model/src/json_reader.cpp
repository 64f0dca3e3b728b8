#include "json_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "simsock/scenario/duration.h"

namespace simsock::scenario::detail {
namespace {

bool isIdentifier(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return !(key[0] >= '0' && key[0] <= '9');
}

std::string joinChoices(std::span<const std::string_view> choices) {
    std::string out;
    for (auto c : choices) out += (out.empty() ? "" : ", ") + std::string(c);
    return out;
}

}  // namespace

std::string childPath(const std::string& path, std::string_view key) {
    if (isIdentifier(key)) return path + "." + std::string(key);
    std::string quoted;
    appendJsonString(quoted, key);
    return path + "[" + quoted + "]";
}

void Node::fail(const std::string& message) const { throw ScenarioError(*file_, v_->begin, path_, message); }

void Node::failAtKey(std::string_view key, const std::string& message) const {
    throw ScenarioError(*file_, v_->keyPos(key), childPath(path_, key), message);
}

void Node::expectObject() const {
    if (!v_->isObject()) fail(std::string("expected an object, got ") + kindName(v_->kind));
}

void Node::expectObject(std::span<const std::string_view> allowed) const {
    expectObject();
    for (const auto& [key, pos] : v_->keys) {
        bool known = false;
        for (auto a : allowed) known = known || a == key;
        if (!known) failAtKey(key, "unknown field (allowed: " + joinChoices(allowed) + ")");
    }
}

Node Node::at(std::string_view key) const {
    expectObject();
    const JsonValue* m = v_->find(key);
    if (!m) fail("missing required field \"" + std::string(key) + "\"");
    return Node(*m, childPath(path_, key), *file_);
}

std::optional<Node> Node::get(std::string_view key) const {
    expectObject();
    const JsonValue* m = v_->find(key);
    if (!m) return std::nullopt;
    return Node(*m, childPath(path_, key), *file_);
}

std::vector<Node> Node::elements() const {
    if (!v_->isArray()) fail(std::string("expected an array, got ") + kindName(v_->kind));
    std::vector<Node> out;
    for (std::size_t i = 0; i < v_->items.size(); ++i)
        out.emplace_back(v_->items[i], path_ + "[" + std::to_string(i) + "]", *file_);
    return out;
}

std::vector<std::pair<std::string, Node>> Node::members() const {
    expectObject();
    std::vector<std::pair<std::string, Node>> out;
    for (std::size_t i = 0; i < v_->keys.size(); ++i)
        out.emplace_back(v_->keys[i].first, Node(v_->values[i], childPath(path_, v_->keys[i].first), *file_));
    return out;
}

std::string Node::str() const {
    if (!v_->isString()) fail(std::string("expected a string, got ") + kindName(v_->kind));
    return v_->text;
}

std::string Node::name() const {
    std::string s = str();
    if (s.empty()) fail("must not be empty");
    return s;
}

bool Node::boolean() const {
    if (!v_->isBool()) fail(std::string("expected a boolean, got ") + kindName(v_->kind));
    return v_->boolean;
}

std::int64_t Node::integer(std::int64_t min, std::int64_t max) const {
    if (!v_->isNumber() || !v_->integral)
        fail(std::string("expected an integer, got ") + (v_->isNumber() ? "a fraction" : kindName(v_->kind)));
    errno = 0;
    char* end = nullptr;
    long long n = std::strtoll(v_->text.c_str(), &end, 10);
    if (errno == ERANGE || n < min || n > max)
        fail(v_->text + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return n;
}

double Node::number(double min, double max) const {
    if (!v_->isNumber()) fail(std::string("expected a number, got ") + kindName(v_->kind));
    double d = std::strtod(v_->text.c_str(), nullptr);
    if (!std::isfinite(d) || d < min || d > max) {
        auto fmt = [](double x) {
            std::string s = std::to_string(x);
            while (s.size() > 1 && s.back() == '0') s.pop_back();
            if (!s.empty() && s.back() == '.') s.pop_back();
            return s;
        };
        fail(v_->text + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
    }
    return d;
}

std::int64_t Node::duration() const {
    if (v_->isNumber()) {
        if (!v_->integral) fail("a bare number is nanoseconds and must be an integer; write e.g. \"1.5ms\"");
        if (!v_->text.empty() && v_->text[0] == '-') fail("negative duration " + v_->text);
        return integer(0, 100LL * 24 * 3600 * 1'000'000'000);
    }
    if (!v_->isString())
        fail(std::string("expected a duration (\"10ms\" or integer nanoseconds), got ") + kindName(v_->kind));
    if (!v_->text.empty() && v_->text[0] == '-') fail("negative duration \"" + v_->text + "\"");
    std::string error;
    auto ns = parseDuration(v_->text, error);
    if (!ns) fail(error);
    return *ns;
}

std::string Node::oneOf(std::span<const std::string_view> choices) const {
    std::string s = str();
    for (auto c : choices)
        if (c == s) return s;
    fail("unknown value \"" + s + "\" (expected one of: " + joinChoices(choices) + ")");
}

}  // namespace simsock::scenario::detail
