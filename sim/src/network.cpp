#include "simsock/sim/network.h"

#include <algorithm>

#include "simsock/check.h"
#include "simsock/sim/engine.h"
#include "stack.h"

namespace simsock::sim {

namespace {
using SA = HostAddress::SpecialAddress;

std::pair<std::string, std::string> linkKey(const std::string& a, const std::string& b) {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}
}  // namespace

Network::Network(std::uint64_t seed)
    : seed_(seed),
      random_(seed),
      loop_(std::make_unique<SimLoop>()),
      resolver_(std::make_unique<SimResolver>(*loop_)),
      stack_(std::make_unique<detail::Stack>(*this)) {
    addHost(kLocalHostName, {HostAddress(SA::LocalHost), HostAddress(SA::LocalHostIPv6), HostAddress(kLocalIPv4),
                             HostAddress(kLocalIPv6)});
    resolver_->setAnswerHook([this](const HostInfo& info) {
        if (!observer_) return;
        std::string detail = info.name + " ->";
        for (const auto& a : info.addresses) detail += " " + a.toString();
        if (info.error != HostInfo::Error::NoError) detail += " " + info.errorString;
        emit("lookup", "dns", {}, 0, detail);
    });
}

Network::~Network() = default;

EventLoop& Network::loop() { return *loop_; }
Resolver& Network::resolver() { return *resolver_; }

std::unique_ptr<SocketEngine> Network::createEngine(SocketType type) { return createEngineOn(currentHost_, type); }

std::unique_ptr<SimEngine> Network::createEngineOn(const std::string& host, SocketType type) {
    if (!hasHost(host)) return nullptr;
    return std::make_unique<SimEngine>(*this, host, type);
}

bool Network::addHost(const std::string& name, const std::vector<HostAddress>& addresses) {
    if (name.empty() || hasHost(name)) return false;
    for (const auto& a : addresses)
        if (a.isNull() || a.isAny() || (!a.isLoopback() && !hostOwning(a).empty())) return false;
    detail::HostState& h = stack_->addHost(name);
    h.addresses = addresses;
    if (!resolver_->hasRecord(name) && !addresses.empty()) resolver_->setRecord(name, addresses);
    return true;
}

bool Network::addAddress(const std::string& host, const HostAddress& address) {
    auto* h = stack_->host(host);
    if (!h || address.isNull() || address.isAny() || !hostOwning(address).empty()) return false;
    h->addresses.push_back(address);
    return true;
}

bool Network::hasHost(const std::string& name) const { return stack_->host(name) != nullptr; }

std::vector<std::string> Network::hostNames() const {
    std::vector<std::string> out;
    for (const auto& [name, h] : stack_->hosts()) out.push_back(name);
    return out;
}

std::vector<HostAddress> Network::hostAddresses(const std::string& name) const {
    const auto* h = stack_->host(name);
    return h ? h->addresses : std::vector<HostAddress>{};
}

std::string Network::hostOwning(const HostAddress& address) const {
    if (address.isLoopback()) return {};
    for (const auto& [name, h] : stack_->hosts())
        if (std::find(h.addresses.begin(), h.addresses.end(), address) != h.addresses.end()) return name;
    return {};
}

void Network::setHostPrivileged(const std::string& name, bool privileged) {
    if (auto* h = stack_->host(name)) h->privileged = privileged;
}

void Network::setDescriptorLimit(const std::string& name, int limit) {
    if (auto* h = stack_->host(name)) h->descriptorLimit = limit;
}

int Network::openDescriptors(const std::string& name) const {
    const auto* h = stack_->host(name);
    return h ? static_cast<int>(h->fds.size()) : 0;
}

bool Network::setCurrentHost(const std::string& name) {
    if (!hasHost(name)) return false;
    currentHost_ = name;
    return true;
}

std::intptr_t Network::createDescriptor(const std::string& host, SocketType type, NetworkLayerProtocol protocol,
                                        int* err) {
    int fd = -1;
    const int e = stack_->openSocket(host, type, protocol, fd);
    if (err) *err = e;
    return e == 0 ? fd : -1;
}

int Network::closeDescriptor(const std::string& host, std::intptr_t fd) {
    auto sock = stack_->lookup(host, static_cast<int>(fd));
    if (!sock) return EBADF;
    if (sock->hasOwner) return EBUSY;
    stack_->closeSocket(sock);
    return 0;
}

void Network::setLink(const std::string& a, const std::string& b, const LinkParams& params) {
    links_[linkKey(a, b)] = params;
}

const LinkParams& Network::link(const std::string& a, const std::string& b) const {
    if (a == b) return loopbackLink_;
    auto it = links_.find(linkKey(a, b));
    return it == links_.end() ? defaultLink_ : it->second;
}

std::int64_t Network::transitArrivalNs(const std::string& a, const std::string& b, std::int64_t bytes) {
    const LinkParams& l = link(a, b);
    const std::int64_t now = loop_->nowNs();
    std::int64_t done = now;
    if (l.bandwidthBytesPerSec > 0) {
        // One packet at a time per direction: a packet waits for the ones before it to be serialised.
        std::int64_t& busy = busyUntilNs_[{a, b}];
        const std::int64_t start = std::max(now, busy);
        const std::int64_t serialise = (bytes * 1'000'000'000 + l.bandwidthBytesPerSec - 1) / l.bandwidthBytesPerSec;
        busy = start + serialise;
        done = busy;
    }
    const std::int64_t jitter = l.jitterNs > 0 ? random_.range(0, l.jitterNs) : 0;
    return done + l.latencyNs + jitter;
}

void Network::emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail) {
    if (!observer_) return;
    observer_(NetEvent{loop_->nowNs(), std::move(kind), std::move(from), std::move(to), bytes, std::move(detail)});
}

void Network::logFault(const std::string& where, const std::string& decision) { emit("fault", where, {}, 0, decision); }

void registerSimBackend() {
    BackendRegistry::instance().registerBackend(
        "sim", [](const BackendOptions& options) { return std::make_unique<Network>(options.seed); });
}

}  // namespace simsock::sim
