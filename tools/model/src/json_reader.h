// Typed, path-aware access to a JsonValue for the loader: every accessor either returns a checked value
// or throws a ScenarioError pointing at the offending value or key. Nothing here invents defaults.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/json_tree.h"

namespace simsock::scenario::detail {

class Node {
public:
    Node(const JsonValue& value, std::string path, const std::string& file)
        : v_(&value), path_(std::move(path)), file_(&file) {}

    const JsonValue& value() const { return *v_; }
    const std::string& path() const { return path_; }
    SourcePos pos() const { return v_->begin; }

    /// Throws "path: message" at this value.
    [[noreturn]] void fail(const std::string& message) const;
    /// Throws at the position of key (used for unknown or misplaced keys).
    [[noreturn]] void failAtKey(std::string_view key, const std::string& message) const;

    /// Requires an object whose keys are all in allowed.
    void expectObject(std::span<const std::string_view> allowed) const;
    void expectObject(std::initializer_list<std::string_view> allowed) const {
        expectObject(std::span<const std::string_view>(allowed.begin(), allowed.size()));
    }
    /// Requires an object (any keys).
    void expectObject() const;
    /// The member key (required).
    Node at(std::string_view key) const;
    /// The member key, or nullopt.
    std::optional<Node> get(std::string_view key) const;
    bool has(std::string_view key) const { return v_->isObject() && v_->find(key) != nullptr; }
    /// The elements of an array (throws unless an array).
    std::vector<Node> elements() const;
    /// Object members in source order.
    std::vector<std::pair<std::string, Node>> members() const;

    std::string str() const;
    /// A non-empty string.
    std::string name() const;
    bool boolean() const;
    std::int64_t integer(std::int64_t min, std::int64_t max) const;
    double number(double min, double max) const;
    /// A duration (see duration.h).
    std::int64_t duration() const;
    std::uint16_t port() const { return static_cast<std::uint16_t>(integer(0, 65535)); }
    /// A string that must be one of choices.
    std::string oneOf(std::span<const std::string_view> choices) const;
    std::string oneOf(std::initializer_list<std::string_view> choices) const {
        return oneOf(std::span<const std::string_view>(choices.begin(), choices.size()));
    }

private:
    const JsonValue* v_;
    std::string path_;
    const std::string* file_;
};

/// path + "." + key, or path + "[\"key\"]" when key is not an identifier.
std::string childPath(const std::string& path, std::string_view key);

}  // namespace simsock::scenario::detail
