// `simsock explore`: random scenarios by seed, run on the sim, checked against the invariants; a failing
// seed is shrunk and saved as a scenario file that `simsock run` replays.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace simsock::cli {

struct ExploreCommand {
    CLI::App* command = nullptr;
    std::function<int()> run;  ///< the exit code: 0 all passed, 1 a seed failed, 2 bad arguments
};

/// Adds the subcommand and its options to app; run() is valid once app has parsed the command line.
ExploreCommand addExploreCommand(CLI::App& app);

}  // namespace simsock::cli
