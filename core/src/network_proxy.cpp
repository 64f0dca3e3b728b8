// NetworkProxy's defaults and the application proxy.
#include "simsock/network_proxy.h"

#include <mutex>

namespace simsock {
namespace {

// Qt keeps one application proxy per process behind a lock: sockets on several threads read it.
std::mutex applicationProxyLock;
NetworkProxy& applicationProxySlot() {
    static NetworkProxy proxy(NetworkProxy::NoProxy);
    return proxy;
}

}  // namespace

NetworkProxy::NetworkProxy(ProxyType type, std::string hostName, std::uint16_t port, std::string user,
                           std::string password)
    : type_(type),
      hostName_(std::move(hostName)),
      port_(port),
      user_(std::move(user)),
      password_(std::move(password)),
      capabilities_(defaultCapabilities(type)) {}

void NetworkProxy::setType(ProxyType type) {
    type_ = type;
    capabilities_ = defaultCapabilities(type);
}

unsigned NetworkProxy::defaultCapabilities(ProxyType type) {
    switch (type) {
        case Socks5Proxy:
            return TunnelingCapability | ListeningCapability | UdpTunnelingCapability | HostNameLookupCapability;
        case HttpProxy: return TunnelingCapability | CachingCapability | HostNameLookupCapability;
        case HttpCachingProxy:
        case FtpCachingProxy: return CachingCapability | HostNameLookupCapability;
        case NoProxy:
        case DefaultProxy: break;
    }
    return TunnelingCapability | ListeningCapability | UdpTunnelingCapability | SctpTunnelingCapability |
           SctpListeningCapability;
}

NetworkProxy NetworkProxy::applicationProxy() {
    std::lock_guard lock(applicationProxyLock);
    return applicationProxySlot();
}

void NetworkProxy::setApplicationProxy(const NetworkProxy& proxy) {
    std::lock_guard lock(applicationProxyLock);
    applicationProxySlot() = proxy;
}

Authenticator Authenticator::forRealm(std::string realm) {
    Authenticator a;
    a.realm_ = std::move(realm);
    a.detached_ = true;
    return a;
}

}  // namespace simsock
