#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "simsock/sim/sim_loop.h"

namespace simsock::sim {
namespace {

TEST(SimLoopTest, EventsRunByTimeThenInsertionOrder) {
    SimLoop loop;
    std::string order;
    loop.startTimer(2000, [&] { order += 'c'; }, false);
    loop.startTimer(1000, [&] { order += 'a'; }, false);
    loop.startTimer(1000, [&] { order += 'b'; }, false);
    loop.post([&] { order += '0'; });
    loop.run();
    EXPECT_EQ(order, "0abc");
    EXPECT_EQ(loop.nowNs(), 2000);
}

TEST(SimLoopTest, PostRunsAfterEverythingQueuedForNow) {
    SimLoop loop;
    std::string order;
    loop.post([&] {
        order += 'a';
        loop.post([&] { order += 'c'; });
    });
    loop.post([&] { order += 'b'; });
    loop.run();
    EXPECT_EQ(order, "abc");
    EXPECT_EQ(loop.nowNs(), 0);
}

TEST(SimLoopTest, CancelledTimerNeverRuns) {
    SimLoop loop;
    int fired = 0;
    const TimerId id = loop.startTimer(10, [&] { ++fired; }, false);
    EXPECT_NE(id, kNoTimer);
    loop.cancelTimer(id);
    loop.cancelTimer(id);         // twice is harmless
    loop.cancelTimer(kNoTimer);   // so is the null id
    loop.cancelTimer(123456789);  // and an unknown one
    loop.run();
    EXPECT_EQ(fired, 0);
    EXPECT_FALSE(loop.hasLiveEvents());
}

TEST(SimLoopTest, StaleIdDoesNotCancelASlotReused) {
    SimLoop loop;
    int first = 0, second = 0;
    const TimerId a = loop.startTimer(10, [&] { ++first; }, false);
    loop.run();
    const TimerId b = loop.startTimer(10, [&] { ++second; }, false);
    EXPECT_NE(a, b);
    loop.cancelTimer(a);  // finished: must not hit b, which reuses the slot
    loop.run();
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 1);
}

TEST(SimLoopTest, RepeatingTimerFiresUntilCancelledFromItsOwnCallback) {
    SimLoop loop;
    std::vector<std::int64_t> times;
    TimerId id = kNoTimer;
    id = loop.startTimer(5, [&] {
        times.push_back(loop.nowNs());
        if (times.size() == 3) loop.cancelTimer(id);
    }, true);
    loop.run();
    EXPECT_EQ(times, (std::vector<std::int64_t>{5, 10, 15}));
}

TEST(SimLoopTest, RunUntilTimeoutAdvancesVirtualTimeToDeadline) {
    SimLoop loop;
    int fired = 0;
    loop.startTimer(5'000'000'000, [&] { ++fired; }, false);
    EXPECT_FALSE(loop.runUntil([&] { return fired > 0; }, 1000));
    EXPECT_EQ(loop.nowNs(), 1'000'000'000);
    EXPECT_TRUE(loop.runUntil([&] { return fired > 0; }, 10'000));
    EXPECT_EQ(loop.nowNs(), 5'000'000'000);
}

TEST(SimLoopTest, RunUntilEmptyQueueWithoutTimeoutReturnsAtOnce) {
    SimLoop loop;
    EXPECT_FALSE(loop.runUntil([] { return false; }, -1));
    EXPECT_EQ(loop.nowNs(), 0);
    EXPECT_FALSE(loop.runUntil([] { return false; }, 7));
    EXPECT_EQ(loop.nowNs(), 7'000'000);
}

TEST(SimLoopTest, RunUntilChecksPredicateAfterEveryEvent) {
    SimLoop loop;
    int n = 0;
    for (int i = 1; i <= 5; ++i) loop.startTimer(i * 100, [&] { ++n; }, false);
    EXPECT_TRUE(loop.runUntil([&] { return n == 2; }, -1));
    EXPECT_EQ(loop.nowNs(), 200);
    EXPECT_EQ(n, 2);
}

TEST(SimLoopTest, RunUntilIsReentrant) {
    SimLoop loop;
    std::string order;
    bool innerDone = false;
    loop.startTimer(100, [&] {
        order += "outer{";
        // A handler blocking on something (as waitForReadyRead would) runs the loop itself.
        const bool ok = loop.runUntil([&] { return innerDone; }, 1000);
        order += ok ? "ok}" : "timeout}";
    }, false);
    loop.startTimer(300, [&] {
        order += "inner";
        innerDone = true;
    }, false);
    loop.startTimer(500, [&] { order += "+after"; }, false);
    loop.run();
    EXPECT_EQ(order, "outer{innerok}+after");
    EXPECT_EQ(loop.nowNs(), 500);
}

TEST(SimLoopTest, NestedTimeoutLeavesLaterEventsForTheOuterLoop) {
    SimLoop loop;
    std::vector<std::int64_t> at;
    loop.startTimer(0, [&] {
        EXPECT_FALSE(loop.runUntil([] { return false; }, 2));
        at.push_back(loop.nowNs());
    }, false);
    loop.startTimer(5'000'000, [&] { at.push_back(loop.nowNs()); }, false);
    loop.run();
    EXPECT_EQ(at, (std::vector<std::int64_t>{2'000'000, 5'000'000}));
}

TEST(SimLoopTest, ProcessEventsRunsOnlyWhatIsDueNow) {
    SimLoop loop;
    int now = 0, later = 0, reposted = 0;
    loop.post([&] {
        ++now;
        loop.post([&] { ++reposted; });
    });
    loop.startTimer(1, [&] { ++later; }, false);
    loop.processEvents();
    EXPECT_EQ(now, 1);
    EXPECT_EQ(reposted, 0);  // queued during the call: next turn
    EXPECT_EQ(later, 0);
    EXPECT_EQ(loop.nowNs(), 0);
    loop.processEvents();
    EXPECT_EQ(reposted, 1);
}

TEST(SimLoopTest, QuitStopsInnermostRun) {
    SimLoop loop;
    int after = 0;
    loop.startTimer(10, [&] { loop.quit(); }, false);
    loop.startTimer(20, [&] { ++after; }, false);
    loop.run();
    EXPECT_EQ(loop.nowNs(), 10);
    EXPECT_EQ(after, 0);
    loop.run();
    EXPECT_EQ(after, 1);
}

TEST(SimLoopTest, AdvanceMovesClockEvenWithNothingQueued) {
    SimLoop loop;
    int fired = 0;
    loop.startTimer(3, [&] { ++fired; }, false);
    loop.advanceNs(10);
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(loop.nowNs(), 10);
    EXPECT_EQ(loop.eventsProcessed(), 1u);
}

TEST(SimLoopTest, SingleShotUsesMilliseconds) {
    SimLoop loop;
    std::int64_t at = -1;
    loop.singleShot(3, [&] { at = loop.nowNs(); });
    loop.run();
    EXPECT_EQ(at, 3'000'000);
}

TEST(SimLoopDeathTest, EventBoundAssertsInsteadOfHanging) {
    SimLoop loop;
    loop.setMaxEventsPerRun(1000);
    std::function<void()> spin = [&] { loop.post(spin); };
    loop.post(spin);
    EXPECT_DEATH(loop.run(), "event bound");
}

TEST(SimLoopTest, IdleVirtualHourIsFast) {
    SimLoop loop;
    int fired = 0;
    loop.startTimer(3'600'000'000'000, [&] { ++fired; }, false);
    const std::clock_t start = std::clock();  // processor time: the test is about cost, not the clock
    loop.run();
    const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(loop.nowNs(), 3'600'000'000'000);
    EXPECT_EQ(loop.eventsProcessed(), 1u);
    EXPECT_LT(seconds, 1.0);
}

}  // namespace
}  // namespace simsock::sim
