// The ledger of a running shard: positions in order, the finished prefix, failures inside it, stop, resume.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "simsock/scenario/seed_ledger.h"

namespace simsock::testing {
namespace {

namespace ex = scenario::explore;

const ex::Progression kTen{3, 4, 10};  // seeds 3 7 11 ... 39

TEST(SeedLedger, ThePrefixEndsAtTheOldestPositionInFlight) {
    ex::SeedLedger ledger(kTen, 0, {}, 2);
    EXPECT_EQ(ledger.take(0), 0u);
    EXPECT_EQ(ledger.take(1), 1u);
    ledger.finish(1, std::nullopt);  // position 1 done before 0
    EXPECT_EQ(ledger.snapshot().done, 0u);
    EXPECT_EQ(ledger.snapshot().finished, 1u);
    EXPECT_EQ(ledger.take(1), 2u);
    ledger.finish(0, std::nullopt);
    EXPECT_EQ(ledger.snapshot().done, 2u);
    ledger.finish(1, std::nullopt);
    EXPECT_EQ(ledger.snapshot().done, 3u);
}

TEST(SeedLedger, FailuresBeyondThePrefixWaitForIt) {
    ex::SeedLedger ledger(kTen, 0, {}, 2);
    ledger.take(0);                    // position 0, seed 3
    ledger.take(1);                    // position 1, seed 7
    ledger.finish(1, "grammar: x");
    auto s = ledger.snapshot();
    EXPECT_EQ(s.done, 0u);
    EXPECT_EQ(s.failed, 1u);
    EXPECT_TRUE(s.failures.empty());
    ledger.finish(0, std::nullopt);
    s = ledger.snapshot();
    EXPECT_EQ(s.done, 2u);
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_EQ(s.failures[0].seed, 7u);
    EXPECT_EQ(s.failures[0].message, "grammar: x");
    EXPECT_EQ(s.failures[0].scenario, "");
}

TEST(SeedLedger, StopHandsOutNothingMoreAndKeepsWhatFinished) {
    ex::SeedLedger ledger(kTen, 0, {}, 1);
    ledger.take(0);
    ledger.stop();
    ledger.finish(0, std::nullopt);
    EXPECT_EQ(ledger.take(0), std::nullopt);
    EXPECT_EQ(ledger.snapshot().done, 1u);
}

TEST(SeedLedger, ResumeStartsAfterTheDonePrefixWithItsFailures) {
    ex::SeedLedger ledger(kTen, 8, {{11, "earlier", "f.json"}}, 1);
    EXPECT_EQ(ledger.snapshot().done, 8u);
    EXPECT_EQ(ledger.snapshot().finished, 8u);
    EXPECT_EQ(ledger.take(0), 8u);
    ledger.finish(0, "late");
    EXPECT_EQ(ledger.take(0), 9u);
    ledger.finish(0, std::nullopt);
    EXPECT_EQ(ledger.take(0), std::nullopt);
    auto s = ledger.snapshot();
    EXPECT_EQ(s.done, 10u);
    ASSERT_EQ(s.failures.size(), 2u);
    EXPECT_EQ(s.failures[0].seed, 11u);
    EXPECT_EQ(s.failures[0].scenario, "f.json");
    EXPECT_EQ(s.failures[1].seed, 35u);
    EXPECT_EQ(s.failures[1].message, "late");
}

TEST(SeedLedger, AResumeOfACompleteShardHasNothingToDo) {
    ex::SeedLedger ledger(kTen, 10, {}, 3);
    EXPECT_EQ(ledger.take(2), std::nullopt);
    EXPECT_EQ(ledger.snapshot().done, 10u);
}

TEST(SeedLedger, ThreadsFinishEveryPositionOnce) {
    const ex::Progression p{1, 1, 20000};
    ex::SeedLedger ledger(p, 0, {}, 4);
    std::vector<std::atomic<int>> seen(p.length);
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < 4; ++w)
        threads.emplace_back([&, w] {
            while (auto pos = ledger.take(w)) {
                seen[*pos].fetch_add(1);
                ledger.finish(w, *pos % 1000 == 999 ? std::optional<std::string>("f") : std::nullopt);
            }
        });
    for (auto& t : threads) t.join();
    for (auto& s : seen) ASSERT_EQ(s.load(), 1);
    auto s = ledger.snapshot();
    EXPECT_EQ(s.done, 20000u);
    EXPECT_EQ(s.finished, 20000u);
    ASSERT_EQ(s.failures.size(), 20u);
    EXPECT_EQ(s.failures.front().seed, 1000u);
    EXPECT_EQ(s.failures.back().seed, 20000u);
}

}  // namespace
}  // namespace simsock::testing
