// The "epoll" backend: one EpollLoop, one EpollResolver, and EpollEngines on them.
#pragma once

#include <memory>
#include <string>

#include "simsock/backend.h"
#include "simsock/epoll/epoll_loop.h"
#include "simsock/epoll/epoll_resolver.h"

namespace simsock::epoll {

class EpollBackend final : public Backend {
public:
    /// options are ignored: the real network has no seed.
    explicit EpollBackend(const BackendOptions& options = {});
    /// Every engine (and socket) created from this backend must be destroyed first.
    ~EpollBackend() override;

    std::string name() const override { return "epoll"; }
    EventLoop& loop() override { return loop_; }
    Resolver& resolver() override { return resolver_; }
    /// An EpollEngine for TcpSocket or UdpSocket (other types fail in initialize with EPROTONOSUPPORT).
    std::unique_ptr<SocketEngine> createEngine(SocketType type) override;

    EpollLoop& epollLoop() { return loop_; }
    EpollResolver& epollResolver() { return resolver_; }

private:
    EpollLoop loop_;  // declared first: destroyed last
    EpollResolver resolver_;
};

/// Registers the factory "epoll" with BackendRegistry::instance(). Idempotent.
void registerEpollBackend();

}  // namespace simsock::epoll
