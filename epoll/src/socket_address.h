// Conversions between simsock::HostAddress/port and the kernel's sockaddr_in/sockaddr_in6.
#pragma once

#include <sys/socket.h>

#include <cstdint>

#include "simsock/host_address.h"

namespace simsock::epoll::detail {

struct SockAddr {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

/// The address as a socket of family (AF_INET or AF_INET6) takes it: an IPv4 address on an AF_INET6
/// socket becomes v4-mapped, Any becomes the family's wildcard. 0, EAFNOSUPPORT (IPv6 on an AF_INET
/// socket, or an unknown family) or EINVAL (a Null address).
int toSockAddr(const HostAddress& address, std::uint16_t port, int family, SockAddr& out);

/// The address and port of sa (Null and 0 for families other than AF_INET/AF_INET6). With
/// dualStackAny, the IPv6 wildcard reads as HostAddress::Any, as Qt reports a dual-stack socket.
void fromSockAddr(const sockaddr* sa, socklen_t length, bool dualStackAny, HostAddress* address,
                  std::uint16_t* port);

}  // namespace simsock::epoll::detail
