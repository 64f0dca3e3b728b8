// QTcpSocket: an AbstractSocket of type TcpSocket.
#pragma once

#include "simsock/abstract_socket.h"

namespace simsock {

class TcpSocket : public AbstractSocket {
public:
    /// A TCP socket on backend (which must outlive it).
    explicit TcpSocket(Backend& backend) : AbstractSocket(SocketType::TcpSocket, backend) {}
};

}  // namespace simsock
