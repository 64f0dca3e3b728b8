// A minimal synchronous signal: handlers run in connection order, inside emit().
//
// Emission is safe against everything a handler may do: disconnect itself or others, connect new handlers
// (they are not called in the emission already running), or destroy the object owning the signal (the
// remaining handlers are skipped, as Qt skips them for a deleted sender).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace simsock {

namespace detail {
struct SlotBase {
    bool connected = true;
};
}  // namespace detail

/// A handle to one connected handler. Copyable; disconnecting any copy disconnects the handler.
class Connection {
public:
    Connection() = default;
    explicit Connection(std::weak_ptr<detail::SlotBase> slot) : slot_(std::move(slot)) {}
    /// Stops the handler from being called again, including later in an emission already running.
    void disconnect() {
        if (auto s = slot_.lock()) s->connected = false;
        slot_.reset();
    }
    /// True while the handler is connected and its signal exists.
    bool isConnected() const {
        auto s = slot_.lock();
        return s && s->connected;
    }

private:
    std::weak_ptr<detail::SlotBase> slot_;
};

template <typename... Args>
class Signal {
public:
    Signal() = default;
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;
    ~Signal() {
        if (state_) state_->alive = false;
    }

    /// Connects a handler; it is called on every later emission until disconnected.
    template <typename F>
    Connection connect(F&& f) {
        auto slot = std::make_shared<Slot>();
        slot->fn = std::forward<F>(f);
        if (!state_) state_ = std::make_shared<State>();
        prune();
        state_->slots.push_back(slot);
        return Connection(slot);
    }

    /// Disconnects every handler.
    void disconnectAll() {
        if (!state_) return;
        for (auto& s : state_->slots) s->connected = false;
        prune();
    }

    /// Number of connected handlers.
    std::size_t handlerCount() const {
        std::size_t n = 0;
        if (!state_) return n;
        for (auto& s : state_->slots) n += s->connected ? 1 : 0;
        return n;
    }

    /// Calls each connected handler in order. Returns false if the signal was destroyed by a handler.
    bool emit(Args... args) {
        // No copy of the handler list: handlers connected during this emission sit past `count`, and
        // disconnected ones are only flagged while an emission runs (see prune()), so indices stay valid.
        // A signal never connected has no state: nothing can run, so nothing can destroy it.
        if (!state_) return true;
        std::shared_ptr<State> state = state_;
        const std::size_t count = state->slots.size();
        ++state->emitting;
        for (std::size_t i = 0; i < count && state->alive; ++i) {
            Slot* slot = state->slots[i].get();
            if (slot->connected) slot->fn(args...);
        }
        --state->emitting;
        return state->alive;
    }

    bool operator()(Args... args) { return emit(args...); }

private:
    struct Slot : detail::SlotBase {
        std::function<void(Args...)> fn;
    };
    struct State {
        bool alive = true;
        int emitting = 0;  // emissions running; the slot list is not shrunk while any runs
        std::vector<std::shared_ptr<Slot>> slots;
    };

    void prune() {
        if (!state_ || state_->emitting > 0) return;
        std::erase_if(state_->slots, [](const auto& s) { return !s->connected; });
    }

    // Made by the first connect: most of a socket's signals never get a handler, and an allocation per
    // signal was a fifth of a simulated connection's memory.
    std::shared_ptr<State> state_;
};

}  // namespace simsock
