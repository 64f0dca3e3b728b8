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
        if (!state_) return;
        if (state_->emitting > 0) {
            state_->alive = false;  // the outermost running emission frees it
        } else {
            delete state_;
        }
    }

    /// Connects a handler; it is called on every later emission until disconnected.
    template <typename F>
    Connection connect(F&& f) {
        auto slot = std::make_shared<Slot>();
        slot->fn = std::forward<F>(f);
        if (!state_) state_ = new State;
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
        EmissionGuard guard(state_);
        State* state = state_;
        const std::size_t count = state->slots.size();
        for (std::size_t i = 0; i < count && state->alive; ++i) {
            Slot* slot = state->slots[i].get();
            if (slot->connected) slot->fn(args...);
        }
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
    // Counts an emission in and out, also when a handler throws; the last emission out frees the state
    // of a signal destroyed meanwhile. A plain count, not a shared_ptr copy: emissions are single-threaded
    // and an atomic reference count per emission was measurable on every signal.
    struct EmissionGuard {
        explicit EmissionGuard(State* s) : state(s) { ++state->emitting; }
        ~EmissionGuard() {
            if (--state->emitting == 0 && !state->alive) delete state;
        }
        EmissionGuard(const EmissionGuard&) = delete;
        EmissionGuard& operator=(const EmissionGuard&) = delete;
        State* state;
    };

    void prune() {
        if (!state_ || state_->emitting > 0) return;
        std::erase_if(state_->slots, [](const auto& s) { return !s->connected; });
    }

    // Made by the first connect: most of a socket's signals never get a handler, and an allocation per
    // signal was a fifth of a simulated connection's memory.
    State* state_ = nullptr;  // owned: freed by the destructor, or by the emission running then
};

}  // namespace simsock
