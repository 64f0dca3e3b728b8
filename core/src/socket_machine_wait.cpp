// Blocking use: each waitFor* runs the loop until its condition or its timeout (virtual on the sim).
#include "socket_machine.h"

namespace simsock::detail {

std::int64_t SocketMachine::remainingMs(std::int64_t startNs, int msecs) const {
    if (msecs < 0) return -1;
    std::int64_t elapsedMs = (backend_.loop().nowNs() - startNs) / 1'000'000;
    return std::max<std::int64_t>(0, msecs - elapsedMs);
}

bool SocketMachine::waitUntil(const std::function<bool()>& pred, std::int64_t msecs) {
    auto alive = alive_;
    // The predicate reads members only while the socket exists.
    backend_.loop().runUntil([&] { return !*alive || pred(); }, msecs);
    return *alive;
}

bool SocketMachine::waitForConnectedInternal(std::int64_t msecs) {
    using S = SocketState;
    if (state_ == S::ConnectedState) return true;
    if (state_ != S::HostLookupState && state_ != S::ConnectingState) return false;
    if (!waitUntil([this] { return state_ != S::HostLookupState && state_ != S::ConnectingState; }, msecs))
        return false;
    if (state_ == S::ConnectedState) return true;
    if (state_ != S::HostLookupState && state_ != S::ConnectingState) return false;
    // Timed out: the attempt is abandoned without an errorOccurred, as Qt does.
    stopConnecting();
    resetEngine();
    setError(SocketError::SocketTimeoutError, "Socket operation timed out");
    setState(S::UnconnectedState);
    return false;
}

bool SocketMachine::waitForConnected(int msecs) { return waitForConnectedInternal(msecs); }

bool SocketMachine::waitForReadyRead(int msecs) {
    using S = SocketState;
    if (state_ == S::UnconnectedState) return false;
    const auto start = backend_.loop().nowNs();
    if ((state_ == S::HostLookupState || state_ == S::ConnectingState) && !waitForConnectedInternal(msecs))
        return false;
    const auto seen = arrivals_;
    if (!waitUntil([this, seen] { return arrivals_ != seen || state_ == S::UnconnectedState; },
                   remainingMs(start, msecs)))
        return false;
    if (arrivals_ != seen) return true;
    if (state_ == S::UnconnectedState) return false;
    setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

bool SocketMachine::waitForBytesWritten(int msecs) {
    using S = SocketState;
    if (type_ != SocketType::TcpSocket || writeBuffer_.empty() || state_ == S::UnconnectedState) return false;
    const auto start = backend_.loop().nowNs();
    if ((state_ == S::HostLookupState || state_ == S::ConnectingState) && !waitForConnectedInternal(msecs))
        return false;
    const auto done = writesDone_;
    if (!waitUntil([this, done] { return writesDone_ != done || state_ == S::UnconnectedState; },
                   remainingMs(start, msecs)))
        return false;
    if (writesDone_ != done) return true;
    if (state_ == S::UnconnectedState) return false;
    setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

bool SocketMachine::waitForDisconnected(int msecs) {
    using S = SocketState;
    if (state_ == S::UnconnectedState) return false;
    const auto start = backend_.loop().nowNs();
    if ((state_ == S::HostLookupState || state_ == S::ConnectingState) && !waitForConnectedInternal(msecs))
        return false;
    if (!waitUntil([this] { return state_ == S::UnconnectedState; }, remainingMs(start, msecs))) return false;
    if (state_ == S::UnconnectedState) return true;
    setErrorAndEmit(SocketError::SocketTimeoutError, "Socket operation timed out");
    return false;
}

}  // namespace simsock::detail
