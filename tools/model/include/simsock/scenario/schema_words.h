// The word lists of scenarios/schema.json (enums and the alternations inside two patterns) and the tables
// they come from: fault kinds, trigger events and DNS failures (sim), calls (calls.h), signals, states,
// errors, options and proxy types (core), engines (the registry). `simsock schema FILE` checks a schema
// against the tables, and with --update rewrites its lists from them, leaving every other byte alone.
#pragma once

#include <string>
#include <vector>

namespace simsock::scenario {

/// One difference: "<JSON path>: schema has [a, b], the tables have [a, c]".
struct SchemaDifference {
    std::string path;
    std::string message;
};

/// Compares every word list of schemaText with its table. Throws ScenarioError (file) when the text is not
/// JSON or a list is missing or malformed.
std::vector<SchemaDifference> schemaDifferences(const std::string& file, const std::string& schemaText);

/// schemaText with every word list replaced by its table's words (the rest byte for byte as it was).
std::string schemaWithTableWords(const std::string& file, const std::string& schemaText);

}  // namespace simsock::scenario
