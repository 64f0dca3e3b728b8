#include "datagram_channel.h"

#include <algorithm>
#include <cerrno>

#include "socket_machine.h"

namespace simsock::detail {

void DatagramChannel::readNotification() {
    // Unbuffered: announce the datagram and wait until the application reads it.
    m_.engine_->setReadNotificationEnabled(false);
    ++m_.arrivals_;
    (void)m_.emitReadyRead();
}

void DatagramChannel::bound() { m_.engine_->setReadNotificationEnabled(true); }

std::int64_t DatagramChannel::bytesAvailable() const {
    return m_.engine_ && m_.engine_->isValid() ? m_.engine_->bytesAvailable() : 0;
}

std::int64_t DatagramChannel::read(char* data, std::int64_t maxSize, bool) {
    if (!m_.engine_ || !m_.engine_->isValid()) return -1;
    IoResult r = m_.engine_->read(data, static_cast<std::size_t>(maxSize));
    m_.resumeReading();
    if (r.error == EAGAIN) return 0;
    if (r.error) {
        (void)m_.setErrorAndEmit(mapErrno(Operation::ReadDatagram, r.error));
        return -1;
    }
    return r.bytes;
}

std::int64_t DatagramChannel::write(const char* data, std::int64_t size, Link link) {
    if (!m_.engine_ || link != Link::Up) return -1;
    IoResult r = m_.engine_->write(data, static_cast<std::size_t>(size));
    // A connected UDP socket gets the ICMP port unreachable of an earlier datagram on its next send (Linux
    // queues it as ECONNREFUSED); Qt swallows it: -1, no signal, error() unchanged (SEMANTICS.md, UDP).
    if (r.error == ECONNREFUSED) return -1;
    if (r.error) {
        (void)m_.setErrorAndEmit(mapErrno(Operation::WriteDatagram, r.error));
        return -1;
    }
    ++m_.writesDone_;
    (void)m_.emitBytesWritten(r.bytes);
    return r.bytes;
}

std::int64_t DatagramChannel::readDatagram(char* data, std::int64_t maxSize, HostAddress* address,
                                           std::uint16_t* port) {
    DatagramHeader header;
    IoResult r = m_.engine_->readDatagram(data, static_cast<std::size_t>(std::max<std::int64_t>(maxSize, 0)), &header);
    m_.resumeReading();
    if (r.error) {
        (void)m_.setErrorAndEmit(mapErrno(Operation::ReadDatagram, r.error));
        return -1;
    }
    if (address) *address = header.senderAddress;
    if (port) *port = header.senderPort;
    return r.bytes;
}

std::int64_t DatagramChannel::writeDatagram(const char* data, std::int64_t size, const HostAddress& address,
                                            std::uint16_t port, bool bindFirst) {
    if (size < 0) return -1;
    if (bindFirst && !m_.bind(HostAddress::SpecialAddress::Any, 0, BindMode())) return -1;
    if (!m_.engine_ || !m_.engine_->isValid()) return -1;
    IoResult r = m_.engine_->writeDatagram(data, static_cast<std::size_t>(size), address, port);
    if (r.error) {
        (void)m_.setErrorAndEmit(r.error == EAGAIN ? MappedError{SocketError::TemporaryError, "Unable to send a datagram"}
                                                   : mapErrno(Operation::WriteDatagram, r.error));
        return -1;
    }
    ++m_.writesDone_;
    (void)m_.emitBytesWritten(r.bytes);
    return r.bytes;
}

}  // namespace simsock::detail
