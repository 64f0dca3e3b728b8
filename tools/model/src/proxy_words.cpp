#include "simsock/scenario/proxy_words.h"

#include <vector>

namespace simsock::scenario {
namespace {

constexpr ProxyCapabilityWord kProxyCapabilityWords[] = {
    {NetworkProxy::TunnelingCapability, "TunnelingCapability"},
    {NetworkProxy::ListeningCapability, "ListeningCapability"},
    {NetworkProxy::UdpTunnelingCapability, "UdpTunnelingCapability"},
    {NetworkProxy::CachingCapability, "CachingCapability"},
    {NetworkProxy::HostNameLookupCapability, "HostNameLookupCapability"},
    {NetworkProxy::SctpTunnelingCapability, "SctpTunnelingCapability"},
    {NetworkProxy::SctpListeningCapability, "SctpListeningCapability"},
};
static_assert(std::size(kProxyCapabilityWords) == 7, "one row per NetworkProxy::Capability");

}  // namespace

std::span<const ProxyCapabilityWord> proxyCapabilityWords() { return kProxyCapabilityWords; }

std::optional<NetworkProxy::Capability> parseProxyCapability(std::string_view name) {
    for (const auto& w : kProxyCapabilityWords)
        if (w.name == name) return w.capability;
    return std::nullopt;
}

std::vector<std::string_view> spellProxyCapabilities(unsigned capabilities) {
    std::vector<std::string_view> out;
    for (const auto& w : kProxyCapabilityWords)
        if ((capabilities & w.capability) != 0) out.push_back(w.name);
    return out;
}

NetworkProxy makeNetworkProxy(const ProxySpec& spec) {
    NetworkProxy p(spec.type, spec.host, spec.port, spec.user, spec.password);
    if (spec.capabilities) p.setCapabilities(*spec.capabilities);
    return p;
}

}  // namespace simsock::scenario
