// The scenario format's proxy words that core has no table for: the spellings of NetworkProxy's
// capabilities (Qt's enum names) and of the proxy peer kinds. The fault spellings are the peer's own
// table (proxyFaults() in simsock/peer/proxy_peer.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simsock/network_proxy.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario {

struct ProxyCapabilityWord {
    NetworkProxy::Capability capability;
    std::string_view name;  ///< Qt's spelling: "TunnelingCapability"
};

/// Every capability, in bit order.
std::span<const ProxyCapabilityWord> proxyCapabilityWords();
/// The capability spelled name, or nullopt.
std::optional<NetworkProxy::Capability> parseProxyCapability(std::string_view name);
/// The spellings of the bits of capabilities, in bit order.
std::vector<std::string_view> spellProxyCapabilities(unsigned capabilities);
/// The NetworkProxy spec describes: type, host, port, user, password, and its capabilities when given.
NetworkProxy makeNetworkProxy(const ProxySpec& spec);

}  // namespace simsock::scenario
