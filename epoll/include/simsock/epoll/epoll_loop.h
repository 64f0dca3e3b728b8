// The real event loop: epoll_wait over level-triggered descriptors, one timerfd for every timer, and an
// eventfd so that other threads (the resolver) can post work. Its clock is CLOCK_MONOTONIC.
//
// Ordering: posted functions and due timers run in (due time, creation sequence) order, where a post is
// due when it was posted; then ready descriptors are dispatched. Every pass is bounded: work queued
// during a pass (a repeating 0 ns timer, a post from a post) runs on the next pass.
// Re-entrancy: a handler may call runUntil/processEvents (a blocking wait); the nested call continues
// with the same queues and the same batch of ready descriptors, so nothing is delivered twice or lost.
// Threads: only post() and quit() may be called from other threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "simsock/event_loop.h"

struct epoll_event;

namespace simsock::epoll {

namespace detail {
class TimerQueue;
}

/// Receives readiness of a descriptor watched by an EpollLoop (EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP bits).
class IoHandler {
public:
    virtual ~IoHandler() = default;
    virtual void ioReady(std::uint32_t events) = 0;
};

/// Set in the events an IoHandler receives when they came from EpollLoop::injectEvents, not the kernel
/// (the kernel never reports EPOLLET, the bit it uses).
inline constexpr std::uint32_t kInjectedEvent = 1u << 31;

class EpollLoop final : public EventLoop {
public:
    EpollLoop();
    ~EpollLoop() override;
    EpollLoop(const EpollLoop&) = delete;
    EpollLoop& operator=(const EpollLoop&) = delete;

    std::int64_t nowNs() const override;
    /// Thread-safe. Wakes the loop when it is blocked in epoll_wait.
    void post(std::function<void()> fn) override;
    TimerId startTimer(std::int64_t delayNs, std::function<void()> fn, bool repeating) override;
    void cancelTimer(TimerId id) override;
    void run() override;
    /// Thread-safe. Makes the innermost run() return; ignored when no run() is active.
    void quit() override;
    /// timeoutMs is real milliseconds on CLOCK_MONOTONIC.
    bool runUntil(const std::function<bool()>& pred, std::int64_t timeoutMs) override;
    void processEvents() override;

    /// Watches fd for events (EPOLLIN and/or EPOLLOUT) with one level-triggered registration. The kernel
    /// is told before the loop next waits, so changes made within one pass cost one epoll_ctl at most
    /// (DEL + ADD becomes one MOD; a descriptor watched and closed within a pass costs none). Dropping
    /// EPOLLIN alone is lazy: the registration keeps it until the kernel reports an unwanted event, so a
    /// receiver that pauses and resumes reading within a turn (a UDP burst) costs no epoll_ctl at all.
    /// A mask of 0 keeps handler attached for injectEvents. Returns 0 or an errno.
    int watch(int fd, std::uint32_t events, IoHandler* handler);
    /// Detaches fd entirely; its events already fetched or injected but not yet dispatched are dropped.
    void unwatch(int fd);
    /// As unwatch, without the EPOLL_CTL_DEL, for a descriptor its only holder closes right after:
    /// closing the last descriptor of a file removes it from every epoll set. (A duplicate kept elsewhere,
    /// by dup() or fork(), would keep the registration alive: only use this for descriptors that this
    /// process made and handed to no one.)
    void unwatchClosing(int fd);
    /// The mask fd is watched for (0 if none), as last set with watch().
    std::uint32_t watchedEvents(int fd) const;
    /// Reports events for fd as if epoll had, after the current batch (or on the next pass), to the
    /// handler fd is attached to, unless it is unwatched or re-attached first. An engine that knows its
    /// socket is writable uses it to skip two epoll_ctl calls per write.
    void injectEvents(int fd, std::uint32_t events);

private:
    struct Watch {
        IoHandler* handler = nullptr;
        std::uint32_t wanted = 0;      // what the handler asked for (watch)
        std::uint32_t kernel = 0;      // what the kernel registration holds (0: not registered)
        std::uint32_t generation = 0;  // bumped on every detach; stale batch events are dropped
        bool dirty = false;            // listed in dirty_: wanted and kernel may differ
    };
    struct Posted {
        std::function<void()> fn;
        std::int64_t timeNs = 0;
        std::uint64_t seq = 0;
    };
    using StopFn = bool (*)(void*);

    bool pass(bool mayBlock, std::int64_t deadlineNs, StopFn stop, void* ctx);
    bool runDueWork(StopFn stop, void* ctx);
    bool dispatchBatch(StopFn stop, void* ctx);
    bool dispatchInjected(StopFn stop, void* ctx);
    void dispatchOne(const epoll_event& ev, bool injected);
    void waitForEvents(bool mayBlock, std::int64_t deadlineNs);
    void syncRegistrations();
    void syncRegistration(int fd, Watch& w);
    void detach(int fd, bool removeFromKernel);
    int computeTimeoutMs(bool mayBlock, std::int64_t deadlineNs);
    void takeIncoming();
    void armTimerFd();
    void drainWakeFd();
    void drainTimerFd();
    void wake();

    int epollFd_ = -1;
    int wakeFd_ = -1;
    int timerFd_ = -1;
    std::unique_ptr<detail::TimerQueue> timers_;
    std::int64_t armedDeadlineNs_ = -1;  // what timerFd_ is armed for; -1: disarmed
    std::vector<Watch> watches_;          // indexed by descriptor
    std::vector<int> dirty_;              // descriptors whose registration may have to change
    std::unique_ptr<epoll_event[]> batch_;
    int batchCount_ = 0;
    int batchIndex_ = 0;
    std::vector<epoll_event> injected_;       // injectEvents, dispatched after the batch
    std::vector<epoll_event> injectedSpare_;  // keeps the capacity of the last dispatched round
    std::deque<Posted> ready_;            // loop thread only
    std::mutex incomingMutex_;
    std::deque<Posted> incoming_;         // guarded by incomingMutex_
    std::atomic<bool> hasIncoming_{false};  // incoming_ is non-empty; lets a pass skip the mutex
    std::atomic<std::uint64_t> nextSeq_{1};
    std::atomic<bool> sleeping_{false};
    std::atomic<bool> wakePending_{false};
    std::atomic<bool> quitRequested_{false};
    std::atomic<int> runDepth_{0};
};

}  // namespace simsock::epoll
