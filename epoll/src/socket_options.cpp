#include "socket_options.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace simsock::epoll::detail {

std::optional<OsOption> osOption(SocketOption option, int family) {
    const bool v6 = family == AF_INET6;
    const bool ip = family == AF_INET || v6;
    switch (option) {
    case SocketOption::LowDelayOption:
        return OsOption{IPPROTO_TCP, TCP_NODELAY, true};
    case SocketOption::KeepAliveOption:
        return OsOption{SOL_SOCKET, SO_KEEPALIVE, true};
    case SocketOption::SendBufferSizeSocketOption:
        return OsOption{SOL_SOCKET, SO_SNDBUF, true};
    case SocketOption::ReceiveBufferSizeSocketOption:
        return OsOption{SOL_SOCKET, SO_RCVBUF, true};
    case SocketOption::MulticastTtlOption:
        if (!ip) return std::nullopt;
        return v6 ? OsOption{IPPROTO_IPV6, IPV6_MULTICAST_HOPS, true} : OsOption{IPPROTO_IP, IP_MULTICAST_TTL, true};
    case SocketOption::MulticastLoopbackOption:
        if (!ip) return std::nullopt;
        return v6 ? OsOption{IPPROTO_IPV6, IPV6_MULTICAST_LOOP, true} : OsOption{IPPROTO_IP, IP_MULTICAST_LOOP, true};
    case SocketOption::TypeOfServiceOption:
        if (!ip) return std::nullopt;
        return v6 ? OsOption{IPPROTO_IPV6, IPV6_TCLASS, true} : OsOption{IPPROTO_IP, IP_TOS, true};
    case SocketOption::PathMtuSocketOption:
        if (!ip) return std::nullopt;
        return v6 ? OsOption{IPPROTO_IPV6, IPV6_MTU, false} : OsOption{IPPROTO_IP, IP_MTU, false};
    }
    return std::nullopt;
}

int setOsOption(int fd, int family, SocketOption option, int value) {
    const std::optional<OsOption> os = osOption(option, family);
    if (!os || !os->writable) return ENOPROTOOPT;
    if (::setsockopt(fd, os->level, os->name, &value, sizeof value) != 0) return errno;
    return 0;
}

std::optional<int> getOsOption(int fd, int family, SocketOption option, int* err) {
    const std::optional<OsOption> os = osOption(option, family);
    if (!os) {
        if (err != nullptr) *err = ENOPROTOOPT;
        return std::nullopt;
    }
    int value = 0;
    socklen_t length = sizeof value;
    if (::getsockopt(fd, os->level, os->name, &value, &length) != 0) {
        if (err != nullptr) *err = errno;
        return std::nullopt;
    }
    if (err != nullptr) *err = 0;
    // A few IP options may answer with a single byte (IP_MULTICAST_TTL/LOOP on some kernels).
    if (length == 1) return static_cast<int>(static_cast<unsigned char>(value & 0xff));
    return value;
}

}  // namespace simsock::epoll::detail
