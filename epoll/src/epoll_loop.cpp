#include "simsock/epoll/epoll_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "monotonic_clock.h"
#include "simsock/check.h"
#include "sys_call.h"
#include "timer_queue.h"

namespace simsock::epoll {
namespace {

constexpr int kBatchSize = 256;

std::uint64_t encodeData(int fd, std::uint32_t generation) {
    return (static_cast<std::uint64_t>(generation) << 32) | static_cast<std::uint32_t>(fd);
}

int decodeFd(std::uint64_t data) { return static_cast<int>(static_cast<std::uint32_t>(data)); }

std::uint32_t decodeGeneration(std::uint64_t data) { return static_cast<std::uint32_t>(data >> 32); }

void addInternalFd(int epollFd, int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = encodeData(fd, 0);
    const int rc = ::epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev);
    SIMSOCK_ASSERT(rc == 0);
}

}  // namespace

// A loop that cannot get its three descriptors cannot work at all; that is asserted rather than
// carried around as a half-built object.
EpollLoop::EpollLoop() : timers_(std::make_unique<detail::TimerQueue>()), batch_(new epoll_event[kBatchSize]) {
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    timerFd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    SIMSOCK_ASSERT(epollFd_ >= 0 && wakeFd_ >= 0 && timerFd_ >= 0);
    addInternalFd(epollFd_, wakeFd_);
    addInternalFd(epollFd_, timerFd_);
}

EpollLoop::~EpollLoop() {
    // Queued closures may own sockets whose engines unwatch on destruction: destroy them while the
    // loop is still whole.
    std::deque<Posted> ready = std::move(ready_);
    ready.clear();
    std::deque<Posted> incoming;
    {
        std::lock_guard<std::mutex> lock(incomingMutex_);
        incoming.swap(incoming_);
    }
    incoming.clear();
    auto timers = std::exchange(timers_, std::make_unique<detail::TimerQueue>());
    timers.reset();
    detail::closeDescriptor(timerFd_);
    detail::closeDescriptor(wakeFd_);
    detail::closeDescriptor(epollFd_);
}

std::int64_t EpollLoop::nowNs() const { return detail::monotonicNowNs(); }

void EpollLoop::post(std::function<void()> fn) {
    {
        std::lock_guard<std::mutex> lock(incomingMutex_);
        // Time and sequence are taken together so that both grow along the queue.
        incoming_.push_back(Posted{std::move(fn), nowNs(), nextSeq_.fetch_add(1)});
        hasIncoming_.store(true);
    }
    wake();
}

void EpollLoop::wake() {
    // sleeping_ is set before the loop checks its queues, so either it sees the work or we see it asleep.
    if (!sleeping_.load() || wakePending_.exchange(true)) return;
    const std::uint64_t one = 1;
    const ssize_t n = detail::retryOnEintr([&] { return ::write(wakeFd_, &one, sizeof one); });
    (void)n;  // EAGAIN means the counter is already non-zero: the loop is being woken anyway
}

TimerId EpollLoop::startTimer(std::int64_t delayNs, std::function<void()> fn, bool repeating) {
    if (delayNs < 0) delayNs = 0;
    // Arming the timerfd is left to the loop (before it next waits): starting a timer is syscall-free.
    return timers_->start(nowNs() + delayNs, delayNs, repeating, std::move(fn), nextSeq_.fetch_add(1));
}

void EpollLoop::cancelTimer(TimerId id) {
    if (id != kNoTimer) timers_->cancel(id);
}

void EpollLoop::run() {
    ++runDepth_;
    auto stopOnQuit = [](void* self) { return static_cast<EpollLoop*>(self)->quitRequested_.load(); };
    while (!quitRequested_.load()) pass(true, -1, stopOnQuit, this);
    quitRequested_.store(false);
    --runDepth_;
}

void EpollLoop::quit() {
    if (runDepth_.load() == 0) return;
    quitRequested_.store(true);
    wake();
}

bool EpollLoop::runUntil(const std::function<bool()>& pred, std::int64_t timeoutMs) {
    if (pred()) return true;
    const std::int64_t deadlineNs = timeoutMs < 0 ? -1 : nowNs() + timeoutMs * 1'000'000;
    auto stopOnPred = [](void* p) { return (*static_cast<const std::function<bool()>*>(p))(); };
    void* ctx = const_cast<std::function<bool()>*>(&pred);
    // While descriptors keep reporting, the clock is read on every 16th pass only (a pass that blocked
    // read it already to compute its timeout): the deadline is met within 16 passes of work.
    constexpr unsigned kClockEvery = 16;
    for (unsigned passes = 1;; ++passes) {
        if (pass(true, deadlineNs, stopOnPred, ctx)) return true;
        if (pred()) return true;
        const bool busy = batchCount_ > 0 && passes % kClockEvery != 0;
        if (deadlineNs >= 0 && !busy && nowNs() >= deadlineNs) return false;
    }
}

void EpollLoop::processEvents() { pass(false, -1, nullptr, nullptr); }

bool EpollLoop::pass(bool mayBlock, std::int64_t deadlineNs, StopFn stop, void* ctx) {
    if (runDueWork(stop, ctx)) return true;
    // A nested pass first finishes the batch an outer pass fetched, so no event is fetched twice.
    if (batchIndex_ >= batchCount_) waitForEvents(mayBlock && injected_.empty(), deadlineNs);
    if (dispatchBatch(stop, ctx)) return true;
    return dispatchInjected(stop, ctx);
}

bool EpollLoop::runDueWork(StopFn stop, void* ctx) {
    takeIncoming();
    if (ready_.empty() && timers_->liveCount() == 0) return false;  // the common I/O-only pass: no clock
    // Work created during this pass (a post from a post, a rescheduled repeating timer) has a sequence
    // at or above this limit and waits for the next pass: every pass ends.
    const std::uint64_t seqLimit = nextSeq_.load();
    const std::int64_t now = nowNs();
    for (;;) {
        const detail::TimerQueue::Expiry* t = timers_->earliest();
        const bool timerDue = t != nullptr && t->deadlineNs <= now && t->seq < seqLimit;
        const bool postDue = !ready_.empty() && ready_.front().seq < seqLimit;
        if (!timerDue && !postDue) break;
        const bool postFirst =
            postDue && (!timerDue || ready_.front().timeNs < t->deadlineNs ||
                        (ready_.front().timeNs == t->deadlineNs && ready_.front().seq < t->seq));
        if (postFirst) {
            std::function<void()> fn = std::move(ready_.front().fn);
            ready_.pop_front();
            fn();
        } else {
            detail::TimerQueue::Callback fn = timers_->takeEarliest(now, nextSeq_.fetch_add(1));
            (*fn)();
        }
        if (stop != nullptr && stop(ctx)) return true;
    }
    armTimerFd();
    return false;
}

void EpollLoop::takeIncoming() {
    if (!hasIncoming_.load()) return;
    std::lock_guard<std::mutex> lock(incomingMutex_);
    hasIncoming_.store(false);
    while (!incoming_.empty()) {
        ready_.push_back(std::move(incoming_.front()));
        incoming_.pop_front();
    }
}

bool EpollLoop::dispatchBatch(StopFn stop, void* ctx) {
    while (batchIndex_ < batchCount_) {
        const epoll_event ev = batch_[batchIndex_++];
        dispatchOne(ev, false);
        if (stop != nullptr && stop(ctx)) return true;
    }
    return false;
}

bool EpollLoop::dispatchInjected(StopFn stop, void* ctx) {
    if (injected_.empty()) return false;
    // One round: what the handlers inject now waits for the next pass, so every pass ends.
    std::vector<epoll_event> round = std::exchange(injected_, std::move(injectedSpare_));
    for (std::size_t i = 0; i < round.size(); ++i) {
        dispatchOne(round[i], true);
        if (stop != nullptr && stop(ctx) && i + 1 < round.size()) {
            injected_.insert(injected_.begin(), round.begin() + static_cast<std::ptrdiff_t>(i) + 1, round.end());
            return true;
        }
    }
    round.clear();
    injectedSpare_ = std::move(round);
    return stop != nullptr && stop(ctx);
}

void EpollLoop::injectEvents(int fd, std::uint32_t events) {
    if (fd < 0 || static_cast<std::size_t>(fd) >= watches_.size()) return;
    const Watch& w = watches_[static_cast<std::size_t>(fd)];
    if (w.handler == nullptr || events == 0) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = encodeData(fd, w.generation);
    injected_.push_back(ev);
}

void EpollLoop::dispatchOne(const epoll_event& ev, bool injected) {
    const int fd = decodeFd(ev.data.u64);
    if (fd == wakeFd_) return drainWakeFd();
    if (fd == timerFd_) return drainTimerFd();
    if (fd < 0 || static_cast<std::size_t>(fd) >= watches_.size()) return;
    Watch& w = watches_[static_cast<std::size_t>(fd)];
    // A handler earlier in this batch may have closed or replaced this registration.
    if (w.generation != decodeGeneration(ev.data.u64) || w.handler == nullptr) return;
    if (injected) return w.handler->ioReady(ev.events | kInjectedEvent);
    if (w.kernel == 0) return;  // fetched before the kernel registration was removed
    // Narrowed lazily (or since the batch was fetched): the kernel learns of it now, once it matters.
    if ((ev.events & w.kernel & ~w.wanted & (EPOLLIN | EPOLLOUT)) != 0 || w.wanted == 0) syncRegistration(fd, w);
    if (w.wanted == 0) return;
    std::uint32_t bits = ev.events;
    // An error or hang-up makes a descriptor both readable and writable (the call then reports it).
    if ((bits & (EPOLLERR | EPOLLHUP)) != 0) bits |= w.wanted;
    bits &= (w.wanted | EPOLLERR | EPOLLHUP);
    if (bits != 0) w.handler->ioReady(bits);
}

void EpollLoop::waitForEvents(bool mayBlock, std::int64_t deadlineNs) {
    if (!dirty_.empty()) syncRegistrations();
    sleeping_.store(true);
    const int timeoutMs = computeTimeoutMs(mayBlock, deadlineNs);
    int n = ::epoll_wait(epollFd_, batch_.get(), kBatchSize, timeoutMs);
    sleeping_.store(false);
    if (n < 0) {
        SIMSOCK_ASSERT(errno == EINTR);  // EBADF/EFAULT/EINVAL would be a bug in this file
        n = 0;
    }
    batchCount_ = n;
    batchIndex_ = 0;
}

int EpollLoop::computeTimeoutMs(bool mayBlock, std::int64_t deadlineNs) {
    if (!mayBlock || !ready_.empty() || !injected_.empty()) return 0;
    // sleeping_ was set before this load: a post that this misses sees sleeping_ and writes the eventfd.
    if (hasIncoming_.load()) return 0;
    if (deadlineNs < 0 && timers_->liveCount() == 0) return -1;
    const std::int64_t now = nowNs();
    const detail::TimerQueue::Expiry* t = timers_->earliest();
    if (t != nullptr && t->deadlineNs <= now) return 0;
    if (deadlineNs < 0) return -1;  // timers wake us through the timerfd
    const std::int64_t remainingNs = deadlineNs - now;
    if (remainingNs <= 0) return 0;
    // Round up: waking a little late is harmless, waking early costs a spin.
    const std::int64_t ms = (remainingNs + 999'999) / 1'000'000;
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

void EpollLoop::armTimerFd() {
    const detail::TimerQueue::Expiry* t = timers_->earliest();
    // An arming that is still ahead and not later than needed is kept (a cancelled earlier timer only
    // costs one spurious wake-up); so steady start/cancel churn makes no system calls.
    if (t == nullptr) return;
    if (armedDeadlineNs_ >= 0 && armedDeadlineNs_ <= t->deadlineNs) return;
    itimerspec spec{};
    const std::int64_t d = t->deadlineNs > 0 ? t->deadlineNs : 1;
    spec.it_value.tv_sec = static_cast<time_t>(d / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(d % 1'000'000'000);
    const int rc = ::timerfd_settime(timerFd_, TFD_TIMER_ABSTIME, &spec, nullptr);
    SIMSOCK_ASSERT(rc == 0);
    armedDeadlineNs_ = d;
}

void EpollLoop::drainWakeFd() {
    std::uint64_t value = 0;
    const ssize_t n = detail::retryOnEintr([&] { return ::read(wakeFd_, &value, sizeof value); });
    (void)n;
    wakePending_.store(false);
}

void EpollLoop::drainTimerFd() {
    std::uint64_t expirations = 0;
    const ssize_t n = detail::retryOnEintr([&] { return ::read(timerFd_, &expirations, sizeof expirations); });
    if (n == static_cast<ssize_t>(sizeof expirations)) armedDeadlineNs_ = -1;  // fired: re-arm next pass
}

int EpollLoop::watch(int fd, std::uint32_t events, IoHandler* handler) {
    if (fd < 0) return EBADF;
    if (static_cast<std::size_t>(fd) >= watches_.size()) watches_.resize(static_cast<std::size_t>(fd) + 1);
    Watch& w = watches_[static_cast<std::size_t>(fd)];
    if (w.handler != handler) {
        unwatch(fd);  // a new owner of the number: nothing fetched for the old one reaches it
        w.handler = handler;
    }
    w.wanted = events;
    if (w.wanted != w.kernel && !w.dirty) {
        w.dirty = true;
        dirty_.push_back(fd);
    }
    return 0;
}

void EpollLoop::syncRegistrations() {
    for (const int fd : dirty_) {
        Watch& w = watches_[static_cast<std::size_t>(fd)];
        w.dirty = false;
        // Only EPOLLIN to drop: left registered until the kernel reports it unwanted (dispatchOne).
        const bool onlyReadDropped = (w.wanted & ~w.kernel) == 0 && (w.kernel & ~w.wanted) == EPOLLIN;
        if (w.wanted != w.kernel && !onlyReadDropped) syncRegistration(fd, w);
    }
    dirty_.clear();
}

void EpollLoop::syncRegistration(int fd, Watch& w) {
    epoll_event ev{};
    ev.events = w.wanted;
    ev.data.u64 = encodeData(fd, w.generation);
    int rc = 0;
    if (w.wanted == 0) {
        (void)::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, &ev);  // ENOENT: already gone with its file
    } else {
        rc = ::epoll_ctl(epollFd_, w.kernel == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
        // The descriptor may have been closed and reused behind our back (the kernel then dropped it).
        if (rc < 0 && errno == ENOENT) rc = ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev);
        if (rc < 0 && errno == EEXIST) rc = ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, fd, &ev);
    }
    // EBADF: closed behind the engine's back, which then learns of it from its next call. Anything else
    // (ENOMEM, ENOSPC: the kernel's epoll limits) leaves nothing sane to report.
    SIMSOCK_ASSERT(rc == 0 || errno == EBADF);
    w.kernel = rc == 0 ? w.wanted : 0;
}

void EpollLoop::unwatch(int fd) { detach(fd, true); }

void EpollLoop::unwatchClosing(int fd) { detach(fd, false); }

void EpollLoop::detach(int fd, bool removeFromKernel) {
    if (fd < 0 || static_cast<std::size_t>(fd) >= watches_.size()) return;
    Watch& w = watches_[static_cast<std::size_t>(fd)];
    if (w.kernel != 0 && removeFromKernel) {
        epoll_event ev{};
        (void)::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, &ev);  // ENOENT/EBADF: already gone, fine
    }
    w.wanted = 0;
    w.kernel = 0;
    w.handler = nullptr;
    ++w.generation;
}

std::uint32_t EpollLoop::watchedEvents(int fd) const {
    if (fd < 0 || static_cast<std::size_t>(fd) >= watches_.size()) return 0;
    return watches_[static_cast<std::size_t>(fd)].wanted;
}

}  // namespace simsock::epoll
