#include "simsock/peer/peer_environment.h"

#include <utility>

namespace simsock::peer {

PeerEnvironment withDefaults(PeerEnvironment env) {
    if (!env.bind) {
        env.bind = [](SocketEngine& engine, std::uint16_t port, SocketType) {
            return engine.bind(HostAddress::SpecialAddress::Any, port, BindFlag::DefaultForPlatform);
        };
    }
    if (!env.reach) {
        env.reach = [](const std::string& host, std::uint16_t port, SocketType) -> std::optional<Endpoint> {
            if (auto address = HostAddress::parse(host)) return Endpoint{*address, port};
            return std::nullopt;
        };
    }
    if (!env.log) env.log = [](const PeerEvent&) {};
    if (!env.locate) env.locate = [](const HostAddress&, std::uint16_t) { return std::string(); };
    if (!env.connectionFault) env.connectionFault = [](const ConnectionProgress&) { return ConnectionFault::None; };
    return env;
}

}  // namespace simsock::peer
