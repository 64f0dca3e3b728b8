// The simsock command as a function, so that a runner built with your programs linked in
// (simsock_add_scenarios) is the same command: `my_runner run scenarios/`.
#pragma once

namespace simsock::cli {

/// Parses argv as the `simsock` command does and runs the subcommand; returns the process exit code
/// (0 success, 1 a scenario failed, 2 bad input).
int runCli(int argc, char** argv);

}  // namespace simsock::cli
