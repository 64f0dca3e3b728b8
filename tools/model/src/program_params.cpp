// Typed program parameters, read through the loader's Node so they fail as every other field does.
#include "simsock/scenario/program_params.h"

#include "json_reader.h"

namespace simsock::scenario {

JsonProgramParams::JsonProgramParams(const JsonValue& params, const std::string& path, const std::string& file)
    : params_(params), path_(path), file_(file) {}

void JsonProgramParams::fail(std::string_view name, const std::string& message) const {
    detail::Node object(params_, path_, file_);
    if (auto n = object.get(name)) n->fail(message);
    object.fail(message);
}

std::optional<ProgramParams::Value> JsonProgramParams::find(std::string_view name, Type type) const {
    asked_.emplace(name);
    detail::Node object(params_, path_, file_);
    auto n = object.get(name);
    if (!n) return std::nullopt;
    switch (type) {
    case Type::String: return Value{n->str()};
    case Type::Integer: return Value{n->integer(INT64_MIN, INT64_MAX)};
    case Type::Duration: return Value{n->duration()};
    case Type::Boolean: return Value{n->boolean()};
    }
    return std::nullopt;
}

ProgramParams::Value JsonProgramParams::require(std::string_view name, Type type) const {
    auto v = find(name, type);
    if (!v) detail::Node(params_, path_, file_).fail("missing required parameter \"" + std::string(name) + "\"");
    return *v;
}

std::string JsonProgramParams::firstUnread() const {
    for (const auto& [key, pos] : params_.keys)
        if (!asked_.count(key)) return key;
    return {};
}

}  // namespace simsock::scenario
