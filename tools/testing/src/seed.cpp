#include "simsock/testing/seed.h"

#include <charconv>
#include <cstdlib>

namespace simsock::testing {

std::optional<std::uint64_t> parseSeed(std::string_view text) {
    std::uint64_t value = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::uint64_t chooseSeed(std::uint64_t fallback) {
    const char* text = std::getenv(kSeedVariable);
    if (text == nullptr) return fallback;
    if (auto seed = parseSeed(text)) return *seed;
    ADD_FAILURE() << kSeedVariable << "=\"" << text << "\" is not a seed (decimal digits, at most 2^64-1); using "
                  << fallback;
    return fallback;
}

std::string SeedReport::describe(std::uint64_t seed) {
    const std::string n = std::to_string(seed);
    return "simsock seed " + n + " (rerun: " + kSeedVariable + "=" + n + ")";
}

CodeLocation CodeLocation::ofCurrentTest() {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (test == nullptr) return {"(no test)", 0};
    return {test->file(), test->line()};
}

SeedReport::SeedReport(std::uint64_t seed, CodeLocation where)
    : seed_(seed), trace_(where.file, where.line, describe(seed)) {
    // Reports list it beside the test; outside a running test gtest files it under the suite or program.
    ::testing::Test::RecordProperty("simsock_seed", std::to_string(seed));
}

}  // namespace simsock::testing
