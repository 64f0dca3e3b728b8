// The World for any engine from BackendRegistry other than the sim (today: epoll). Every host is this
// machine: all sockets and peers share one backend, declared hosts resolve to loopback, and faults are
// refused, since a real kernel cannot be told to drop SYNs.
#include "registry_world.h"

namespace simsock::scenario::detail {
namespace {

class RegistryWorld final : public World {
public:
    explicit RegistryWorld(std::unique_ptr<Backend> backend) : backend_(std::move(backend)) {}
    Backend& backendOn(const std::string&) override { return *backend_; }
    EventLoop& loop() override { return backend_->loop(); }
    std::optional<HostAddress> addressOf(const std::string& hostOrLiteral) override {
        if (auto lit = HostAddress::parse(hostOrLiteral)) return lit;
        return HostAddress(HostAddress::SpecialAddress::LocalHost);
    }
    bool resetEngine(SocketEngine&) override { return false; }
    std::string injectFault(const FaultEntry&) override { return "faults need the sim engine"; }
    void runUntilNs(std::int64_t endNs) override {
        std::int64_t remainingMs = (endNs - backend_->loop().nowNs() + 999'999) / 1'000'000;
        if (remainingMs > 0) backend_->loop().runUntil([] { return false; }, remainingMs);
    }

private:
    std::unique_ptr<Backend> backend_;
};

}  // namespace

std::unique_ptr<World> makeRegistryWorld(const std::string& engine, const Scenario& s, std::string& error) {
    if (!s.network.links.empty() || !s.network.dns.empty() || !s.faults.empty()) {
        error = "engine " + engine + ": faults, links and DNS entries need the sim engine";
        return nullptr;
    }
    auto backend = BackendRegistry::instance().create(engine, BackendOptions{s.seed});
    if (!backend) {
        error = "engine " + engine + ": not available yet";
        return nullptr;
    }
    return std::make_unique<RegistryWorld>(std::move(backend));
}

}  // namespace simsock::scenario::detail
