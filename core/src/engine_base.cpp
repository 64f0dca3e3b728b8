#include "simsock/engine_base.h"

#include "simsock/check.h"

namespace simsock {
namespace {

std::size_t indexOf(SocketOption option) {
    const auto i = static_cast<std::size_t>(option);
    SIMSOCK_ASSERT(i < static_cast<std::size_t>(kSocketOptionCount));
    return i;
}

}  // namespace

EngineBase::EngineBase(EventLoop& loop, Delivery delivery) : loop_(loop), delivery_(delivery) {}

EngineBase::~EngineBase() {
    // releaseSocket() cannot be reached from here: the derived destructor must have closed.
    SIMSOCK_ASSERT(!open_);
    for (Frame* f = frames_; f != nullptr; f = f->outer) f->alive = false;
}

void EngineBase::setReceiver(EngineReceiver* receiver) {
    receiver_ = receiver;
    if (receiver != nullptr && delivery_ == Delivery::Polled) readinessChanged();
}

void EngineBase::close() {
    dropDeliveries();
    releaseSocket(false);
}

void EngineBase::abort() {
    dropDeliveries();
    releaseSocket(true);
}

void EngineBase::dropDeliveries() {
    open_ = false;
    ++epoch_;
    queued_ = false;
    token_.reset();
    readEnabled_ = false;
    writeEnabled_ = false;
    connectPending_ = false;
}

void EngineBase::setReadNotificationEnabled(bool enabled) {
    const bool was = readEnabled_;
    readEnabled_ = enabled;
    if (enabled && delivery_ == Delivery::Polled) readinessChanged();
    interestChanged(EngineEvent::Readable, was);  // last, so that it is a tail call on the epoll hot path
}

void EngineBase::setWriteNotificationEnabled(bool enabled) {
    const bool was = writeEnabled_;
    writeEnabled_ = enabled;
    if (enabled && delivery_ == Delivery::Polled) readinessChanged();
    interestChanged(EngineEvent::Writable, was);  // last, so that it is a tail call on the epoll hot path
}

int EngineBase::setOption(SocketOption option, int value) {
    if (open_) return applyOption(option, value);
    if (const int err = refusedOption(option)) return err;
    if (!kept_) kept_ = std::make_unique<std::array<std::optional<int>, kSocketOptionCount>>();
    (*kept_)[indexOf(option)] = value;
    return 0;
}

std::optional<int> EngineBase::option(SocketOption option) const {
    if (open_) return appliedOption(option);
    if (!kept_) return std::nullopt;
    return (*kept_)[indexOf(option)];
}

void EngineBase::opened() {
    open_ = true;
    connectPending_ = false;
    if (!kept_) return;
    // From now on the socket holds the values. A failure here was already answered with 0 by setOption,
    // as the option could not be checked against a socket that did not exist.
    const auto kept = std::move(kept_);
    for (int i = 0; i < kSocketOptionCount; ++i) {
        const std::optional<int>& value = (*kept)[static_cast<std::size_t>(i)];
        if (value) (void)applyOption(static_cast<SocketOption>(i), *value);
    }
}

void EngineBase::connectStarted() {
    const bool was = connectPending_;
    connectPending_ = true;
    interestChanged(EngineEvent::ConnectFinished, was);
}

void EngineBase::connectOutcomeTaken() {
    const bool was = connectPending_;
    connectPending_ = false;
    interestChanged(EngineEvent::ConnectFinished, was);
}

int EngineBase::refusedOption(SocketOption) const { return 0; }
bool EngineBase::isReady(EngineEvent) const { return false; }
void EngineBase::interestChanged(EngineEvent, bool) {}

void EngineBase::readinessChanged() {
    SIMSOCK_DEBUG_ASSERT(delivery_ == Delivery::Polled);
    if (queued_ || !open_ || receiver_ == nullptr) return;
    const bool due = (connectPending_ && isReady(EngineEvent::ConnectFinished)) ||
                     (readEnabled_ && isReady(EngineEvent::Readable)) ||
                     (writeEnabled_ && isReady(EngineEvent::Writable));
    if (!due) return;
    queued_ = true;
    if (!token_) token_ = std::make_shared<char>(0);
    std::weak_ptr<char> token = token_;
    loop_.post([this, token] {
        if (!token.expired()) runQueued();
    });
}

void EngineBase::runQueued() {
    queued_ = false;
    if (!open_ || receiver_ == nullptr) return;
    const auto ready = [this](EngineEvent event) { return isReady(event); };
    // Level-triggered: still ready and still enabled means another delivery on a later turn.
    if (deliver(ready) == Outcome::Done) readinessChanged();
}

}  // namespace simsock
