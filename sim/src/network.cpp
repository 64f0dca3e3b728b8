#include "simsock/sim/network.h"

#include <algorithm>

#include "link_table.h"
#include "net_log.h"
#include "simsock/check.h"
#include "simsock/sim/engine.h"
#include "stack.h"

namespace simsock::sim {

namespace {
using SA = HostAddress::SpecialAddress;
}  // namespace

Network::Network(std::uint64_t seed)
    : seed_(seed),
      random_(seed),
      loop_(std::make_unique<SimLoop>()),
      resolver_(std::make_unique<SimResolver>(*loop_)),
      log_(std::make_unique<detail::NetLog>(*loop_)),
      links_(std::make_unique<detail::LinkTable>(*loop_, random_, *log_)),
      stack_(std::make_unique<detail::Stack>(detail::StackContext{
          *loop_, *log_, *links_, faults_,
          [this](const std::shared_ptr<detail::Sock>& serverSide) { fireAccept(serverSide); },
          [this](const std::shared_ptr<detail::Sock>& serverSide, std::int64_t before, std::int64_t after) {
              fireBytes(serverSide, before, after);
          }})) {
    faults_.setLog([log = log_.get()](const EventSite& where, const std::string& decision) {
        log->fault(where, decision);
    });
    addHost(kLocalHostName, {HostAddress(SA::LocalHost), HostAddress(SA::LocalHostIPv6), HostAddress(kLocalIPv4),
                             HostAddress(kLocalIPv6)});
    resolver_->setAnswerHook([this](const HostInfo& info) {
        if (!log_->observed()) return;
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
    for (const auto& a : addresses) stack_->addAddress(h, a);
    if (!resolver_->hasRecord(name) && !addresses.empty()) resolver_->setRecord(name, addresses);
    return true;
}

bool Network::addAddress(const std::string& host, const HostAddress& address) {
    auto* h = stack_->host(host);
    if (!h || address.isNull() || address.isAny() || !hostOwning(address).empty()) return false;
    stack_->addAddress(*h, address);
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

std::string Network::hostOwning(const HostAddress& address) const { return stack_->hostOwning(address); }

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

std::uint64_t Network::addressProbes() const { return stack_->addressProbes(); }

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

void Network::setDefaultLink(const LinkParams& params) { links_->setDefault(params); }
void Network::setLoopbackLink(const LinkParams& params) { links_->setLoopback(params); }

void Network::setLink(const std::string& a, const std::string& b, const LinkParams& params) {
    links_->set(a, b, params);
}

const LinkParams& Network::link(const std::string& a, const std::string& b) const { return links_->between(a, b); }

void Network::setObserver(std::function<void(const NetEvent&)> observer) { log_->setObserver(std::move(observer)); }
bool Network::observed() const { return log_->observed(); }

void Network::emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail) {
    log_->emit(std::move(kind), std::move(from), std::move(to), bytes, std::move(detail));
}

void registerSimBackend() {
    BackendRegistry::instance().registerBackend(
        "sim", [](const BackendOptions& options) {
            auto net = std::make_unique<Network>(options.seed);
            net->loop().setDispatchOrder(options.dispatch);
            return net;
        });
}

}  // namespace simsock::sim
