// Blocking use: each waitFor* runs the loop until its condition or its timeout (virtual on the sim).
// The table picks the cell by the state at the call; the state the loop leaves behind is re-checked.
#include <algorithm>

#include "socket_machine.h"

namespace simsock::detail {

using S = SocketState;

std::int64_t SocketMachine::remainingMs(std::int64_t startNs, int msecs) const {
    if (msecs < 0) return -1;
    std::int64_t elapsedMs = (backend_.loop().nowNs() - startNs) / 1'000'000;
    return std::max<std::int64_t>(0, msecs - elapsedMs);
}

template <class Pred>
bool SocketMachine::waitUntil(Pred pred, std::int64_t msecs) {
    const Lifeline::Mark mark = life_.mark();
    // The predicate reads members only while the socket exists.
    backend_.loop().runUntil([&] { return mark.destroyed() || pred(); }, msecs);
    return !mark.destroyed();
}

bool SocketMachine::refuseWait(int) {
    return false;  // nothing to wait for in this state (Qt returns false at once)
}

// Qt requires connectToHost before these two, and says so (the other waits return false silently).
bool SocketMachine::refuseBytesWrittenWait(int) {
    (void)warn("QAbstractSocket::waitForBytesWritten() is not allowed in UnconnectedState");
    return false;
}

bool SocketMachine::refuseDisconnectedWait(int) {
    (void)warn("QAbstractSocket::waitForDisconnected() is not allowed in UnconnectedState");
    return false;
}

bool SocketMachine::alreadyConnected(int) { return true; }

bool SocketMachine::awaitConnected(int msecs) { return awaitConnection(msecs); }

bool SocketMachine::awaitConnection(std::int64_t msecs) {
    if (!waitUntil([this] { return !lookingUpOrConnecting(); }, msecs)) return false;
    if (inState(S::ConnectedState)) return true;
    if (!lookingUpOrConnecting()) return false;
    // Timed out: the attempt is abandoned without an errorOccurred, as Qt does. Through a proxy Qt has
    // already started the next address's attempt by then (a second connection to the proxy, §8).
    if (proxyEngine_ != nullptr && inState(S::ConnectingState) && nextAddress_ < addresses_.size()) {
        const Lifeline::Mark mark = life_.mark();
        connectToNextAddress();
        if (mark.fate() != Fate::Alive || !inState(S::ConnectingState)) return false;
    }
    stopConnecting();
    resetEngine();
    setError(SocketError::SocketTimeoutError, "Socket operation timed out");
    (void)setState(S::UnconnectedState);
    return false;
}

bool SocketMachine::readyReadAfterConnect(int msecs) {
    const auto start = backend_.loop().nowNs();
    return awaitConnection(msecs) && awaitArrival(start, msecs);
}

bool SocketMachine::awaitReadyRead(int msecs) { return awaitArrival(backend_.loop().nowNs(), msecs); }

bool SocketMachine::awaitArrival(std::int64_t startNs, int msecs) {
    const auto seen = arrivals_;
    if (!waitUntil([this, seen] { return arrivals_ != seen || inState(S::UnconnectedState); },
                   remainingMs(startNs, msecs)))
        return false;
    if (arrivals_ != seen) return true;
    if (inState(S::UnconnectedState)) return false;
    (void)setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

bool SocketMachine::bytesWrittenAfterConnect(int msecs) {
    if (channel_->bytesToWrite() == 0) return false;  // nothing buffered (a datagram socket never buffers)
    const auto start = backend_.loop().nowNs();
    return awaitConnection(msecs) && awaitWrite(start, msecs);
}

bool SocketMachine::awaitBytesWritten(int msecs) {
    if (channel_->bytesToWrite() == 0) return false;
    return awaitWrite(backend_.loop().nowNs(), msecs);
}

bool SocketMachine::awaitWrite(std::int64_t startNs, int msecs) {
    const auto done = writesDone_;
    if (!waitUntil([this, done] { return writesDone_ != done || inState(S::UnconnectedState); },
                   remainingMs(startNs, msecs)))
        return false;
    if (writesDone_ != done) return true;
    if (inState(S::UnconnectedState)) return false;
    (void)setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

bool SocketMachine::disconnectedAfterConnect(int msecs) {
    const auto start = backend_.loop().nowNs();
    return awaitConnection(msecs) && awaitUnconnected(start, msecs);
}

bool SocketMachine::awaitDisconnected(int msecs) { return awaitUnconnected(backend_.loop().nowNs(), msecs); }

bool SocketMachine::awaitUnconnected(std::int64_t startNs, int msecs) {
    if (!waitUntil([this] { return inState(S::UnconnectedState); }, remainingMs(startNs, msecs))) return false;
    if (inState(S::UnconnectedState)) return true;
    (void)setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

}  // namespace simsock::detail
