#include "simsock/udp_socket.h"

#include <algorithm>

#include "datagram_channel.h"
#include "socket_machine.h"

namespace simsock {
namespace {

// QUdpSocket's QT_CHECK_BOUND: a socket neither bound nor connected warns (Qt's fixed text, which names
// QUdpSocket) and fails, setting no error (QT-DETAILS §9). True when the call must fail.
bool udpRefusesUnbound(const UdpSocket& s, detail::SocketMachine& m, const char* function) {
    if (s.isValid()) return false;
    detail::SocketMachine::CallScope scope(m, function);
    (void)m.warn(std::string("QUdpSocket::") + function + "() called on a QUdpSocket when not in QUdpSocket::BoundState");
    return true;
}

}  // namespace

// The two probes are const, as in Qt, yet Qt's check prints from them: the warning is the one side effect.
bool UdpSocket::hasPendingDatagrams() const {
    if (udpRefusesUnbound(*this, const_cast<UdpSocket*>(this)->machine(), "hasPendingDatagrams")) return false;
    return machine().hasPendingDatagrams();
}

std::int64_t UdpSocket::pendingDatagramSize() const {
    if (udpRefusesUnbound(*this, const_cast<UdpSocket*>(this)->machine(), "pendingDatagramSize")) return -1;
    return machine().pendingDatagramSize();
}

std::int64_t UdpSocket::readDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port) {
    if (udpRefusesUnbound(*this, machine(), "readDatagram")) return -1;
    detail::SocketMachine::CallScope scope(machine(), "readDatagram");
    return machine().readDatagram(data, maxSize, address, port);
}

NetworkDatagram UdpSocket::receiveDatagram(std::int64_t maxSize) {
    if (udpRefusesUnbound(*this, machine(), "receiveDatagram")) return NetworkDatagram{};
    detail::SocketMachine::CallScope scope(machine(), "receiveDatagram");
    // Without a size and with nothing pending there is nothing to read: an invalid datagram, silently
    // (QT-DETAILS §9); readDatagram would report TemporaryError.
    // Never more than one datagram can hold, whatever maxSize says (it may be up to INT64_MAX).
    const std::int64_t size = maxSize >= 0 ? std::min(maxSize, detail::kMaxDatagramPayload) : machine().pendingDatagramSize();
    if (size < 0) return NetworkDatagram{};
    NetworkDatagram d;
    d.data.resize(static_cast<std::size_t>(size));
    auto n = machine().readDatagram(d.data.data(), size, &d.senderAddress, &d.senderPort);
    if (n < 0) return NetworkDatagram{};
    d.data.resize(static_cast<std::size_t>(n));
    return d;
}

std::int64_t UdpSocket::writeDatagram(const char* data, std::int64_t size, const HostAddress& address,
                                      std::uint16_t port) {
    detail::SocketMachine::CallScope scope(machine(), "writeDatagram");
    return machine().writeDatagram(data, size, address, port);
}

}  // namespace simsock
