// ProgramParams over a scenario's `params` object: the loader checks a program's parameters with it
// (every failure a ScenarioError at the value's file:line:col and JSON path), and the runner gives the
// same object to the program it constructs for each run.
#pragma once

#include <set>
#include <string>

#include "simsock/program.h"
#include "simsock/scenario/json_tree.h"

namespace simsock::scenario {

class JsonProgramParams final : public ProgramParams {
public:
    /// params is an object; path names it (`$.programs[0].params`) and file is the scenario's, for errors.
    /// Both must outlive this.
    JsonProgramParams(const JsonValue& params, const std::string& path, const std::string& file);
    [[noreturn]] void fail(std::string_view name, const std::string& message) const override;
    /// The first key of the object no getter asked for, or "" (the loader reports it as unknown).
    std::string firstUnread() const;
    /// Every key a getter asked for, present or not, sorted.
    const std::set<std::string, std::less<>>& asked() const { return asked_; }

protected:
    std::optional<Value> find(std::string_view name, Type type) const override;
    Value require(std::string_view name, Type type) const override;

private:
    const JsonValue& params_;
    const std::string& path_;
    const std::string& file_;
    mutable std::set<std::string, std::less<>> asked_;
};

}  // namespace simsock::scenario
