// Where a network event happens, as the observation log names it: a host ("server") or an endpoint on
// a host ("server 10.0.0.2:80", "server [::1]:80"). A site only refers to its parts and is formatted
// when an event is actually recorded, so asking a fault question on a hot path costs no string work.
#pragma once

#include <cstdint>
#include <string>

#include "simsock/host_address.h"

namespace simsock::sim {

class EventSite {
public:
    /// A host, or text already formatted as a site. The site refers to name: use it within the call
    /// it is made for.
    EventSite(const std::string& name) : name_(&name) {}  // implicit: a host name is a site
    /// An endpoint on host; refers to host and address.
    EventSite(const std::string& host, const HostAddress& address, std::uint16_t port)
        : name_(&host), address_(&address), port_(port) {}

    /// "host", or "host addr:port" with an IPv6 address in brackets.
    std::string toString() const;

private:
    const std::string* name_;
    const HostAddress* address_ = nullptr;
    std::uint16_t port_ = 0;
};

}  // namespace simsock::sim
