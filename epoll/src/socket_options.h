// SocketOption -> setsockopt/getsockopt, exactly as SEMANTICS.md lists (IPv6 sockets use the IPV6_
// twin of each IP_ option). The engine only forwards; values and errno come from the kernel.
#pragma once

#include <optional>

#include "simsock/socket_types.h"

namespace simsock::epoll::detail {

struct OsOption {
    int level = 0;
    int name = 0;
    bool writable = true;
};

/// The kernel option behind option on a socket of family (AF_INET, AF_INET6, ...); nullopt if none.
std::optional<OsOption> osOption(SocketOption option, int family);

/// setsockopt with an int value: 0 or errno (ENOPROTOOPT for an option with no kernel twin or a
/// read-only one such as PathMtu).
int setOsOption(int fd, int family, SocketOption option, int value);

/// getsockopt as an int, or nullopt when the kernel refuses (errno is then available through err).
std::optional<int> getOsOption(int fd, int family, SocketOption option, int* err = nullptr);

}  // namespace simsock::epoll::detail
