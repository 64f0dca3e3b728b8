// EpollEngine: transfers. Every call is non-blocking and retried on EINTR; EAGAIN comes back as
// IoResult{0, EAGAIN}, other failures as IoResult{0, errno}.
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include "simsock/epoll/epoll_engine.h"
#include "socket_address.h"
#include "sys_call.h"

namespace simsock::epoll {
namespace {

IoResult failure() { return IoResult{0, errno == EWOULDBLOCK ? EAGAIN : errno, false}; }

// Larger than any UDP payload over IPv4 or IPv6 without jumbograms (65,527 bytes).
constexpr std::size_t kMaxDatagram = 65536;

}  // namespace

IoResult EpollEngine::read(char* data, std::size_t maxSize) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    IoResult kept;
    if (takeKeptDatagram(data, maxSize, nullptr, &kept)) return kept;
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

void EpollEngine::announceKept() const {
    // The kernel no longer reports kept datagrams: while the receiver listens, the loop does instead,
    // once per pass, for as long as some are kept (level-triggered, as epoll would have been).
    if (readInjected_ || kept_.count == 0) return;
    readInjected_ = true;
    loop_.injectEvents(fd_, EPOLLIN);
}

bool EpollEngine::takeKeptDatagram(char* data, std::size_t maxSize, DatagramHeader* header, IoResult* result) {
    if (kept_.count == 0) return false;
    const std::size_t slot = kept_.head;
    // As recv would: the part that fits, the rest of the datagram is discarded.
    const std::size_t n = kept_.size[slot] < maxSize ? kept_.size[slot] : maxSize;
    if (n > 0) std::memcpy(data, kept_.buffer.get() + slot * kMaxDatagram, n);
    if (header != nullptr) *header = kept_.header[slot];
    kept_.head = (slot + 1) % kKeptSlots;
    --kept_.count;
    *result = IoResult{static_cast<std::int64_t>(n), 0, false};
    return true;
}

IoResult EpollEngine::readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) {
    if (fd_ < 0) return IoResult{0, EBADF, false};
    IoResult kept;
    if (takeKeptDatagram(data, maxSize, header, &kept)) return kept;
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
    if (kept_.count > 0) return static_cast<std::int64_t>(kept_.size[kept_.head]);
    int n = 0;
    if (::ioctl(fd_, FIONREAD, &n) != 0) return 0;
    return n;
}

bool EpollEngine::hasPendingDatagrams() const { return pendingDatagramSize() >= 0; }

std::int64_t EpollEngine::pendingDatagramSize() const {
    // Only datagram sockets have datagrams: a stream's bytes stay where they are.
    if (fd_ < 0 || type_ != SocketType::UdpSocket) return -1;
    if (kept_.count > 0) return static_cast<std::int64_t>(kept_.size[kept_.head]);
    if (!kept_.buffer) kept_.buffer = std::make_unique_for_overwrite<char[]>(kKeptSlots * kMaxDatagram);
    std::array<mmsghdr, kKeptSlots> messages{};
    std::array<iovec, kKeptSlots> vectors{};
    std::array<sockaddr_storage, kKeptSlots> senders;
    for (std::size_t i = 0; i < kKeptSlots; ++i) {
        vectors[i] = iovec{kept_.buffer.get() + i * kMaxDatagram, kMaxDatagram};
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &senders[i];
        messages[i].msg_hdr.msg_namelen = sizeof senders[i];
    }
    // One call for every datagram already queued. A pending socket error (an ICMP refusal) is consumed
    // here, as a MSG_PEEK probe consumes it too; one met behind a datagram is kept by the kernel.
    const int n = detail::retryOnEintr(
        [&] { return ::recvmmsg(fd_, messages.data(), static_cast<unsigned>(kKeptSlots), MSG_DONTWAIT, nullptr); });
    if (n <= 0) return -1;
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        kept_.size[i] = messages[i].msg_len;
        kept_.header[i] = DatagramHeader{};
        detail::fromSockAddr(reinterpret_cast<const sockaddr*>(&senders[i]), messages[i].msg_hdr.msg_namelen, false,
                             &kept_.header[i].senderAddress, &kept_.header[i].senderPort);
    }
    kept_.head = 0;
    kept_.count = static_cast<std::size_t>(n);
    if (isReadNotificationEnabled()) announceKept();
    return static_cast<std::int64_t>(kept_.size[0]);
}

}  // namespace simsock::epoll
