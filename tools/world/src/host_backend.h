// One scenario host's view of a real engine's backend, inside a run namespace. Every host shares the one
// kernel, so what the sim keeps per host is applied around the calls of that host's engines: a bind
// below 1024 by a host that is not privileged runs without CAP_NET_BIND_SERVICE, and a datagram leaves
// with path-MTU discovery on (EMSGSIZE above lo's MTU) when a datagram limit covers it. Everything
// else goes straight to the real engine.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "simsock/backend.h"

namespace simsock::scenario::detail {

/// What a host's engines ask before binding and before sending a datagram (KernelFaults answers).
class HostRules {
public:
    virtual ~HostRules() = default;
    /// Runs bind for a socket of host binding port: as the host's privileges allow. Returns bind's errno.
    virtual int bindAs(const std::string& host, std::uint16_t port, const std::function<int()>& bind) = 0;
    /// Called before a datagram from host to `to` leaves through descriptor: sets its path-MTU discovery
    /// as the datagram limits in force say (or leaves the socket alone when the scenario has none).
    virtual void beforeDatagram(const std::string& host, std::intptr_t descriptor, const HostAddress& to) = 0;
};

/// real's loop, resolver and engines, the engines wrapped so that host's rules apply. real and rules
/// must outlive every engine created here.
class HostBackend final : public Backend {
public:
    HostBackend(Backend& real, std::string host, HostRules& rules)
        : real_(real), host_(std::move(host)), rules_(rules) {}
    std::string name() const override { return real_.name(); }
    EventLoop& loop() override { return real_.loop(); }
    Resolver& resolver() override { return real_.resolver(); }
    std::unique_ptr<SocketEngine> createEngine(SocketType type) override;

private:
    Backend& real_;
    std::string host_;
    HostRules& rules_;
};

}  // namespace simsock::scenario::detail
