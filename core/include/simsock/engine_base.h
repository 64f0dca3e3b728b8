// EngineBase: the notification policy every engine shares, written once.
//
// Engines report facts about their socket; the base decides when and in which order the receiver hears
// of them:
//  - order: a finished connect first, then readable and writable in the loop's dispatch order (write
//    first under DispatchOrder::Glib, Qt's default; read first under Unix), in one delivery; read and
//    write only while their notification is enabled, each only while a receiver is set;
//  - never from inside an engine method: a polled engine's deliveries are queued on the loop, one at a
//    time; a pushed engine delivers only from its own loop callback;
//  - never to a closed or destroyed engine: close() and abort() drop queued deliveries, and a handler
//    that closes or destroys the engine (or takes the receiver away) ends the delivery it runs in;
//  - level-triggered: a polled engine still ready and still enabled after a delivery is delivered again
//    on a later loop turn; a pushed engine's OS (epoll, level-triggered) repeats by itself.
// It also keeps options set before the socket exists and applies them when the socket is opened.
//
// How an engine reports is chosen at construction:
//  - Polled (the sim): the engine calls readinessChanged() whenever anything may have changed and
//    answers isReady() when the base asks; the base queues at most one delivery on the loop.
//  - Pushed (epoll): the engine's loop callback calls deliverNow() with what the OS reported; nothing is
//    queued or allocated per notification.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "simsock/engine.h"
#include "simsock/event_loop.h"

namespace simsock {

/// What the receiver is told about, in delivery order. It also names what an interestChanged() is about:
/// the pending connect, the read enable flag, the write enable flag.
enum class EngineEvent : std::uint8_t { ConnectFinished, Readable, Writable };

/// What an OS reported at one moment (EngineBase::deliverNow).
struct Readiness {
    bool connectFinished = false;  ///< a connect that returned EINPROGRESS has its outcome
    bool readable = false;
    bool writable = false;
};

class EngineBase : public SocketEngine {
public:
    ~EngineBase() override;
    EngineBase(const EngineBase&) = delete;
    EngineBase& operator=(const EngineBase&) = delete;

    /// Sets who is notified; a polled engine looks for something to deliver at once (on the loop).
    void setReceiver(EngineReceiver* receiver) final;
    /// True between opened() and close()/abort().
    bool isValid() const final { return open_; }
    /// Drops every queued and running delivery and the enable flags, then releases the socket.
    void close() final;
    /// As close(), releasing with an RST (releaseSocket(true)).
    void abort() final;

    /// Sets the flag and tells interestChanged(); a polled engine enabled looks for a delivery (queued).
    void setReadNotificationEnabled(bool enabled) final;
    /// As setReadNotificationEnabled, for writes.
    void setWriteNotificationEnabled(bool enabled) final;
    /// The read flag (false after close()).
    bool isReadNotificationEnabled() const final { return readEnabled_; }
    /// The write flag (false after close()).
    bool isWriteNotificationEnabled() const final { return writeEnabled_; }

    /// With a socket: applyOption(). Without: refusedOption()'s errno, or the value is kept (0) and
    /// applied by opened().
    int setOption(SocketOption option, int value) final;
    /// With a socket: appliedOption(). Without: the kept value, nullopt if none.
    std::optional<int> option(SocketOption option) const final;

protected:
    enum class Delivery : std::uint8_t { Polled, Pushed };

    /// loop must outlive the engine; a Pushed engine never has the base post to it.
    EngineBase(EventLoop& loop, Delivery delivery);

    // ---- Facts the engine reports ----

    /// The socket exists now (initialize or adopt succeeded): applies the kept options through
    /// applyOption() (their failures are ignored, as setOption() already answered 0) and forgets them.
    void opened();
    /// connect() returned EINPROGRESS: a connectionNotification is owed once the connect finishes.
    void connectStarted();
    /// The connect's outcome was taken without a notification (asked for early): none is owed any more.
    void connectOutcomeTaken();
    /// Polled: something about the socket may have changed; queues a delivery if one is due.
    void readinessChanged();
    /// Pushed, from the engine's loop callback only: delivers what the OS reported now, in order.
    /// Returns false when a handler destroyed the engine: the caller must not touch it any more.
    bool deliverNow(Readiness now);

    /// A connectionNotification is owed (connectStarted() and not yet delivered or taken).
    bool connectPending() const { return connectPending_; }

    // ---- What the engine implements ----

    /// Releases the OS socket (abortive: with an RST). Called by close()/abort() after the policy has
    /// dropped its deliveries; may be called without a socket. Derived destructors call close().
    virtual void releaseSocket(bool abortive) = 0;
    /// Applies an option to the open socket (0 or errno).
    virtual int applyOption(SocketOption option, int value) = 0;
    /// The open socket's value of an option, nullopt when the engine cannot tell.
    virtual std::optional<int> appliedOption(SocketOption option) const = 0;
    /// An errno when option can never be set on this engine (read-only), so it is not kept; else 0.
    virtual int refusedOption(SocketOption option) const;
    /// Polled: whether event's condition holds now (the socket exists when this is asked).
    virtual bool isReady(EngineEvent event) const;
    /// An enable flag (Readable, Writable) was set, or (ConnectFinished) the pending connect was
    /// delivered or taken; was is the previous value. Called before the matching notification, never
    /// from close(). Pushed engines update their OS interest here.
    virtual void interestChanged(EngineEvent which, bool was);

private:
    // One per running delivery, chained, so that destruction from inside a handler is noticed.
    struct Frame {
        bool alive = true;
        Frame* outer = nullptr;
    };
    enum class Outcome : std::uint8_t { Done, Stopped, Destroyed };

    template <typename Ready>
    Outcome deliver(const Ready& ready);
    void runQueued();
    void dropDeliveries();

    EventLoop& loop_;
    EngineReceiver* receiver_ = nullptr;
    Frame* frames_ = nullptr;
    std::uint32_t epoch_ = 0;  // bumped by close(): a delivery that sees it move stops
    const Delivery delivery_;
    bool open_ = false;
    bool readEnabled_ = false;
    bool writeEnabled_ = false;
    bool connectPending_ = false;
    bool queued_ = false;  // Polled: a delivery is posted and has not run yet
    // Polled: posted deliveries hold a weak copy and drop themselves once it is gone (close, destruction).
    std::shared_ptr<char> token_;
    // Options set before the socket exists; allocated only when one is.
    std::unique_ptr<std::array<std::optional<int>, kSocketOptionCount>> kept_;
};

// The one ordering: connect, then read and write in the loop's dispatch order. Every handler may close
// the engine, destroy it, take the receiver away or change the enable flags; each step looks again, and
// the frame tells a destroyed engine apart without touching it. Inline because it runs on every epoll notification (a call here
// cost about 3% of a ping-pong round trip).
template <typename Ready>
inline EngineBase::Outcome EngineBase::deliver(const Ready& ready) {
    if (!open_) return Outcome::Stopped;
    // Qt's glib dispatcher runs a socket's write notifier before its read notifier, the Unix one the reverse:
    // a reset noticed with a write queued is then the write path's abort or the read path's remote close.
    // Read now: after the first handler this engine (and its loop_ reference) may be gone.
    const bool writeFirst = loop_.dispatchOrder() == DispatchOrder::Glib;
    Frame frame;
    frame.outer = frames_;
    frames_ = &frame;
    const std::uint32_t epoch = epoch_;
    const auto after = [&frame, epoch, this] {
        if (!frame.alive) return Outcome::Destroyed;
        return epoch_ != epoch || receiver_ == nullptr ? Outcome::Stopped : Outcome::Done;
    };
    Outcome outcome = Outcome::Done;
    if (connectPending_ && ready(EngineEvent::ConnectFinished)) {
        // Owed once: taken off before the handler runs, which may connect again.
        connectPending_ = false;
        interestChanged(EngineEvent::ConnectFinished, true);
        if (receiver_ != nullptr) {
            receiver_->connectionNotification();
            outcome = after();
        }
    }
    const auto notify = [&](EngineEvent event) {
        if (outcome != Outcome::Done || receiver_ == nullptr) return;
        if (event == EngineEvent::Readable) {
            if (!readEnabled_ || !ready(event)) return;
            receiver_->readNotification();
        } else {
            if (!writeEnabled_ || !ready(event)) return;
            receiver_->writeNotification();
        }
        outcome = after();
    };
    notify(writeFirst ? EngineEvent::Writable : EngineEvent::Readable);
    notify(writeFirst ? EngineEvent::Readable : EngineEvent::Writable);
    if (outcome != Outcome::Destroyed) frames_ = frame.outer;
    return outcome;
}

inline bool EngineBase::deliverNow(Readiness now) {
    const auto ready = [now](EngineEvent event) {
        switch (event) {
        case EngineEvent::ConnectFinished: return now.connectFinished;
        case EngineEvent::Readable: return now.readable;
        case EngineEvent::Writable: return now.writable;
        }
        return false;
    };
    return deliver(ready) != Outcome::Destroyed;
}

}  // namespace simsock
