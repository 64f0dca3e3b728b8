#include "simsock/testing/sim_net.h"

#include <stdexcept>
#include <utility>

namespace simsock::testing {

SimNet::SimNet(std::uint64_t seed, CodeLocation where)
    : report_(chooseSeed(seed), where), net_(report_.seed()) {}

SimNet::~SimNet() = default;

sim::SimBackend& SimNet::addHost(const std::string& name, const std::string& address) {
    const HostAddress a(address);
    if (a.isNull()) {
        ADD_FAILURE() << "addHost(\"" << name << "\", \"" << address << "\"): not an address";
        throw std::invalid_argument("simsock::testing::SimNet::addHost: " + address);
    }
    return addHost(name, std::vector<HostAddress>{a});
}

sim::SimBackend& SimNet::addHost(const std::string& name, const std::vector<HostAddress>& addresses) {
    if (!net_.addHost(name, addresses)) {
        ADD_FAILURE() << "addHost(\"" << name << "\"): the name or an address belongs to another host";
        if (!net_.hasHost(name)) throw std::out_of_range("simsock::testing::SimNet::addHost: " + name);
    }
    return host(name);
}

sim::SimBackend& SimNet::host(const std::string& name) {
    auto it = hosts_.find(name);
    if (it != hosts_.end()) return *it->second;
    if (!net_.hasHost(name)) {
        ADD_FAILURE() << "no host \"" << name << "\" (add it with addHost)";
        throw std::out_of_range("simsock::testing::SimNet::host: " + name);
    }
    // Hosts added through network() directly get their backend here too.
    return *hosts_.emplace(name, std::make_unique<sim::SimBackend>(net_, name)).first->second;
}

void SimNet::setLink(const std::string& a, const std::string& b, const sim::LinkParams& params) {
    net_.setLink(a, b, params);
}

void SimNet::advance(std::int64_t ms) {
    EXPECT_GE(ms, 0) << "advance(" << ms << "): time only moves forward";
    if (ms > 0) net_.simLoop().advanceNs(ms * 1'000'000);
}

::testing::AssertionResult SimNet::runUntil(const std::function<bool()>& pred, std::int64_t limitMs) {
    const std::int64_t startMs = nowMs();
    if (net_.simLoop().runUntil(pred, limitMs)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the condition did not hold within " << limitMs
                                         << " ms of virtual time (from " << startMs << " ms to " << nowMs() << " ms)";
}

::testing::AssertionResult SimNet::runUntilIdle(std::int64_t limitMs) {
    sim::SimLoop& loop = net_.simLoop();
    if (loop.runUntil([&loop] { return !loop.hasLiveEvents(); }, limitMs)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "still busy after " << limitMs << " ms of virtual time (now " << nowMs()
                                         << " ms; next event at " << loop.nextEventNs() / 1'000'000
                                         << " ms): a repeating timer, an endless echo, a retransmission?";
}

void SimNet::at(std::int64_t ms, std::function<void()> fn) { net_.simLoop().scheduleAt(ms * 1'000'000, std::move(fn)); }

TcpSocket& SimNet::tcpSocket(const std::string& name, const std::string& host) {
    return stage_.tcpSocket(this->host(host), name);
}

UdpSocket& SimNet::udpSocket(const std::string& name, const std::string& host) {
    return stage_.udpSocket(this->host(host), name);
}

Listener& SimNet::listen(const std::string& name, const std::string& host, std::uint16_t port) {
    return listen(name, host, HostAddress::SpecialAddress::Any, port);
}

Listener& SimNet::listen(const std::string& name, const std::string& host, const HostAddress& address,
                         std::uint16_t port) {
    return stage_.listen(this->host(host), name, address, port);
}

peer::Peer& SimNet::peer(const std::string& name, const std::string& host, PeerScript script) {
    return stage_.peer(this->host(host), name, std::move(script), peerEnvironment());
}

peer::PeerEnvironment SimNet::peerEnvironment() {
    peer::PeerEnvironment env;
    env.reach = [this](const std::string& host, std::uint16_t port, SocketType) -> std::optional<peer::Endpoint> {
        const HostAddress literal(host);
        if (!literal.isNull()) return peer::Endpoint{literal, port};
        const auto addresses = net_.hostAddresses(host);
        if (addresses.empty()) return std::nullopt;
        return peer::Endpoint{addresses.front(), port};
    };
    return env;
}

void SimNet::watchNetwork() {
    net_.setObserver([this](const sim::NetEvent& e) { networkLog_.push_back(sim::toString(e)); });
}

}  // namespace simsock::testing
