// Connecting: lookup, the address list, per-attempt timers, and completion.
#include <cerrno>

#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {
namespace {

// Qt walks the address list twice before reporting the last error.
constexpr int kAddressListPasses = 2;

bool protocolMatches(const HostAddress& a, NetworkLayerProtocol wanted) {
    return wanted == NetworkLayerProtocol::AnyIPProtocol || a.protocol() == wanted;
}

}  // namespace

void SocketMachine::connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode,
                                  NetworkLayerProtocol proto) {
    using S = SocketState;
    if (state_ == S::ConnectedState || state_ == S::ConnectingState || state_ == S::ClosingState ||
        state_ == S::HostLookupState) {
        setErrorAndEmit(SocketError::OperationError, "Trying to connect while connection is in progress");
        return;
    }
    error_ = SocketError::UnknownSocketError;
    errorString_ = "Unknown error";
    pendingClose_ = abortCalled_ = closeCalled_ = false;
    lastConnectError_.reset();
    readBuffer_.clear();
    writeBuffer_.clear();
    peerName = hostName;
    peerPort = port;
    peerAddress = HostAddress();
    preferredProtocol_ = proto;
    openMode_ = mode;
    const auto gen = ++generation_;
    if (!setState(S::HostLookupState) || gen != generation_ || state_ != S::HostLookupState) return;

    auto alive = alive_;
    if (!proxy.isServed()) {
        // No proxy engine exists: the proxy is as unreachable as a host that is not found.
        backend_.loop().post([this, alive, gen] {
            if (!*alive || gen != generation_ || state_ != SocketState::HostLookupState) return;
            failConnect(SocketError::ProxyNotFoundError, "No proxy engine is available for this proxy type");
        });
        return;
    }
    if (auto literal = HostAddress::parse(hostName)) {
        startConnecting(HostInfo{hostName, {*literal}, HostInfo::Error::NoError, {}});
        return;
    }
    if (auto hit = backend_.resolver().cached(hostName)) {
        startConnecting(*hit);
        return;
    }
    lookupPending_ = true;
    lookupId_ = backend_.resolver().lookupHost(hostName, [this, alive, gen](const HostInfo& info) {
        if (!*alive || gen != generation_) return;
        lookupPending_ = false;
        startConnecting(info);
    });
}

void SocketMachine::startConnecting(const HostInfo& info) {
    if (state_ != SocketState::HostLookupState) return;
    addresses_.clear();
    nextAddress_ = 0;
    for (int pass = 0; pass < kAddressListPasses; ++pass)
        for (const auto& a : info.addresses)
            if (protocolMatches(a, preferredProtocol_)) addresses_.push_back(a);
    if (info.error != HostInfo::Error::NoError || addresses_.empty()) {
        failConnect(SocketError::HostNotFoundError,
                    info.errorString.empty() ? "Host not found" : info.errorString);
        return;
    }
    const auto gen = generation_;
#ifdef SIMSOCK_PLANTED_BUG
    // A deliberate bug for simsock_core_planted only (tests/properties/planted_bug_test.cpp): hostFound
    // before →Connecting. The property tests must catch it; the default build never defines this.
    q_.hostFound.emit();
#endif
    if (!setState(SocketState::ConnectingState) || gen != generation_) return;
    auto alive = alive_;
#ifndef SIMSOCK_PLANTED_BUG
    q_.hostFound.emit();
#endif
    if (!*alive || gen != generation_ || state_ != SocketState::ConnectingState) return;
    connectToNextAddress();
}

void SocketMachine::connectToNextAddress() {
    while (state_ == SocketState::ConnectingState) {
        if (nextAddress_ >= addresses_.size()) {
            auto e = lastConnectError_.value_or(MappedError{SocketError::ConnectionRefusedError, "Connection refused"});
            failConnect(e.error, e.text);
            return;
        }
        const HostAddress host = addresses_[nextAddress_++];
        if (!engineFromBind_) resetEngine();
        engineFromBind_ = false;
        MappedError failure{};
        if (!ensureEngine(host.protocol(), &failure)) {
            lastConnectError_ = failure;
            continue;
        }
        int err = engine_->connect(host, peerPort);
        if (err == 0) {
            connectionEstablished();
            return;
        }
        if (err == EINPROGRESS) {
            auto alive = alive_;
            connectTimer_ = backend_.loop().startTimer(connectTimeoutMs * 1'000'000, [this, alive] {
                if (!*alive) return;
                connectTimer_ = kNoTimer;
                abortConnectionAttempt();
            }, false);
            return;
        }
        lastConnectError_ = mapErrno(Operation::Connect, err);
    }
}

void SocketMachine::connectionNotification() {
    if (state_ != SocketState::ConnectingState || !engine_) return;
    if (connectTimer_ != kNoTimer) backend_.loop().cancelTimer(connectTimer_);
    connectTimer_ = kNoTimer;
    int err = engine_->connectResult();
    if (err == 0) {
        connectionEstablished();
        return;
    }
    lastConnectError_ = mapErrno(Operation::Connect, err);
    connectToNextAddress();
}

void SocketMachine::abortConnectionAttempt() {
    if (state_ != SocketState::ConnectingState) return;
    resetEngine();
    if (nextAddress_ >= addresses_.size()) {
        failConnect(SocketError::SocketTimeoutError, "Connection timed out");
        return;
    }
    connectToNextAddress();
}

void SocketMachine::failConnect(SocketError e, const std::string& text) {
    // The state goes Unconnected before the error, so a handler may reconnect at once.
    resetEngine();
    addresses_.clear();
    setError(e, text);
    if (state_ != SocketState::UnconnectedState && !setState(SocketState::UnconnectedState)) return;
    setErrorAndEmit(e, text);
}

void SocketMachine::connectionEstablished() {
    fetchAddresses();
    addresses_.clear();
    engine_->setReadNotificationEnabled(true);
    if (!writeBuffer_.empty()) engine_->setWriteNotificationEnabled(true);
    const auto gen = generation_;
    if (!setState(SocketState::ConnectedState) || gen != generation_) return;
    if (state_ != SocketState::ConnectedState) return;
    auto alive = alive_;
    q_.connected.emit();
    if (!*alive || gen != generation_) return;
    if (pendingClose_) {
        pendingClose_ = false;
        doDisconnect();
    }
}

void SocketMachine::stopConnecting() {
    if (lookupPending_) backend_.resolver().abortLookup(lookupId_);
    lookupPending_ = false;
    if (connectTimer_ != kNoTimer) backend_.loop().cancelTimer(connectTimer_);
    connectTimer_ = kNoTimer;
    addresses_.clear();
    nextAddress_ = 0;
}

}  // namespace simsock::detail
