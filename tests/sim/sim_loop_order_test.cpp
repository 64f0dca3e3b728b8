// SimLoop's queue against a reference: whatever heap holds the events, they run in (time, insertion
// order), cancelled ones never run, and the bounds (queue size, events per run, stop check) hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "simsock/sim/sim_loop.h"

namespace simsock::sim {
namespace {

// xorshift64: a fixed pseudo-random sequence without std:: distributions.
struct OrderTestRng {
    std::uint64_t state = 0x2545f4914f6cdd1dull;
    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

TEST(SimLoopOrderTest, PostsAndTimersDueNowKeepInsertionOrder) {
    SimLoop loop;
    std::string order;
    loop.post([&] { order += 'a'; });
    loop.startTimer(0, [&] { order += 'b'; }, false);
    loop.scheduleAt(0, [&] { order += 'c'; });
    loop.post([&] { order += 'd'; });
    loop.scheduleAt(-5, [&] { order += 'e'; });  // the past is clamped to now, and queued last
    loop.run();
    EXPECT_EQ(order, "abcde");
    EXPECT_EQ(loop.nowNs(), 0);
}

TEST(SimLoopOrderTest, CancellingATimerLeavesPostsAroundItInOrder) {
    SimLoop loop;
    std::string order;
    loop.post([&] { order += 'a'; });
    const TimerId t = loop.scheduleAt(0, [&] { order += 'x'; });
    loop.post([&] { order += 'b'; });
    loop.cancelTimer(t);
    EXPECT_EQ(loop.pendingEvents(), 3u);  // the cancelled entry waits until it surfaces
    EXPECT_TRUE(loop.hasLiveEvents());
    loop.run();
    EXPECT_EQ(order, "ab");
    EXPECT_EQ(loop.pendingEvents(), 0u);
    EXPECT_FALSE(loop.hasLiveEvents());
}

TEST(SimLoopOrderTest, CancelFromAPostedCallbackStopsALaterTimer) {
    SimLoop loop;
    std::string order;
    TimerId t = kNoTimer;
    loop.post([&] {
        order += 'a';
        loop.cancelTimer(t);
    });
    t = loop.startTimer(10, [&] { order += 'x'; }, false);
    loop.startTimer(10, [&] { order += 'b'; }, false);
    loop.run();
    EXPECT_EQ(order, "ab");
    EXPECT_EQ(loop.nowNs(), 10);
}

TEST(SimLoopOrderTest, CallbackPostingAtItsOwnTimeRunsAfterEverythingAlreadyDue) {
    SimLoop loop;
    std::string order;
    loop.startTimer(5, [&] {
        order += 'a';
        loop.post([&] { order += 'c'; });
        loop.scheduleAt(5, [&] { order += 'd'; });
    }, false);
    loop.startTimer(5, [&] { order += 'b'; }, false);
    loop.startTimer(6, [&] { order += 'e'; }, false);
    loop.run();
    EXPECT_EQ(order, "abcde");
}

TEST(SimLoopOrderTest, NextEventSkipsCancelledFront) {
    SimLoop loop;
    const TimerId first = loop.startTimer(5, [] {}, false);
    loop.startTimer(9, [] {}, false);
    loop.cancelTimer(first);
    EXPECT_EQ(loop.nextEventNs(), 9);
    EXPECT_EQ(loop.pendingEvents(), 1u);
}

// Thousands of events at few distinct times (many ties), a third of them cancelled, some queued from
// callbacks: the run order equals a stable sort of the live ones by time.
TEST(SimLoopOrderTest, ManyEventsRunInStableTimeOrder) {
    SimLoop loop;
    OrderTestRng rng;
    struct Queued {
        std::int64_t timeNs;
        int label;
    };
    std::vector<Queued> expected;
    std::vector<int> ran;
    std::vector<TimerId> ids;
    int nextLabel = 0;
    auto queue = [&](std::int64_t atNs) {
        const int label = nextLabel++;
        ids.push_back(loop.scheduleAt(atNs, [&ran, label] { ran.push_back(label); }));
        expected.push_back(Queued{atNs, label});
    };
    for (int i = 0; i < 6000; ++i) queue(static_cast<std::int64_t>(rng.next() % 64));
    std::vector<int> cancelled;
    for (int label = 0; label < 6000; label += 3) {
        loop.cancelTimer(ids[static_cast<std::size_t>(label)]);
        cancelled.push_back(label);
    }
    // One event queues more while the loop runs; they are due later, so they join the reference.
    loop.scheduleAt(20, [&] {
        for (int i = 0; i < 500; ++i) queue(20 + static_cast<std::int64_t>(rng.next() % 40));
    });
    loop.run();
    std::vector<Queued> live;
    for (const Queued& q : expected)
        if (!std::binary_search(cancelled.begin(), cancelled.end(), q.label)) live.push_back(q);
    std::stable_sort(live.begin(), live.end(),
                     [](const Queued& a, const Queued& b) { return a.timeNs < b.timeNs; });
    std::vector<int> want;
    for (const Queued& q : live) want.push_back(q.label);
    EXPECT_EQ(ran, want);
    EXPECT_EQ(ran.size(), 4500u);
    EXPECT_EQ(loop.pendingEvents(), 0u);
    EXPECT_FALSE(loop.hasLiveEvents());
}

TEST(SimLoopOrderTest, RepeatingTimerInterleavesWithPostsByInsertionOrder) {
    SimLoop loop;
    std::string order;
    int ticks = 0;
    TimerId id = kNoTimer;
    id = loop.startTimer(10, [&] {
        order += 'T';
        // A repeating timer is re-queued after its callback, behind what was queued for that time.
        if (++ticks == 3) loop.cancelTimer(id);
    }, true);
    loop.scheduleAt(20, [&] { order += 'a'; });  // queued before the tick at 20 was re-queued
    loop.run();
    EXPECT_EQ(order, "TaTT");
    EXPECT_EQ(loop.nowNs(), 30);
}

TEST(SimLoopOrderTest, StopCheckHaltsEveryEntryPoint) {
    SimLoop loop;
    int fired = 0;
    for (int i = 0; i < 10; ++i) loop.startTimer(i, [&] { ++fired; }, false);
    int asked = 0;
    loop.setStopCheck(4, [&] { return ++asked == 2; });
    loop.run();
    EXPECT_EQ(fired, 8);
    EXPECT_EQ(asked, 2);
    EXPECT_TRUE(loop.stopped());
    loop.processEvents();
    loop.advanceNs(100);
    EXPECT_FALSE(loop.runUntil([] { return false; }, 1000));
    EXPECT_EQ(fired, 8);
    EXPECT_EQ(loop.nowNs(), 7);
}

TEST(SimLoopOrderDeathTest, QueueBoundAsserts) {
    SimLoop loop;
    loop.setMaxQueued(3);
    loop.post([] {});
    loop.post([] {});
    loop.post([] {});
    EXPECT_DEATH(loop.post([] {}), "queue bound");
}

}  // namespace
}  // namespace simsock::sim
