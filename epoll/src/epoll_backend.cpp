#include "simsock/epoll/epoll_backend.h"

#include "simsock/epoll/epoll_engine.h"

namespace simsock::epoll {

EpollBackend::EpollBackend(const BackendOptions& options) : resolver_(loop_) {
    loop_.setDispatchOrder(options.dispatch);
}

EpollBackend::~EpollBackend() = default;

std::unique_ptr<SocketEngine> EpollBackend::createEngine(SocketType type) {
    return std::make_unique<EpollEngine>(loop_, type);
}

void registerEpollBackend() {
    BackendRegistry::instance().registerBackend(
        "epoll", [](const BackendOptions& options) { return std::make_unique<EpollBackend>(options); });
}

}  // namespace simsock::epoll
