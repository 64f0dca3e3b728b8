// Closing: disconnectFromHost, abort, close, and the engine's release.
#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {

void SocketMachine::resetEngine() {
    engineFromBind_ = false;
    if (!engine_) return;
    engine_->setReceiver(nullptr);
    engine_->close();
    // The engine may be the one whose notification is running right now: free it from the loop.
    backend_.loop().deleteLater(std::move(engine_));
}

void SocketMachine::disconnectFromHost() { doDisconnect(); }

void SocketMachine::doDisconnect() {
    using S = SocketState;
    if (state_ == S::UnconnectedState) return;
    if (!abortCalled_ && (state_ == S::ConnectingState || state_ == S::HostLookupState)) {
        pendingClose_ = true;  // the connect completes first, then the socket closes
        return;
    }
    if (engine_) engine_->setReadNotificationEnabled(false);
    if (abortCalled_) {
        stopConnecting();
    } else {
        if (state_ != S::ClosingState) {
            const auto gen = generation_;
            if (!setState(S::ClosingState) || gen != generation_ || state_ != S::ClosingState) return;
        }
        if (engine_ && engine_->isValid() && !writeBuffer_.empty()) {
            engine_->setWriteNotificationEnabled(true);
            return;  // finishDisconnect runs once the buffer drains
        }
    }
    finishDisconnect();
}

void SocketMachine::finishDisconnect() {
    using S = SocketState;
    const S previous = state_;
    const auto gen = ++generation_;
    stopConnecting();
    resetEngine();
    pendingClose_ = false;
    auto alive = alive_;
    if (!setState(S::UnconnectedState)) return;
    q_.readChannelFinished.emit();
    if (!*alive) return;
    if (previous == S::ConnectedState || previous == S::ClosingState) {
        q_.disconnected.emit();
        if (!*alive) return;
    }
    if (gen != generation_) return;  // a handler started a new connection: leave it alone
    localPort = peerPort = 0;
    localAddress = peerAddress = HostAddress();
    peerName.clear();
    // Nothing can be written once unconnected (Qt drops its write channel here); what was read stays
    // readable unless the device itself was closed.
    writeBuffer_.clear();
    if (closeCalled_) {
        readBuffer_.clear();
        openMode_ = OpenMode();
        closeCalled_ = false;
    }
}

void SocketMachine::doClose() {
    auto alive = alive_;
    const auto gen = generation_;
    if (isOpen()) {
        q_.aboutToClose.emit();
        if (!*alive) return;
        openMode_ = OpenMode();
        readBuffer_.clear();
    }
    if (state_ != SocketState::UnconnectedState) {
        closeCalled_ = true;
        doDisconnect();
        if (!*alive) return;
    }
    if (gen != generation_ && state_ != SocketState::UnconnectedState) return;
    localPort = peerPort = 0;
    localAddress = peerAddress = HostAddress();
    peerName.clear();
}

void SocketMachine::close() { doClose(); }

void SocketMachine::doAbort() {
    auto alive = alive_;
    abortCalled_ = true;
    writeBuffer_.clear();  // pending data is discarded: the peer receives nothing of it
    doClose();
    if (*alive) abortCalled_ = false;
}

void SocketMachine::abort() { doAbort(); }

}  // namespace simsock::detail
