// Which proxy a socket's connect or bind goes through (PROXY-SEMANTICS §1): the socket's own proxy as
// set, or for DefaultProxy the application proxy, which loopback destinations skip; then whether that
// proxy can carry the socket type at all.
#pragma once

#include <string_view>

#include "simsock/network_proxy.h"
#include "simsock/socket_types.h"

namespace simsock::detail {

struct ProxyChoice {
    enum class Kind : std::uint8_t {
        Direct,       ///< no proxy: the engine connects itself
        Through,      ///< through proxy (Socks5Proxy or HttpProxy)
        Unsupported,  ///< the proxy cannot carry this socket type
    };
    Kind kind = Kind::Direct;
    NetworkProxy proxy;
    bool fromApplication = false;  ///< DefaultProxy stood for the application proxy
};

/// True for 127.0.0.0/8, ::1 and "localhost" (any case): the application proxy is skipped for them.
bool isLoopbackDestination(std::string_view host);

/// The proxy for a socket of `type` whose proxy() is `socketProxy`, towards host (empty for a bind).
ProxyChoice chooseProxy(const NetworkProxy& socketProxy, std::string_view host, SocketType type);

}  // namespace simsock::detail
