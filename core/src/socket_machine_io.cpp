// Moving bytes: engine notifications, the read and write buffers, and datagrams.
#include <cerrno>
#include <vector>

#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {
namespace {
constexpr std::int64_t kReadChunk = 64 * 1024;
// A bound on reads per notification, so one busy connection cannot starve the loop.
constexpr int kMaxReadsPerNotification = 64;
}

// ---- Incoming ----

void SocketMachine::readNotification() {
    if (!engine_) return;
    if (type_ == SocketType::UdpSocket) {
        udpReadNotification();
        return;
    }
    if (readBufferMaxSize_ > 0 && readBuffer_.size() >= readBufferMaxSize_) {
        engine_->setReadNotificationEnabled(false);  // resumes when the application reads
        return;
    }
    const auto before = readBuffer_.size();
    switch (readFromEngine()) {
    case ReadOutcome::Destroyed:
        return;
    case ReadOutcome::Closed:
        doDisconnect();
        return;
    case ReadOutcome::Ok:
        break;
    }
    if (readBuffer_.size() == before) return;
    ++arrivals_;
    emitReadyRead();
}

SocketMachine::ReadOutcome SocketMachine::readFromEngine() {
    // Reads until a short read instead of asking FIONREAD first: the same bytes per notification as
    // "read what is available", one system call fewer per message on a real engine. No user code runs
    // in this loop, so one scratch buffer per thread serves every socket.
    thread_local std::vector<char> scratch(static_cast<std::size_t>(kReadChunk));
    bool gotData = false;
    for (int i = 0; i < kMaxReadsPerNotification; ++i) {
        std::int64_t room = kReadChunk;
        if (readBufferMaxSize_ > 0) room = std::min(room, readBufferMaxSize_ - readBuffer_.size());
        if (room <= 0) break;
        IoResult r = engine_->read(scratch.data(), static_cast<std::size_t>(room));
        if (r.bytes > 0) {
            readBuffer_.append(scratch.data(), static_cast<std::size_t>(r.bytes));
            gotData = true;
            if (r.bytes < room) break;
            continue;
        }
        // An end of stream or error behind data is reported again by the next notification.
        if (gotData || r.error == EAGAIN || r.error == EWOULDBLOCK || (!r.eof && r.error == 0)) break;
        MappedError e = r.eof ? MappedError{SocketError::RemoteHostClosedError, "The remote host closed the connection"}
                              : mapErrno(Operation::Read, r.error);
        const auto gen = generation_;
        if (!setErrorAndEmit(e)) return ReadOutcome::Destroyed;
        if (gen != generation_) return ReadOutcome::Destroyed;  // a handler reconnected: leave it be
        resetEngine();
        return ReadOutcome::Closed;
    }
    return ReadOutcome::Ok;
}

void SocketMachine::udpReadNotification() {
    // Unbuffered: announce the datagram and wait until the application reads it.
    engine_->setReadNotificationEnabled(false);
    ++arrivals_;
    emitReadyRead();
}

void SocketMachine::resumeReading() {
    if (engine_ && engine_->isValid() && !engine_->isReadNotificationEnabled() &&
        (state_ == SocketState::ConnectedState || state_ == SocketState::BoundState))
        engine_->setReadNotificationEnabled(true);
}

void SocketMachine::setReadBufferSize(std::int64_t size) {
    if (type_ == SocketType::UdpSocket) return;  // UDP does not buffer
    readBufferMaxSize_ = size < 0 ? 0 : size;
    if (readBufferMaxSize_ == 0 || readBuffer_.size() < readBufferMaxSize_) resumeReading();
}

std::int64_t SocketMachine::bytesAvailable() const {
    if (type_ == SocketType::UdpSocket) return engine_ && engine_->isValid() ? engine_->bytesAvailable() : 0;
    return readBuffer_.size();
}

std::int64_t SocketMachine::read(char* data, std::int64_t maxSize) {
    if (!isOpen() || !openMode_.testFlag(OpenModeFlag::ReadOnly) || maxSize < 0) return -1;
    if (type_ == SocketType::UdpSocket) {
        if (!engine_ || !engine_->isValid()) return -1;
        IoResult r = engine_->read(data, static_cast<std::size_t>(maxSize));
        resumeReading();
        if (r.error == EAGAIN) return 0;
        if (r.error) {
            setErrorAndEmit(mapErrno(Operation::ReadDatagram, r.error));
            return -1;
        }
        return r.bytes;
    }
    if (readBuffer_.empty()) return state_ == SocketState::ConnectedState || maxSize == 0 ? 0 : -1;
    auto n = readBuffer_.read(data, maxSize);
    resumeReading();
    return n;
}

std::int64_t SocketMachine::peek(char* data, std::int64_t maxSize) const {
    if (!isOpen() || maxSize < 0) return -1;
    return readBuffer_.peek(data, maxSize);
}

std::int64_t SocketMachine::readLine(char* data, std::int64_t maxSize) {
    if (!isOpen() || maxSize < 0) return -1;
    auto nl = readBuffer_.indexOf('\n', maxSize);
    auto take = nl >= 0 ? nl + 1 : std::min(maxSize, readBuffer_.size());
    if (take == 0) return readBuffer_.empty() && state_ != SocketState::ConnectedState ? -1 : 0;
    auto n = readBuffer_.read(data, take);
    resumeReading();
    return n;
}

bool SocketMachine::canReadLine() const { return readBuffer_.indexOf('\n', readBuffer_.size()) >= 0; }

void SocketMachine::ungetChar(char c) {
    if (isOpen()) readBuffer_.prepend(c);
}

// ---- Outgoing ----

std::int64_t SocketMachine::write(const char* data, std::int64_t size) {
    if (!isOpen() || !openMode_.testFlag(OpenModeFlag::WriteOnly) || size < 0) return -1;
    if (state_ == SocketState::UnconnectedState) {
        setError(SocketError::UnknownSocketError, "Socket is not connected");
        return -1;
    }
    if (type_ == SocketType::UdpSocket) {
        if (!engine_ || state_ != SocketState::ConnectedState) return -1;
        IoResult r = engine_->write(data, static_cast<std::size_t>(size));
        if (r.error) {
            setErrorAndEmit(mapErrno(Operation::WriteDatagram, r.error));
            return -1;
        }
        ++writesDone_;
        emitBytesWritten(r.bytes);
        return r.bytes;
    }
    writeBuffer_.append(data, static_cast<std::size_t>(size));
    if (engine_ && engine_->isValid() &&
        (state_ == SocketState::ConnectedState || state_ == SocketState::ClosingState))
        engine_->setWriteNotificationEnabled(true);
    return size;
}

void SocketMachine::writeNotification() {
    if (!engine_) return;
    writeToEngine();
}

bool SocketMachine::writeToEngine() {
    if (!engine_ || !engine_->isValid() || type_ != SocketType::TcpSocket) return false;
    if (state_ != SocketState::ConnectedState && state_ != SocketState::ClosingState) return false;
    std::int64_t written = 0;
    if (!writeBuffer_.empty()) {
        IoResult r = engine_->write(writeBuffer_.data(), static_cast<std::size_t>(writeBuffer_.size()));
        if (r.error && r.error != EAGAIN && r.error != EWOULDBLOCK) {
            auto alive = alive_;
            // An unexpected write failure aborts (no Closing): err, aboutToClose, ->Unconnected, ...
            if (!setErrorAndEmit(mapErrno(Operation::Write, r.error))) return false;
            doAbort();
            return false;
        }
        written = r.bytes;
        writeBuffer_.consume(written);
    }
    if (writeBuffer_.empty() && engine_) engine_->setWriteNotificationEnabled(false);
    if (written > 0) {
        ++writesDone_;
        auto alive = alive_;
        if (!emitBytesWritten(written)) return true;
        if (!*alive) return true;
    }
    if (state_ == SocketState::ClosingState) doDisconnect();
    return written > 0;
}

bool SocketMachine::flush() { return writeToEngine(); }

// ---- Datagrams ----

bool SocketMachine::hasPendingDatagrams() const {
    return engine_ && engine_->isValid() && engine_->hasPendingDatagrams();
}

std::int64_t SocketMachine::pendingDatagramSize() const {
    return engine_ && engine_->isValid() ? engine_->pendingDatagramSize() : -1;
}

std::int64_t SocketMachine::readDatagram(char* data, std::int64_t maxSize, HostAddress* address,
                                         std::uint16_t* port) {
    if (!engine_ || !engine_->isValid() ||
        (state_ != SocketState::BoundState && state_ != SocketState::ConnectedState)) {
        setError(SocketError::OperationError, "Unable to receive a datagram: the socket is not bound");
        return -1;
    }
    DatagramHeader header;
    IoResult r = engine_->readDatagram(data, static_cast<std::size_t>(std::max<std::int64_t>(maxSize, 0)), &header);
    resumeReading();
    if (r.error) {
        setErrorAndEmit(mapErrno(Operation::ReadDatagram, r.error));
        return -1;
    }
    if (address) *address = header.senderAddress;
    if (port) *port = header.senderPort;
    return r.bytes;
}

std::int64_t SocketMachine::writeDatagram(const char* data, std::int64_t size, const HostAddress& address,
                                          std::uint16_t port) {
    if (type_ != SocketType::UdpSocket || size < 0) return -1;
    if (state_ == SocketState::UnconnectedState && !bind(HostAddress::SpecialAddress::Any, 0, BindMode()))
        return -1;
    if (!engine_ || !engine_->isValid()) return -1;
    IoResult r = engine_->writeDatagram(data, static_cast<std::size_t>(size), address, port);
    if (r.error) {
        setErrorAndEmit(r.error == EAGAIN ? MappedError{SocketError::TemporaryError, "Unable to send a datagram"}
                                          : mapErrno(Operation::WriteDatagram, r.error));
        return -1;
    }
    ++writesDone_;
    emitBytesWritten(r.bytes);
    return r.bytes;
}

}  // namespace simsock::detail
