#include "socket_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

namespace simsock::epoll::detail {
namespace {

void fillV4(std::uint32_t hostOrder, std::uint16_t port, SockAddr& out) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out.storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    sin->sin_addr.s_addr = htonl(hostOrder);
    out.length = sizeof(sockaddr_in);
}

void fillV6(const std::uint8_t* bytes, std::uint16_t port, SockAddr& out) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    std::memcpy(sin6->sin6_addr.s6_addr, bytes, 16);
    out.length = sizeof(sockaddr_in6);
}

void fillV4Mapped(std::uint32_t hostOrder, std::uint16_t port, SockAddr& out) {
    std::uint8_t bytes[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const std::uint32_t net = htonl(hostOrder);
    std::memcpy(bytes + 12, &net, 4);
    fillV6(bytes, port, out);
}

}  // namespace

int toSockAddr(const HostAddress& address, std::uint16_t port, int family, SockAddr& out) {
    out = SockAddr{};
    const NetworkLayerProtocol p = address.protocol();
    if (p == NetworkLayerProtocol::UnknownNetworkLayerProtocol) return EINVAL;
    if (family == AF_INET) {
        if (p == NetworkLayerProtocol::IPv6Protocol) return EAFNOSUPPORT;
        fillV4(p == NetworkLayerProtocol::AnyIPProtocol ? 0 : address.toIPv4Address(), port, out);
        return 0;
    }
    if (family != AF_INET6) return EAFNOSUPPORT;
    if (p == NetworkLayerProtocol::IPv4Protocol) {
        fillV4Mapped(address.toIPv4Address(), port, out);
    } else if (p == NetworkLayerProtocol::AnyIPProtocol) {
        const std::uint8_t any[16] = {};
        fillV6(any, port, out);
    } else {
        fillV6(address.toIPv6Address().data(), port, out);
    }
    return 0;
}

void fromSockAddr(const sockaddr* sa, socklen_t length, bool dualStackAny, HostAddress* address,
                  std::uint16_t* port) {
    HostAddress a;
    std::uint16_t p = 0;
    if (sa != nullptr && sa->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
        a = HostAddress::fromIPv4(ntohl(sin->sin_addr.s_addr));
        p = ntohs(sin->sin_port);
    } else if (sa != nullptr && sa->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
        std::array<std::uint8_t, 16> bytes{};
        std::memcpy(bytes.data(), sin6->sin6_addr.s6_addr, 16);
        a = HostAddress::fromIPv6(bytes);
        if (dualStackAny && a.isAny()) a = HostAddress(HostAddress::SpecialAddress::Any);
        p = ntohs(sin6->sin6_port);
    }
    if (address != nullptr) *address = a;
    if (port != nullptr) *port = p;
}

}  // namespace simsock::epoll::detail
