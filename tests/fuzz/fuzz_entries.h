// The fuzz targets' entry points, one per target, shared by the libFuzzer executables (clang,
// SIMSOCK_FUZZ=ON) and the regression test that replays tests/fuzz/regressions/ in every build.
// Each returns normally on any input the code under test handles as documented; anything else (a
// sanitizer report, an assertion, an uncaught exception, a broken oracle) ends the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace simsock::fuzz {

/// The JSON reader (json_tree.cpp): accepted documents have consistent positions and ranges; rejected
/// ones point inside the text.
void jsonTree(const std::uint8_t* data, std::size_t size);

/// The scenario loader (loadScenarioText): a rejected file gets one `file:line:column: path: message`
/// diagnostic inside the text; an accepted one survives writeScenario and loads back to the same file.
void scenarioLoader(const std::uint8_t* data, std::size_t size);

/// The loader, then a bounded sim run executed twice: the two executions must be identical.
void scenarioRun(const std::uint8_t* data, std::size_t size);

/// The SOCKS5 reply parsers (method answer, auth answer, CONNECT reply): whole and split feeds agree,
/// nothing past the input or past a reply's bound is consumed.
void socks5Reply(const std::uint8_t* data, std::size_t size);

/// The HTTP CONNECT reply head parser: whole and split feeds agree, at most 64 KiB is consumed.
void httpReply(const std::uint8_t* data, std::size_t size);

/// Ends the process with what broke when ok is false: a finding, whichever runner replays the input.
void require(bool ok, std::string_view what);

/// An entry point by the name of its regressions/ folder ("json", "loader", "run", "socks5", "http"), or null.
using Entry = void (*)(const std::uint8_t*, std::size_t);
Entry entryNamed(std::string_view name);

}  // namespace simsock::fuzz
