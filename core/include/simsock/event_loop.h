// The event loop every socket runs on. Engines implement it: the sim over a virtual clock, epoll over
// the real one. Core code never reads a clock of its own; it asks the loop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "simsock/socket_types.h"

namespace simsock {

using TimerId = std::uint64_t;
inline constexpr TimerId kNoTimer = 0;

class EventLoop {
public:
    virtual ~EventLoop() = default;

    /// The loop's clock in nanoseconds: virtual time on the sim, CLOCK_MONOTONIC on epoll.
    virtual std::int64_t nowNs() const = 0;

    /// Runs fn from the loop, after everything already queued for the current time.
    virtual void post(std::function<void()> fn) = 0;

    /// Runs fn after delayNs (and every delayNs if repeating) until cancelled. Never calls fn inside this call.
    virtual TimerId startTimer(std::int64_t delayNs, std::function<void()> fn, bool repeating) = 0;

    /// Cancels a timer; unknown or finished ids are ignored.
    virtual void cancelTimer(TimerId id) = 0;

    /// Runs until quit() is called, or (sim) until nothing is left to happen.
    virtual void run() = 0;

    /// Makes the innermost run() return.
    virtual void quit() = 0;

    /// Processes events until pred() holds (checked before waiting and after every event) or timeoutMs
    /// passes on the loop's clock (-1: no timeout). Returns pred()'s final value. The sim advances
    /// virtual time to the deadline when nothing else can happen first.
    virtual bool runUntil(const std::function<bool()>& pred, std::int64_t timeoutMs) = 0;

    /// Processes every event that is due now, without waiting and without advancing time.
    virtual void processEvents() = 0;

    /// Which notification runs first when a socket is readable and writable at once (EngineBase follows
    /// it for every engine on this loop). Glib, Qt's default, unless the backend was created otherwise.
    DispatchOrder dispatchOrder() const { return dispatchOrder_; }
    /// Sets the order for deliveries from now on (BackendOptions::dispatch does it at creation).
    void setDispatchOrder(DispatchOrder order) { dispatchOrder_ = order; }

    /// Single-shot timer after ms milliseconds.
    TimerId singleShot(std::int64_t ms, std::function<void()> fn) {
        return startTimer(ms * 1'000'000, std::move(fn), false);
    }

    /// Deletes obj from the loop, once the current event (and any emission it is in) has finished.
    template <typename T>
    void deleteLater(std::unique_ptr<T> obj) {
        std::shared_ptr<T> holder(std::move(obj));
        post([holder]() mutable { holder.reset(); });
    }

private:
    DispatchOrder dispatchOrder_ = DispatchOrder::Glib;
};

}  // namespace simsock
