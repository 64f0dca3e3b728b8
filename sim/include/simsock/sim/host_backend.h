// A Backend bound to one simulated host: every engine it creates lives on that host.
//
// Sockets create engines lazily (at bind or connect) and a TcpServer creates one per accepted
// connection, so "the current host" of the Network would be read at unpredictable moments. Giving each
// host its own Backend fixes the host when the socket or server is constructed, as a real machine does.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "simsock/sim/engine.h"
#include "simsock/sim/network.h"

namespace simsock::sim {

class HostBackend final : public Backend {
public:
    /// A view of net for host (which must exist); net must outlive it.
    HostBackend(Network& net, std::string host) : net_(net), host_(std::move(host)) {}

    std::string name() const override { return net_.name(); }
    EventLoop& loop() override { return net_.loop(); }
    Resolver& resolver() override { return net_.resolver(); }
    std::unique_ptr<SocketEngine> createEngine(SocketType type) override { return net_.createEngineOn(host_, type); }
    const std::string& host() const { return host_; }
    Network& network() { return net_; }

private:
    Network& net_;
    std::string host_;
};

}  // namespace simsock::sim
