// EpollEngine: transfers. Every call is non-blocking and retried on EINTR; EAGAIN comes back as
// IoResult{0, EAGAIN}, other failures as IoResult{0, errno}.
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>

#include "simsock/epoll/epoll_engine.h"
#include "socket_address.h"
#include "sys_call.h"

namespace simsock::epoll {
namespace {

IoResult failure() { return IoResult{0, errno == EWOULDBLOCK ? EAGAIN : errno, false}; }

}  // namespace

IoResult EpollEngine::read(char* data, std::size_t maxSize) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    const ssize_t n = detail::retryOnEintr([&] { return ::recv(fd_, data, maxSize, 0); });
    if (n < 0) return failure();
    // 0 from a stream is the peer's FIN; from a datagram socket it is an empty datagram.
    const bool eof = n == 0 && maxSize > 0 && type_ == SocketType::TcpSocket;
    return IoResult{n, 0, eof};
}

IoResult EpollEngine::write(const char* data, std::size_t size) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    const ssize_t n = detail::retryOnEintr([&] { return ::send(fd_, data, size, MSG_NOSIGNAL); });
    const IoResult r = n < 0 ? failure() : IoResult{n, 0, false};
    noteWrite(r.bytes, size, r.error);
    return r;
}

IoResult EpollEngine::readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    sockaddr_storage from{};
    socklen_t length = sizeof from;
    auto* sa = reinterpret_cast<sockaddr*>(&from);
    const ssize_t n = detail::retryOnEintr([&] { return ::recvfrom(fd_, data, maxSize, 0, sa, &length); });
    if (n < 0) return failure();
    if (header != nullptr) detail::fromSockAddr(sa, length, false, &header->senderAddress, &header->senderPort);
    return IoResult{n, 0, false};
}

IoResult EpollEngine::writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                                    std::uint16_t port) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    detail::SockAddr to;
    if (const int err = detail::toSockAddr(address, port, family_, to)) return IoResult{0, err, false};
    const ssize_t n =
        detail::retryOnEintr([&] { return ::sendto(fd_, data, size, MSG_NOSIGNAL, to.get(), to.length); });
    if (n < 0) return failure();
    return IoResult{n, 0, false};
}

std::int64_t EpollEngine::bytesAvailable() const {
    if (fd_ < 0) return 0;
    int n = 0;
    if (::ioctl(fd_, FIONREAD, &n) != 0) return 0;
    return n;
}

bool EpollEngine::hasPendingDatagrams() const { return pendingDatagramSize() >= 0; }

std::int64_t EpollEngine::pendingDatagramSize() const {
    // MSG_TRUNC on a stream would discard data; only datagram sockets have datagrams.
    if (fd_ < 0 || type_ != SocketType::UdpSocket) return -1;
    char probe = 0;
    const ssize_t n = detail::retryOnEintr(
        [&] { return ::recv(fd_, &probe, sizeof probe, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT); });
    return n < 0 ? -1 : n;
}

}  // namespace simsock::epoll
