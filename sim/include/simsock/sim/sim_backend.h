// The "sim" backend for one simulated host (as epoll::EpollBackend is epoll's): the Network's loop and
// resolver, and SimEngines that all live on that host. sim::Network is the network itself.
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

class SimBackend final : public Backend {
public:
    /// A view of net for host (which must exist); net must outlive it.
    SimBackend(Network& net, std::string host) : net_(net), host_(std::move(host)) {}

    std::string name() const override { return net_.name(); }
    /// The network's loop (shared by every host).
    EventLoop& loop() override { return net_.loop(); }
    /// The network's DNS (shared by every host).
    Resolver& resolver() override { return net_.resolver(); }
    /// A SimEngine on this backend's host.
    std::unique_ptr<SocketEngine> createEngine(SocketType type) override { return net_.createEngineOn(host_, type); }
    /// The host every engine lives on.
    const std::string& host() const { return host_; }
    /// The network the host belongs to.
    Network& network() { return net_; }

private:
    Network& net_;
    std::string host_;
};

}  // namespace simsock::sim
