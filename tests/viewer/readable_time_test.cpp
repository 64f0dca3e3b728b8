#include <gtest/gtest.h>

#include <limits>

#include "simsock/scenario/readable_time.h"

namespace simsock::scenario {
namespace {

TEST(ReadableTimeTest, WholeUnits) {
    EXPECT_EQ(readableDuration(0), "0 s");
    EXPECT_EQ(readableDuration(1), "1 ns");
    EXPECT_EQ(readableDuration(999), "999 ns");
    EXPECT_EQ(readableDuration(1'000), "1 us");
    EXPECT_EQ(readableDuration(100'000), "100 us");
    EXPECT_EQ(readableDuration(2'000'000), "2 ms");
    EXPECT_EQ(readableDuration(30'000'000'000), "30 s");
}

TEST(ReadableTimeTest, FractionsAreExactWithoutTrailingZeros) {
    EXPECT_EQ(readableDuration(1'500'000'000), "1.5 s");
    EXPECT_EQ(readableDuration(20'050'000), "20.05 ms");
    EXPECT_EQ(readableDuration(1'234'567), "1.234567 ms");
    EXPECT_EQ(readableDuration(1'001), "1.001 us");
    EXPECT_EQ(readableDuration(1'000'000'001), "1.000000001 s");
    EXPECT_EQ(readableDuration(220'050'000), "220.05 ms");
}

TEST(ReadableTimeTest, Negative) {
    EXPECT_EQ(readableDuration(-2'000'000), "-2 ms");
    EXPECT_EQ(readableDuration(-5), "-5 ns");
    EXPECT_EQ(readableDuration(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775808 s");
}

}  // namespace
}  // namespace simsock::scenario
