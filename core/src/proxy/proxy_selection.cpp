// Proxy selection: explicit, application (skipped for loopback), none; then the capability check.
#include "proxy_selection.h"

#include <algorithm>

#include "simsock/host_address.h"

namespace simsock::detail {

bool isLoopbackDestination(std::string_view host) {
    if (auto literal = HostAddress::parse(host)) return literal->isLoopback();
    constexpr std::string_view kLocalhost = "localhost";
    return host.size() == kLocalhost.size() &&
           std::equal(host.begin(), host.end(), kLocalhost.begin(), [](char a, char b) {
               return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
}

ProxyChoice chooseProxy(const NetworkProxy& socketProxy, std::string_view host, SocketType type) {
    ProxyChoice choice;
    choice.proxy = socketProxy;
    if (socketProxy.type() == NetworkProxy::DefaultProxy) {
        if (!host.empty() && isLoopbackDestination(host)) return choice;
        choice.proxy = NetworkProxy::applicationProxy();
        choice.fromApplication = true;
    }
    const auto t = choice.proxy.type();
    if (t == NetworkProxy::NoProxy || t == NetworkProxy::DefaultProxy) return choice;
    const auto needed =
        type == SocketType::UdpSocket ? NetworkProxy::UdpTunnelingCapability : NetworkProxy::TunnelingCapability;
    const bool spoken = t == NetworkProxy::Socks5Proxy || t == NetworkProxy::HttpProxy;
    choice.kind = spoken && choice.proxy.hasCapability(needed) ? ProxyChoice::Kind::Through
                                                               : ProxyChoice::Kind::Unsupported;
    return choice;
}

}  // namespace simsock::detail
