#include "simsock/sim/event_site.h"

namespace simsock::sim {

std::string EventSite::toString() const {
    if (!address_) return *name_;
    const std::string addr = address_->protocol() == NetworkLayerProtocol::IPv6Protocol
                                 ? "[" + address_->toString() + "]"
                                 : address_->toString();
    return *name_ + " " + addr + ":" + std::to_string(port_);
}

}  // namespace simsock::sim
