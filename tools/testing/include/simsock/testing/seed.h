// The seed of a simulated test: fixed in the test, overridable from outside, and named on every failure.
//
//   SIMSOCK_SEED=1234 ./my_tests --gtest_filter=Checkout.*    reruns with seed 1234
//
// A SimNet (sim_net.h) and the sim flavour of an Env (env.h) choose their seed with chooseSeed() and keep a
// SeedReport while they live, so a failing assertion reads "simsock seed 1234 (rerun: SIMSOCK_SEED=1234)".
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace simsock::testing {

/// The seed a test uses when it names none.
inline constexpr std::uint64_t kDefaultSeed = 1;
/// The environment variable that overrides every simulated test's seed.
inline constexpr const char* kSeedVariable = "SIMSOCK_SEED";

/// text as a seed: decimal digits only (no sign, no spaces), within 64 bits; nullopt otherwise.
std::optional<std::uint64_t> parseSeed(std::string_view text);

/// The seed to run with: SIMSOCK_SEED when it is set, else fallback. A SIMSOCK_SEED that is not a seed is a
/// test failure (naming the text), and fallback is used.
std::uint64_t chooseSeed(std::uint64_t fallback);

/// A place in a test's source that failures point at. file has static storage (__FILE__, a
/// __builtin_FILE(), a registered test's file), as GoogleTest's traces keep the pointer.
///
/// Default arguments of __builtin_FILE()/__builtin_LINE() name the caller's place, as std::source_location
/// would; they are used instead because clang before 15 cannot compile libstdc++'s <source_location>.
struct CodeLocation {
    const char* file;
    int line;
    /// Where the running test is defined (its TEST, TEST_F or TYPED_TEST line): what a fixture that owns a
    /// network points its failures at, rather than at itself. Outside a test: "(no test)", line 0.
    static CodeLocation ofCurrentTest();
};

/// While it lives, every failure on this thread carries "simsock seed N (rerun: SIMSOCK_SEED=N)"; it also
/// records the seed as the current test's property "simsock_seed" (in --gtest_output=xml/json reports).
/// Scoped: destroy in reverse order of construction, like SCOPED_TRACE.
class SeedReport {
public:
    /// Reports seed; failures show where (by default: where the report, or the SimNet owning it, was made).
    explicit SeedReport(std::uint64_t seed, const char* file = __builtin_FILE(), int line = __builtin_LINE())
        : SeedReport(seed, CodeLocation{file, line}) {}
    /// Reports seed; failures show where.
    SeedReport(std::uint64_t seed, CodeLocation where);
    SeedReport(const SeedReport&) = delete;
    SeedReport& operator=(const SeedReport&) = delete;
    /// The seed reported.
    std::uint64_t seed() const { return seed_; }
    /// The text added to failures.
    static std::string describe(std::uint64_t seed);

private:
    std::uint64_t seed_;
    ::testing::ScopedTrace trace_;
};

}  // namespace simsock::testing
