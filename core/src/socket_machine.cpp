// The machine's core: construction, emission, options, binding and adopting a descriptor.
#include "socket_machine.h"

#include <cerrno>

#include "datagram_channel.h"
#include "simsock/check.h"
#include "simsock/signal_grammar.h"
#include "stream_channel.h"

namespace simsock::detail {
namespace {

std::unique_ptr<Channel> makeChannel(SocketMachine& m, SocketType type) {
    if (type == SocketType::TcpSocket) return std::make_unique<StreamChannel>(m);
    SIMSOCK_ASSERT_CTX(type == SocketType::UdpSocket, "a socket is TCP or UDP");
    return std::make_unique<DatagramChannel>(m);
}

}  // namespace

SocketMachine::SocketMachine(std::unique_ptr<SignalSink> sink, SocketType type, Backend& backend)
    : sink_(std::move(sink)), type_(type), backend_(backend), channel_(makeChannel(*this, type)) {
    SIMSOCK_ASSERT(sink_ != nullptr);
}

SocketMachine::~SocketMachine() {
    life_.end();
    // Silent teardown: no signal once destruction has begun.
    if (lookupPending_) backend_.resolver().abortLookup(lookupId_);
    if (connectTimer_ != kNoTimer) backend_.loop().cancelTimer(connectTimer_);
    resetEngine();
}

Fate SocketMachine::setState(SocketState s) {
    // Always on: the machine never takes a step the grammar does not allow, whatever the build type.
    SIMSOCK_ASSERT_STATE(legalTransition(state_, s), state_);
    state_ = s;
    return emit(&SignalSink::emitStateChanged, s);
}

void SocketMachine::forceState(SocketState s) {
    state_ = s;  // setSocketState bypasses the grammar (see the declaration)
    (void)emit(&SignalSink::emitStateChanged, s);
}

Fate SocketMachine::warnDevice(const char* function, const char* what) {
    return warn(std::string("QIODevice::") + function + " (" + channel_->className() + "): " + what);
}

void SocketMachine::setError(SocketError e, std::string text) {
    error_ = e;
    errorString_ = std::move(text);
}

Fate SocketMachine::setErrorAndEmit(SocketError e, std::string text) {
    setError(e, std::move(text));
    return emit(&SignalSink::emitErrorOccurred, e);
}

Fate SocketMachine::emitReadyRead() {
    if (emittingReadyRead_) return Fate::Alive;  // never nested
    emittingReadyRead_ = true;
    const Fate f = emit(&SignalSink::emitReadyRead);
    if (f != Fate::Destroyed) emittingReadyRead_ = false;
    return f;
}

Fate SocketMachine::emitBytesWritten(std::int64_t n) {
    if (emittingBytesWritten_) return Fate::Alive;  // never nested
    emittingBytesWritten_ = true;
    const Fate f = emit(&SignalSink::emitBytesWritten, n);
    if (f != Fate::Destroyed) emittingBytesWritten_ = false;
    return f;
}

bool SocketMachine::isValid() const {
    return engine_ && engine_->isValid() && hasUsableState();
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
    if (activeProxy_ && !channel_->carriesDatagrams()) {
        auto engine = std::make_unique<ProxyEngine>(backend_, *activeProxy_, *this);
        proxyEngine_ = engine.get();
        engine_ = std::move(engine);
    } else {
        engine_ = backend_.createEngine(type_);
    }
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

bool SocketMachine::rejectBind(const HostAddress&, std::uint16_t, BindMode) {
    (void)setErrorAndEmit(SocketError::UnknownSocketError, "The socket is already bound");
    return false;
}

bool SocketMachine::bindUnconnected(const HostAddress& address, std::uint16_t port, BindMode mode) {
    if (auto proxied = bindThroughProxy(address, port, mode)) return *proxied;
    MappedError failure{};
    NetworkLayerProtocol proto = address.isNull() ? NetworkLayerProtocol::AnyIPProtocol : address.protocol();
    if (!ensureEngine(proto, &failure)) {
        (void)setErrorAndEmit(failure);
        return false;
    }
    return bindEngine(address, port, mode, channel_->carriesDatagrams());
}

bool SocketMachine::bindEngine(const HostAddress& address, std::uint16_t port, BindMode mode,
                               bool unboundAfterFailure) {
    if (int err = engine_->bind(address, port, mode)) {
        resetEngine();
        unboundAfterFailedBind_ = unboundAfterFailure;
        (void)setErrorAndEmit(mapErrno(Operation::Bind, err));
        return false;
    }
    engineFromBind_ = true;
    localAddress = engine_->localAddress();
    localPort = engine_->localPort();
    if (setState(SocketState::BoundState) == Fate::Destroyed) return false;
    // A handler may have closed the socket already.
    if (inState(SocketState::BoundState) && engine_) channel_->bound();
    return true;
}

bool SocketMachine::adoptDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode) {
    stopConnecting();
    resetEngine();
    channel_->readBuffer().clear();
    channel_->discardPendingWrites();
    engine_ = backend_.createEngine(type_);
    SIMSOCK_ASSERT(engine_ != nullptr);
    engine_->setReceiver(this);
    if (int err = engine_->adoptDescriptor(descriptor)) {
        resetEngine();
        (void)setErrorAndEmit(err == EBADF || err == ENOTSOCK || err == EBUSY
                                  ? MappedError{SocketError::UnsupportedSocketOperationError, "Invalid socket descriptor"}
                                  : mapErrno(Operation::Create, err));
        return false;
    }
    for (const auto& [option, value] : options_) engine_->setOption(option, value);
    life_.supersede();
    openMode_ = mode;
    fetchAddresses();
    if (state == SocketState::ConnectedState || state == SocketState::BoundState)
        engine_->setReadNotificationEnabled(true);
    if (inState(state)) return true;
    state_ = state;  // adopting bypasses the grammar on purpose: the descriptor arrives in any state
    return emit(&SignalSink::emitStateChanged, state) != Fate::Destroyed;
}

}  // namespace simsock::detail
