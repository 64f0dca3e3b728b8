// EpollLoop: posts, timers, runUntil, quit, cross-thread posts and descriptor dispatch.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "simsock/epoll/epoll_loop.h"

namespace simsock::epoll {
namespace {

constexpr std::int64_t kMs = 1'000'000;

TEST(EpollLoop, PostsRunInOrderFromTheLoopNeverInsidePost) {
    EpollLoop loop;
    std::vector<int> order;
    for (int i = 1; i <= 3; ++i) loop.post([&order, i] { order.push_back(i); });
    EXPECT_TRUE(order.empty());
    loop.processEvents();
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EpollLoop, APostFromAPostRunsOnTheNextPass) {
    EpollLoop loop;
    std::vector<int> order;
    loop.post([&] {
        order.push_back(1);
        loop.post([&] { order.push_back(2); });
    });
    loop.processEvents();
    EXPECT_EQ(order, (std::vector<int>{1}));
    loop.processEvents();
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(EpollLoop, ZeroDelayTimersAndPostsRunInCreationOrder) {
    EpollLoop loop;
    std::vector<char> order;
    loop.startTimer(0, [&] { order.push_back('A'); }, false);
    loop.post([&] { order.push_back('B'); });
    loop.startTimer(0, [&] { order.push_back('C'); }, false);
    loop.post([&] { order.push_back('D'); });
    EXPECT_TRUE(order.empty());  // never inside startTimer/post
    loop.processEvents();
    EXPECT_EQ(order, (std::vector<char>{'A', 'B', 'C', 'D'}));
}

TEST(EpollLoop, TimersFireInDeadlineOrder) {
    EpollLoop loop;
    std::vector<int> order;
    // Read before scheduling: deadlines count from the scheduling call, and a loaded machine may pause
    // between the calls.
    const std::int64_t start = loop.nowNs();
    loop.singleShot(30, [&] { order.push_back(30); });
    loop.singleShot(10, [&] { order.push_back(10); });
    loop.singleShot(20, [&] { order.push_back(20); });
    EXPECT_TRUE(loop.runUntil([&] { return order.size() == 3; }, 5000));
    EXPECT_EQ(order, (std::vector<int>{10, 20, 30}));
    EXPECT_GE(loop.nowNs() - start, 30 * kMs);
}

TEST(EpollLoop, TimerIdsAreDistinctAndNonZero) {
    EpollLoop loop;
    const TimerId a = loop.startTimer(kMs, [] {}, false);
    const TimerId b = loop.startTimer(kMs, [] {}, false);
    EXPECT_NE(a, kNoTimer);
    EXPECT_NE(b, kNoTimer);
    EXPECT_NE(a, b);
}

TEST(EpollLoop, CancelledTimerNeverRuns) {
    EpollLoop loop;
    int fired = 0;
    int witness = 0;
    const TimerId id = loop.singleShot(5, [&] { ++fired; });
    loop.singleShot(40, [&] { ++witness; });
    loop.cancelTimer(id);
    loop.cancelTimer(id);         // twice: ignored
    loop.cancelTimer(kNoTimer);   // unknown: ignored
    loop.cancelTimer(123456789);  // unknown: ignored
    EXPECT_TRUE(loop.runUntil([&] { return witness == 1; }, 5000));
    EXPECT_EQ(fired, 0);
}

TEST(EpollLoop, RepeatingTimerRunsUntilItCancelsItself) {
    EpollLoop loop;
    int fired = 0;
    TimerId id = kNoTimer;
    id = loop.startTimer(2 * kMs, [&] {
        if (++fired == 3) loop.cancelTimer(id);
    }, true);
    EXPECT_TRUE(loop.runUntil([&] { return fired == 3; }, 5000));
    EXPECT_FALSE(loop.runUntil([] { return false; }, 30));
    EXPECT_EQ(fired, 3);
}

TEST(EpollLoop, ZeroIntervalRepeatingTimerRunsOncePerPass) {
    EpollLoop loop;
    int fired = 0;
    const TimerId id = loop.startTimer(0, [&] { ++fired; }, true);
    loop.processEvents();
    EXPECT_EQ(fired, 1);
    loop.processEvents();
    EXPECT_EQ(fired, 2);
    loop.cancelTimer(id);
    loop.processEvents();
    EXPECT_EQ(fired, 2);
}

TEST(EpollLoop, RunUntilTimesOutOnTheRealClock) {
    EpollLoop loop;
    int evaluations = 0;
    const std::int64_t start = loop.nowNs();
    EXPECT_FALSE(loop.runUntil([&] { return ++evaluations < 0; }, 50));
    const std::int64_t elapsed = loop.nowNs() - start;
    EXPECT_GE(elapsed, 50 * kMs);
    EXPECT_LT(elapsed, 2000 * kMs);
    EXPECT_GE(evaluations, 2);
    EXPECT_LT(evaluations, 1000);  // it waits, it does not spin
}

TEST(EpollLoop, RunUntilZeroTimeoutIsOneNonBlockingPass) {
    EpollLoop loop;
    bool ran = false;
    loop.post([&] { ran = true; });
    EXPECT_TRUE(loop.runUntil([&] { return ran; }, 0));
    EXPECT_FALSE(loop.runUntil([] { return false; }, 0));
}

TEST(EpollLoop, RunUntilStopsRightAfterTheEventThatSatisfiesIt) {
    EpollLoop loop;
    std::vector<int> order;
    for (int i = 1; i <= 3; ++i) loop.post([&order, i] { order.push_back(i); });
    EXPECT_TRUE(loop.runUntil([&] { return order.size() == 1; }, 1000));
    EXPECT_EQ(order, (std::vector<int>{1}));
    loop.processEvents();
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EpollLoop, AHandlerMayWaitInANestedRunUntil) {
    EpollLoop loop;
    std::vector<std::string> order;
    loop.post([&] {
        order.push_back("outer-begin");
        bool timerFired = false;
        loop.singleShot(5, [&] { timerFired = true; order.push_back("timer"); });
        EXPECT_TRUE(loop.runUntil([&] { return timerFired; }, 5000));
        order.push_back("outer-end");
    });
    loop.post([&] { order.push_back("second"); });
    EXPECT_TRUE(loop.runUntil([&] { return order.size() == 4; }, 5000));
    // The nested wait keeps the queue's order: the second post runs inside it, before the timer.
    EXPECT_EQ(order, (std::vector<std::string>{"outer-begin", "second", "timer", "outer-end"}));
}

TEST(EpollLoop, QuitEndsTheInnermostRun) {
    EpollLoop loop;
    std::vector<int> order;
    loop.post([&] {
        loop.post([&] {
            order.push_back(2);
            loop.quit();
        });
        order.push_back(1);
        loop.run();  // nested: ended by the quit above
        order.push_back(3);
        loop.quit();
    });
    loop.run();
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EpollLoop, QuitOutsideRunIsIgnored) {
    EpollLoop loop;
    loop.quit();
    bool ran = false;
    loop.singleShot(1, [&] {
        ran = true;
        loop.quit();
    });
    loop.run();  // returns only through the timer's quit
    EXPECT_TRUE(ran);
}

TEST(EpollLoop, PostFromAnotherThreadWakesABlockedLoop) {
    EpollLoop loop;
    std::atomic<bool> ran{false};
    std::thread poster([&] {
        ::usleep(20'000);
        loop.post([&] { ran = true; });
    });
    const std::int64_t start = loop.nowNs();
    EXPECT_TRUE(loop.runUntil([&] { return ran.load(); }, 10'000));
    EXPECT_LT(loop.nowNs() - start, 5000 * kMs);  // woken, not timed out
    poster.join();
}

TEST(EpollLoop, ManyThreadsPostEachInItsOwnOrder) {
    EpollLoop loop;
    constexpr int kThreads = 4;
    constexpr int kPosts = 250;
    std::vector<std::vector<int>> seen(kThreads);
    int total = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPosts; ++i) loop.post([&, t, i] { seen[static_cast<std::size_t>(t)].push_back(i); ++total; });
        });
    }
    EXPECT_TRUE(loop.runUntil([&] { return total == kThreads * kPosts; }, 10'000));
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
        ASSERT_EQ(seen[static_cast<std::size_t>(t)].size(), static_cast<std::size_t>(kPosts));
        for (int i = 0; i < kPosts; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)], i);
    }
}

TEST(EpollLoop, QuitFromAnotherThreadEndsRun) {
    EpollLoop loop;
    std::thread quitter([&] {
        ::usleep(20'000);
        loop.quit();
    });
    // quit() is ignored unless run() is active: keep asking until it lands.
    std::atomic<bool> stop{false};
    std::thread repeat([&] {
        for (int i = 0; i < 500 && !stop.load(); ++i) {
            ::usleep(10'000);
            loop.quit();
        }
    });
    loop.run();
    stop = true;
    quitter.join();
    repeat.join();
    SUCCEED();
}

class PipeHandler : public IoHandler {
public:
    int calls = 0;
    std::uint32_t lastEvents = 0;
    std::function<void()> hook;
    void ioReady(std::uint32_t events) override {
        ++calls;
        lastEvents = events;
        if (hook) hook();
    }
};

struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() { EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0); }
    ~Pipe() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    void put() { EXPECT_EQ(::write(fds[1], "x", 1), 1); }
};

TEST(EpollLoop, WatchedDescriptorIsLevelTriggered) {
    EpollLoop loop;
    Pipe p;
    PipeHandler h;
    EXPECT_EQ(loop.watch(p.fds[0], EPOLLIN, &h), 0);
    EXPECT_EQ(loop.watchedEvents(p.fds[0]), static_cast<std::uint32_t>(EPOLLIN));
    loop.processEvents();
    EXPECT_EQ(h.calls, 0);
    p.put();
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
    EXPECT_EQ(h.lastEvents, static_cast<std::uint32_t>(EPOLLIN));
    loop.processEvents();  // not consumed: reported again
    EXPECT_EQ(h.calls, 2);
    loop.unwatch(p.fds[0]);
    EXPECT_EQ(loop.watchedEvents(p.fds[0]), 0u);
    loop.processEvents();
    EXPECT_EQ(h.calls, 2);
}

// Narrowing is lazy in the kernel (EPOLLIN stays registered until it is reported), never for the handler.
TEST(EpollLoop, ANarrowedWatchDeliversNothingItNoLongerWants) {
    EpollLoop loop;
    Pipe p;
    PipeHandler h;
    EXPECT_EQ(loop.watch(p.fds[0], EPOLLIN, &h), 0);
    p.put();
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
    EXPECT_EQ(loop.watch(p.fds[0], 0, &h), 0);
    EXPECT_EQ(loop.watchedEvents(p.fds[0]), 0u);
    loop.processEvents();  // reported once more by the kernel, which then learns of the narrowing
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
    EXPECT_EQ(loop.watch(p.fds[0], EPOLLIN, &h), 0);
    loop.processEvents();
    EXPECT_EQ(h.calls, 2);
    loop.unwatch(p.fds[0]);
}

TEST(EpollLoop, EventsOfADescriptorUnwatchedEarlierInTheBatchAreDropped) {
    EpollLoop loop;
    Pipe a;
    Pipe b;
    PipeHandler ha;
    PipeHandler hb;
    // Whichever runs first unwatches the other: exactly one handler runs in the pass.
    ha.hook = [&] { loop.unwatch(b.fds[0]); };
    hb.hook = [&] { loop.unwatch(a.fds[0]); };
    EXPECT_EQ(loop.watch(a.fds[0], EPOLLIN, &ha), 0);
    EXPECT_EQ(loop.watch(b.fds[0], EPOLLIN, &hb), 0);
    a.put();
    b.put();
    loop.processEvents();
    EXPECT_EQ(ha.calls + hb.calls, 1);
}

TEST(EpollLoop, InjectedEventsComeFromTheNextDispatchAndAreMarked) {
    EpollLoop loop;
    Pipe p;
    PipeHandler h;
    EXPECT_EQ(loop.watch(p.fds[0], 0, &h), 0);  // attached without a kernel registration
    loop.injectEvents(p.fds[0], EPOLLOUT);
    EXPECT_EQ(h.calls, 0);
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
    EXPECT_EQ(h.lastEvents, static_cast<std::uint32_t>(EPOLLOUT) | kInjectedEvent);
    loop.processEvents();  // once only
    EXPECT_EQ(h.calls, 1);
    loop.injectEvents(p.fds[0], EPOLLOUT);
    loop.unwatch(p.fds[0]);
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
}

TEST(EpollLoop, AnEventInjectedByAnInjectedHandlerWaitsForTheNextPass) {
    EpollLoop loop;
    Pipe p;
    PipeHandler h;
    h.hook = [&] { loop.injectEvents(p.fds[0], EPOLLOUT); };
    EXPECT_EQ(loop.watch(p.fds[0], 0, &h), 0);
    loop.injectEvents(p.fds[0], EPOLLOUT);
    loop.processEvents();
    EXPECT_EQ(h.calls, 1);
    loop.processEvents();
    EXPECT_EQ(h.calls, 2);
    loop.unwatch(p.fds[0]);
}

TEST(EpollLoop, ClosingPostsWithoutRunningThemOnDestruction) {
    int ran = 0;
    {
        EpollLoop loop;
        loop.post([&] { ++ran; });
        loop.singleShot(0, [&] { ++ran; });
    }
    EXPECT_EQ(ran, 0);
}

}  // namespace
}  // namespace simsock::epoll
