#include "socket_machine.h"

#include <cerrno>

#include "simsock/check.h"

namespace simsock::detail {
namespace {

// The legal transitions of the state grammar. setSocketState (a protected Qt API) bypasses this.
[[maybe_unused]] bool legalTransition(SocketState from, SocketState to) {
    using S = SocketState;
    switch (from) {
    case S::UnconnectedState:
        return to == S::HostLookupState || to == S::BoundState || to == S::ConnectedState ||
               to == S::ListeningState || to == S::ConnectingState;
    case S::HostLookupState:
        return to == S::ConnectingState || to == S::UnconnectedState;
    case S::ConnectingState:
        return to == S::ConnectedState || to == S::UnconnectedState;
    case S::ConnectedState:
        return to == S::ClosingState || to == S::UnconnectedState;
    case S::BoundState:
        return to == S::HostLookupState || to == S::ClosingState || to == S::UnconnectedState ||
               to == S::ConnectedState;
    case S::ClosingState:
        return to == S::UnconnectedState;
    case S::ListeningState:
        return to == S::UnconnectedState || to == S::ClosingState;
    }
    return false;
}

}  // namespace

SocketMachine::SocketMachine(AbstractSocket& q, SocketType type, Backend& backend)
    : q_(q), type_(type), backend_(backend) {}

SocketMachine::~SocketMachine() {
    *alive_ = false;
    // Silent teardown: no signal once destruction has begun.
    if (lookupPending_) backend_.resolver().abortLookup(lookupId_);
    if (connectTimer_ != kNoTimer) backend_.loop().cancelTimer(connectTimer_);
    resetEngine();
}

bool SocketMachine::setState(SocketState s) {
    SIMSOCK_DEBUG_ASSERT(legalTransition(state_, s));
    state_ = s;
    auto alive = alive_;
    q_.stateChanged.emit(s);
    return *alive;
}

void SocketMachine::forceState(SocketState s) {
    state_ = s;
    q_.stateChanged.emit(s);
}

void SocketMachine::setError(SocketError e, std::string text) {
    error_ = e;
    errorString_ = std::move(text);
}

bool SocketMachine::setErrorAndEmit(SocketError e, std::string text) {
    setError(e, std::move(text));
    auto alive = alive_;
    q_.errorOccurred.emit(e);
    return *alive;
}

bool SocketMachine::emitReadyRead() {
    // Never nested: bytes that arrive while a handler runs are announced by the next arrival.
    if (emittingReadyRead_) return true;
    emittingReadyRead_ = true;
    auto alive = alive_;
    q_.readyRead.emit();
    if (!*alive) return false;
    emittingReadyRead_ = false;
    return true;
}

bool SocketMachine::emitBytesWritten(std::int64_t n) {
    if (emittingBytesWritten_) return true;
    emittingBytesWritten_ = true;
    auto alive = alive_;
    q_.bytesWritten.emit(n);
    if (!*alive) return false;
    emittingBytesWritten_ = false;
    return true;
}

bool SocketMachine::isValid() const {
    if (!engine_ || !engine_->isValid()) return false;
    return state_ == SocketState::ConnectedState || state_ == SocketState::BoundState ||
           state_ == SocketState::ClosingState || state_ == SocketState::ConnectingState;
}

std::intptr_t SocketMachine::socketDescriptor() const {
    if (!engine_ || !engine_->isValid()) return -1;
    return engine_->descriptor();
}

void SocketMachine::setSocketOption(SocketOption option, int value) {
    // Kept even before an engine socket exists, and applied when it is created (Qt drops these).
    options_[option] = value;
    if (engine_ && engine_->isValid()) engine_->setOption(option, value);
}

std::optional<int> SocketMachine::socketOption(SocketOption option) const {
    if (engine_ && engine_->isValid()) return engine_->option(option);
    auto it = options_.find(option);
    if (it != options_.end()) return it->second;
    return std::nullopt;
}

bool SocketMachine::ensureEngine(NetworkLayerProtocol proto, MappedError* failure) {
    if (engine_ && engine_->isValid()) return true;
    resetEngine();
    engine_ = backend_.createEngine(type_);
    SIMSOCK_ASSERT(engine_ != nullptr);
    engine_->setReceiver(this);
    if (int err = engine_->initialize(proto)) {
        *failure = mapErrno(Operation::Create, err);
        resetEngine();
        return false;
    }
    for (const auto& [option, value] : options_) engine_->setOption(option, value);
    return true;
}

void SocketMachine::fetchAddresses() {
    localAddress = engine_->localAddress();
    localPort = engine_->localPort();
    peerAddress = engine_->peerAddress();
    peerPort = engine_->peerPort();
}

bool SocketMachine::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    if (state_ != SocketState::UnconnectedState) {
        setErrorAndEmit(SocketError::UnknownSocketError, "The socket is already bound");
        return false;
    }
    MappedError failure{};
    NetworkLayerProtocol proto = address.isNull() ? NetworkLayerProtocol::AnyIPProtocol : address.protocol();
    if (!ensureEngine(proto, &failure)) {
        setErrorAndEmit(failure);
        return false;
    }
    if (int err = engine_->bind(address, port, mode)) {
        resetEngine();
        setErrorAndEmit(mapErrno(Operation::Bind, err));
        return false;
    }
    engineFromBind_ = true;
    localAddress = engine_->localAddress();
    localPort = engine_->localPort();
    if (!setState(SocketState::BoundState)) return false;
    // A handler may have closed the socket already.
    if (state_ == SocketState::BoundState && type_ == SocketType::UdpSocket && engine_)
        engine_->setReadNotificationEnabled(true);
    return true;
}

bool SocketMachine::setSocketDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode) {
    stopConnecting();
    resetEngine();
    readBuffer_.clear();
    writeBuffer_.clear();
    engine_ = backend_.createEngine(type_);
    SIMSOCK_ASSERT(engine_ != nullptr);
    engine_->setReceiver(this);
    if (int err = engine_->adoptDescriptor(descriptor)) {
        resetEngine();
        setErrorAndEmit(err == EBADF || err == ENOTSOCK || err == EBUSY
                            ? MappedError{SocketError::UnsupportedSocketOperationError, "Invalid socket descriptor"}
                            : mapErrno(Operation::Create, err));
        return false;
    }
    for (const auto& [option, value] : options_) engine_->setOption(option, value);
    ++generation_;
    openMode_ = mode;
    fetchAddresses();
    if (state == SocketState::ConnectedState || state == SocketState::BoundState)
        engine_->setReadNotificationEnabled(true);
    if (state_ != state) {
        state_ = state;  // adopting skips the grammar: the descriptor arrives in any state
        auto alive = alive_;
        q_.stateChanged.emit(state);
        if (!*alive) return false;
    }
    return true;
}

}  // namespace simsock::detail
