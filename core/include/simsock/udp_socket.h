// QUdpSocket: an AbstractSocket of type UdpSocket, plus datagram I/O.
#pragma once

#include <string>

#include "simsock/abstract_socket.h"

namespace simsock {

/// A received datagram with its sender.
struct NetworkDatagram {
    std::string data;
    HostAddress senderAddress;
    std::uint16_t senderPort = 0;
    bool isValid() const { return !senderAddress.isNull(); }
};

class UdpSocket : public AbstractSocket {
public:
    /// A UDP socket on backend (which must outlive it).
    explicit UdpSocket(Backend& backend) : AbstractSocket(SocketType::UdpSocket, backend) {}

    /// True when at least one datagram is waiting.
    bool hasPendingDatagrams() const;
    /// Size of the next datagram, or -1.
    std::int64_t pendingDatagramSize() const;
    /// Reads one datagram (truncated to maxSize); -1 and TemporaryError when none is pending.
    std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address = nullptr,
                              std::uint16_t* port = nullptr);
    /// Reads one datagram (truncated to maxSize when it is 0 or more); an invalid datagram when none is
    /// pending (silently when maxSize is -1; otherwise with readDatagram's TemporaryError).
    NetworkDatagram receiveDatagram(std::int64_t maxSize = -1);
    /// Sends one datagram, binding the socket first if it is unbound. Bytes sent, or -1.
    std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address, std::uint16_t port);
    std::int64_t writeDatagram(std::string_view data, const HostAddress& address, std::uint16_t port) {
        return writeDatagram(data.data(), static_cast<std::int64_t>(data.size()), address, port);
    }
};

}  // namespace simsock
