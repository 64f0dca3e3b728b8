// Data calls: the table's read, write and datagram cells, and the device part (peek, readLine,
// ungetChar). How bytes move is the channel's business; the cells say what the state allows.
#include <algorithm>

#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {

// ---- Reading ----

std::int64_t SocketMachine::readOpen(char* data, std::int64_t maxSize) { return channel_->read(data, maxSize, true); }

std::int64_t SocketMachine::readEnded(char* data, std::int64_t maxSize) {
    return channel_->read(data, maxSize, false);  // an empty buffer is the end: nothing more will come
}

std::int64_t SocketMachine::readLineOpen(char* data, std::int64_t maxSize) { return readLineFrom(data, maxSize, true); }

std::int64_t SocketMachine::readLineEnded(char* data, std::int64_t maxSize) {
    return readLineFrom(data, maxSize, false);
}

std::int64_t SocketMachine::readLineFrom(char* data, std::int64_t maxSize, bool more) {
    // As QIODevice: the last byte of data is kept for a terminating '\0', so at most maxSize - 1 bytes
    // are taken and a maxSize below 2 is refused (QT-DETAILS.md §1).
    if (maxSize < 2) return -1;
    ByteQueue& buffer = channel_->readBuffer();
    auto nl = buffer.indexOf('\n', maxSize - 1);
    auto take = nl >= 0 ? nl + 1 : std::min(maxSize - 1, buffer.size());
    data[take] = '\0';
    if (take == 0) return buffer.empty() && !more ? -1 : 0;
    auto n = buffer.read(data, take);
    if (buffer.empty()) resumeReading();  // a partial line read does not resume a stopped reader (§2)
    return n;
}

std::int64_t SocketMachine::peek(char* data, std::int64_t maxSize) const {
    if (!isOpen() || maxSize < 0) return -1;
    const ByteQueue& buffer = channel_->readBuffer();
    // As read: an empty buffer is the end unless connected (QT-DETAILS.md §1).
    if (buffer.empty() && maxSize > 0 && state_ != SocketState::ConnectedState) return -1;
    return buffer.peek(data, maxSize);
}

bool SocketMachine::canReadLine() const {
    const ByteQueue& buffer = channel_->readBuffer();
    return buffer.indexOf('\n', buffer.size()) >= 0;
}

void SocketMachine::ungetChar(char c) {
    if (isOpen()) channel_->readBuffer().prepend(c);
}

void SocketMachine::resumeReading() {
    if (engine_ && engine_->isValid() && !engine_->isReadNotificationEnabled() && readsFlow())
        engine_->setReadNotificationEnabled(true);
}

void SocketMachine::channelReadable() { channel_->readNotification(); }

// ---- Writing ----

std::int64_t SocketMachine::writeUnconnected(const char*, std::int64_t) {
    setError(SocketError::UnknownSocketError, "Socket is not connected");
    return -1;
}

std::int64_t SocketMachine::writeEstablishing(const char* data, std::int64_t size) {
    return channel_->write(data, size, Link::Establishing);
}

std::int64_t SocketMachine::writeConnected(const char* data, std::int64_t size) {
    return channel_->write(data, size, Link::Up);
}

std::int64_t SocketMachine::writeClosing(const char* data, std::int64_t size) {
    return channel_->write(data, size, Link::Closing);
}

bool SocketMachine::flushConnection() { return channel_->flush(); }

bool SocketMachine::flushNothing() {
    return false;  // no connection to write to: bytes stay buffered until one is up
}

void SocketMachine::channelWritable() { (void)channel_->flush(); }

// ---- Datagrams ----

bool SocketMachine::hasPendingDatagrams() const {
    return engine_ && engine_->isValid() && engine_->hasPendingDatagrams();
}

std::int64_t SocketMachine::pendingDatagramSize() const {
    return engine_ && engine_->isValid() ? engine_->pendingDatagramSize() : -1;
}

std::int64_t SocketMachine::receiveDatagram(char* data, std::int64_t maxSize, HostAddress* address,
                                            std::uint16_t* port) {
    if (!engine_ || !engine_->isValid()) return refuseDatagram(data, maxSize, address, port);
    return channel_->readDatagram(data, maxSize, address, port);
}

std::int64_t SocketMachine::refuseDatagram(char*, std::int64_t, HostAddress*, std::uint16_t*) {
    setError(SocketError::OperationError, "Unable to receive a datagram: the socket is not bound");
    return -1;
}

std::int64_t SocketMachine::sendDatagramUnbound(const char* data, std::int64_t size, const HostAddress& a,
                                                std::uint16_t port) {
    if (auto proxied = sendDatagramThroughProxy(data, size, a, port)) return *proxied;
    return channel_->writeDatagram(data, size, a, port, true);
}

std::int64_t SocketMachine::sendDatagram(const char* data, std::int64_t size, const HostAddress& a,
                                         std::uint16_t port) {
    return channel_->writeDatagram(data, size, a, port, false);
}

}  // namespace simsock::detail
