#include "error_mapping.h"

#include <cerrno>
#include <cstring>

namespace simsock::detail {
namespace {

MappedError common(int err) {
    switch (err) {
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
        return {SocketError::SocketResourceError, "Insufficient resources: " + std::string(std::strerror(err))};
    case EACCES:
    case EPERM:
        return {SocketError::SocketAccessError, "Permission denied"};
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EPROTOTYPE:
    case EOPNOTSUPP:
    case ENOTSOCK:
    case EBADF:
        return {SocketError::UnsupportedSocketOperationError, "Unsupported socket operation"};
    case EAGAIN:
        return {SocketError::TemporaryError, "Operation would block"};
    case ENETUNREACH:
        return {SocketError::NetworkError, "Network unreachable"};
    case EHOSTUNREACH:
        return {SocketError::NetworkError, "Host unreachable"};
    case ETIMEDOUT:
        return {SocketError::NetworkError, "Connection timed out"};
    default:
        return {SocketError::UnknownSocketError, "Unknown error: " + std::string(std::strerror(err))};
    }
}

}  // namespace

MappedError mapErrno(Operation op, int err) {
    switch (op) {
    case Operation::Bind:
    case Operation::Listen:
        if (err == EADDRINUSE) return {SocketError::AddressInUseError, "The bound address is already in use"};
        if (err == EADDRNOTAVAIL) return {SocketError::SocketAddressNotAvailableError, "The address is not available"};
        if (err == EINVAL) return {SocketError::UnknownSocketError, "The socket is already bound"};
        break;
    case Operation::Connect:
        if (err == ECONNREFUSED || err == EINVAL) return {SocketError::ConnectionRefusedError, "Connection refused"};
        if (err == EADDRINUSE) return {SocketError::NetworkError, "Address already in use"};
        if (err == EADDRNOTAVAIL) return {SocketError::SocketAddressNotAvailableError, "The address is not available"};
        break;
    case Operation::Read:
    case Operation::Write:
        if (err == ECONNRESET || err == EPIPE || err == ENOTCONN)
            return {SocketError::RemoteHostClosedError, "The remote host closed the connection"};
        break;
    case Operation::ReadDatagram:
    case Operation::WriteDatagram:
        if (err == EMSGSIZE) return {SocketError::DatagramTooLargeError, "Datagram was too large to send"};
        if (err == ECONNREFUSED) return {SocketError::ConnectionRefusedError, "Connection refused"};
        if (err == EAGAIN && op == Operation::ReadDatagram)
            return {SocketError::TemporaryError, "No datagram is pending"};
        if (err == ECONNRESET) return {SocketError::RemoteHostClosedError, "The remote host closed the connection"};
        break;
    case Operation::Accept:
        // QTcpServer's wording for a full descriptor table or memory shortage on accept (QT-DETAILS.md §6).
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM)
            return {SocketError::SocketResourceError, "Out of resources"};
        break;
    case Operation::Create:
        break;
    }
    return common(err);
}

}  // namespace simsock::detail
