// The seed: SIMSOCK_SEED overrides it, a bad one is a failure, and every failure while a SimNet lives names
// it and how to rerun with it.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

/// Sets SIMSOCK_SEED (or unsets it, for nullopt) for one test and restores what was there.
class SeedVariable {
public:
    explicit SeedVariable(const std::optional<std::string>& value) {
        if (const char* old = std::getenv(kSeedVariable)) saved_ = old;
        if (value) {
            ::setenv(kSeedVariable, value->c_str(), 1);
        } else {
            ::unsetenv(kSeedVariable);
        }
    }
    ~SeedVariable() {
        if (saved_) {
            ::setenv(kSeedVariable, saved_->c_str(), 1);
        } else {
            ::unsetenv(kSeedVariable);
        }
    }

private:
    std::optional<std::string> saved_;
};

std::string recordedProperty(const std::string& key) {
    const ::testing::TestResult* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
    for (int i = 0; i < result->test_property_count(); ++i)
        if (result->GetTestProperty(i).key() == key) return result->GetTestProperty(i).value();
    return "(none)";
}

TEST(Seed, ParsesDecimalSeedsOnly) {
    EXPECT_EQ(parseSeed("0"), 0u);
    EXPECT_EQ(parseSeed("42"), 42u);
    EXPECT_EQ(parseSeed("18446744073709551615"), 18446744073709551615u);
    EXPECT_EQ(parseSeed("18446744073709551616"), std::nullopt);
    EXPECT_EQ(parseSeed(""), std::nullopt);
    EXPECT_EQ(parseSeed("-1"), std::nullopt);
    EXPECT_EQ(parseSeed("+1"), std::nullopt);
    EXPECT_EQ(parseSeed(" 1"), std::nullopt);
    EXPECT_EQ(parseSeed("1 "), std::nullopt);
    EXPECT_EQ(parseSeed("0x10"), std::nullopt);
    EXPECT_EQ(parseSeed("seed"), std::nullopt);
}

TEST(Seed, TheTestsSeedUnlessTheEnvironmentSaysOtherwise) {
    {
        SeedVariable unset(std::nullopt);
        EXPECT_EQ(chooseSeed(9), 9u);
        SimNet net(9);
        EXPECT_EQ(net.seed(), 9u);
        EXPECT_EQ(net.network().seed(), 9u);
    }
    SeedVariable set("1234");
    EXPECT_EQ(chooseSeed(9), 1234u);
    SimNet net(9);
    EXPECT_EQ(net.seed(), 1234u);
    EXPECT_EQ(net.network().seed(), 1234u);
    SimNet byDefault;
    EXPECT_EQ(byDefault.seed(), 1234u);
}

TEST(Seed, ABadSeedVariableIsAFailureNamingIt) {
    SeedVariable set("12ab");
    std::uint64_t chosen = 0;
    EXPECT_NONFATAL_FAILURE(chosen = chooseSeed(5), "SIMSOCK_SEED=\"12ab\" is not a seed");
    EXPECT_EQ(chosen, 5u);
}

TEST(Seed, EveryFailureWhileANetworkLivesNamesTheSeed) {
    SeedVariable unset(std::nullopt);
    EXPECT_NONFATAL_FAILURE(
        {
            SimNet net(77);
            ADD_FAILURE() << "a failing assertion";
        },
        "simsock seed 77 (rerun: SIMSOCK_SEED=77)");
    // Once the network is gone, failures no longer carry its seed.
    EXPECT_EQ(SeedReport::describe(77), "simsock seed 77 (rerun: SIMSOCK_SEED=77)");
}

// Fails once while a SimNet made on line kNetworkLine lives.
constexpr int kNetworkLine = __LINE__ + 3;
void failWhileANetworkLives() {
    SeedVariable unset(std::nullopt);
    SimNet net(5);
    ADD_FAILURE() << "a failing assertion";
}

TEST(Seed, FailuresPointAtWhereTheNetworkWasMade) {
    EXPECT_NONFATAL_FAILURE(failWhileANetworkLives(),
                            "seed_test.cpp:" + std::to_string(kNetworkLine) + ": simsock seed 5");
}

TEST(Seed, IsRecordedAsATestProperty) {
    SeedVariable unset(std::nullopt);
    SimNet net(31);
    EXPECT_EQ(recordedProperty("simsock_seed"), "31");
}

class SeededFixture : public SimTest {};

TEST_F(SeededFixture, SimTestOwnsANetworkWithTheDefaultSeed) {
    // SIMSOCK_SEED may be set by whoever runs this suite; the fixture takes it when it is.
    const char* variable = std::getenv(kSeedVariable);
    EXPECT_EQ(net.seed(), variable ? *parseSeed(variable) : kDefaultSeed);
    EXPECT_EQ(recordedProperty("simsock_seed"), std::to_string(net.seed()));
}

// A fixture's network points its failures at the test's own line, not into the kit's headers.
constexpr int kFixtureTestLine = __LINE__ + 1;
TEST_F(SeededFixture, FailuresPointAtTheTest) {
    EXPECT_NONFATAL_FAILURE(ADD_FAILURE() << "a failing assertion",
                            "seed_test.cpp:" + std::to_string(kFixtureTestLine) + ": simsock seed");
}

template <class E>
class SeededEngineTest : public EngineTest<E> {};
TYPED_TEST_SUITE(SeededEngineTest, ::testing::Types<SimEnv>);

constexpr int kTypedTestLine = __LINE__ + 1;
TYPED_TEST(SeededEngineTest, FailuresPointAtTheTest) {
    EXPECT_NONFATAL_FAILURE(ADD_FAILURE() << "a failing assertion",
                            "seed_test.cpp:" + std::to_string(kTypedTestLine) + ": simsock seed");
}

TEST(Seed, TheCurrentTestsLocationIsItsDefinition) {
    const CodeLocation test = CodeLocation::ofCurrentTest();
    EXPECT_THAT(std::string(test.file), ::testing::EndsWith("seed_test.cpp"));
    EXPECT_EQ(test.line, __LINE__ - 3);
}

}  // namespace
}  // namespace simsock::testing
