// Closing: disconnectFromHost, abort, close, and the engine's release.
#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {

using S = SocketState;

void SocketMachine::resetEngine() {
    engineFromBind_ = false;
    proxyEngine_ = nullptr;
    unboundAfterFailedBind_ = false;
    if (!engine_) return;
    engine_->setReceiver(nullptr);
    engine_->close();
    // The engine may be the one whose notification is running right now: free it from the loop.
    backend_.loop().deleteLater(std::move(engine_));
}

Fate SocketMachine::ignoreDisconnect() {
    return Fate::Alive;  // Unconnected: nothing to close (Qt's disconnectFromHost is a no-op here)
}

Fate SocketMachine::deferDisconnect() {
    if (abortCalled_) return closeNow();
    pendingClose_ = true;  // the connect completes first, then the socket closes
    return Fate::Alive;
}

Fate SocketMachine::closeNow() {
    if (engine_) engine_->setReadNotificationEnabled(false);
    stopConnecting();
    return finishDisconnect();
}

Fate SocketMachine::beginClosing() {
    if (abortCalled_) return closeNow();
    if (engine_) engine_->setReadNotificationEnabled(false);
    const Fate f = setState(S::ClosingState);
    if (f != Fate::Alive || !inState(S::ClosingState)) return f;
    return drainThenFinish();
}

Fate SocketMachine::continueClosing() {
    if (abortCalled_) return closeNow();
    if (engine_) engine_->setReadNotificationEnabled(false);
    return drainThenFinish();
}

Fate SocketMachine::drainThenFinish() {
    if (channel_->drainBeforeClose()) return Fate::Alive;  // finishDisconnect runs once the buffer drains
    return finishDisconnect();
}

Fate SocketMachine::finishDisconnect() {
    const S previous = state_;
    life_.supersede();
    const Lifeline::Mark mark = life_.mark();  // spans the emissions below: did a handler reconnect?
    stopConnecting();
    resetEngine();
    pendingClose_ = false;
    if (setState(S::UnconnectedState) == Fate::Destroyed) return Fate::Destroyed;
    if (emit(&SignalSink::emitReadChannelFinished) == Fate::Destroyed) return Fate::Destroyed;
    if (previous == S::ConnectedState || previous == S::ClosingState) {
        if (emit(&SignalSink::emitDisconnected) == Fate::Destroyed) return Fate::Destroyed;
    }
    if (mark.fate() != Fate::Alive) return Fate::Superseded;  // a handler started a new connection
    localPort = peerPort = 0;
    localAddress = peerAddress = HostAddress();
    peerName.clear();
    // Nothing can be written once unconnected (Qt drops its write channel here); what was read stays
    // readable unless the device itself was closed.
    channel_->discardPendingWrites();
    if (closeCalled_) {
        channel_->readBuffer().clear();
        openMode_ = OpenMode();
        closeCalled_ = false;
    }
    return Fate::Alive;
}

Fate SocketMachine::closeDevice() {
    const Lifeline::Mark mark = life_.mark();  // spans aboutToClose and the disconnect
    unboundAfterFailedBind_ = false;  // Qt's close resets the socket layer, the unbound engine too
    if (isOpen()) {
        if (emit(&SignalSink::emitAboutToClose) == Fate::Destroyed) return Fate::Destroyed;
        openMode_ = OpenMode();
        channel_->readBuffer().clear();
    }
    if (release() == Fate::Destroyed) return Fate::Destroyed;
    // A new connection (begun by a handler) keeps its addresses; the closed one's go.
    if (mark.fate() != Fate::Alive && !inState(S::UnconnectedState)) return Fate::Superseded;
    localPort = peerPort = 0;
    localAddress = peerAddress = HostAddress();
    peerName.clear();
    return Fate::Alive;
}

Fate SocketMachine::keepUnconnected() {
    return Fate::Alive;  // close() on an unconnected socket closes the device part only
}

Fate SocketMachine::releaseConnection() {
    closeCalled_ = true;
    return disconnect();
}

Fate SocketMachine::abortDevice() {
    abortCalled_ = true;
    channel_->discardPendingWrites();  // pending data is discarded: the peer receives nothing of it
    const Fate f = closeDevice();
    if (f != Fate::Destroyed) abortCalled_ = false;
    return f;
}

}  // namespace simsock::detail
