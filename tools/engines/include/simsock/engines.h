// The engines built into this simsock: the simsock_engine() lines of the top-level CMakeLists.txt,
// registered in BackendRegistry. Every list of engine names (the CLI's --engine choices, the loader's
// `engines` check, the runner's kEveryEngine, the contract suite) comes from the registry after registerEngines().
#pragma once

#include <string>
#include <vector>

namespace simsock {

/// The default engine, and the one every other engine is compared against: the deterministic simulator
/// (the simsock_engine() line marked DEFAULT).
extern const char* const kDefaultEngine;
/// The --engine value that runs kDefaultEngine and every other engine a file lists, comparing their traces
/// (SIMSOCK_EVERY_ENGINE in tools/CMakeLists.txt).
extern const char* const kEveryEngine;

/// Registers every built-in engine in BackendRegistry::instance(); later calls do nothing.
void registerEngines();

/// registerEngines(), then the registry's names (sorted).
std::vector<std::string> engineNames();

}  // namespace simsock
