// The World on the simulated network: hosts, DNS, links and faults of the scenario, one seed.
#include <map>
#include <memory>
#include <set>

#include "registry_world.h"
#include "simsock/check.h"
#include "simsock/engines.h"
#include "simsock/scenario/world.h"
#include "simsock/sim/engine.h"
#include "simsock/sim/sim_backend.h"
#include "simsock/sim/network.h"

namespace simsock::scenario {
namespace {

sim::LinkParams linkParams(const LinkSpec& l) {
    sim::LinkParams p;
    if (l.latencyNs) p.latencyNs = *l.latencyNs;
    if (l.jitterNs) p.jitterNs = *l.jitterNs;
    if (l.bandwidthBytesPerSec) p.bandwidthBytesPerSec = *l.bandwidthBytesPerSec;
    if (l.lossPpm) p.lossPpm = *l.lossPpm;
    if (l.duplicatePpm) p.duplicatePpm = *l.duplicatePpm;
    if (l.reorderPpm) p.reorderPpm = *l.reorderPpm;
    if (l.reorderDelayNs) p.reorderDelayNs = *l.reorderDelayNs;
    if (l.tcpRetransmitNs) p.tcpRetransmitNs = *l.tcpRetransmitNs;
    if (l.mtu) p.mtu = *l.mtu;
    if (l.mtuLimitsDatagrams) p.mtuLimitsDatagrams = *l.mtuLimitsDatagrams;
    if (l.maxDatagram) p.maxDatagram = *l.maxDatagram;
    return p;
}

// Built through the kind's row of the fault table, so every kind the loader accepts builds as itself.
sim::FaultSpec faultSpec(const FaultEntry& f) {
    sim::FaultSpec s = sim::faultKindInfo(f.kind).build(f.values);
    if (f.durationNs) s.durationNs = *f.durationNs;
    s.label = f.label;
    return s;
}

sim::FaultTrigger faultTrigger(const FaultEntry& f) {
    if (f.atNs) return sim::FaultTrigger::atNsTime(*f.atNs);
    if (f.onEvent == sim::FaultTrigger::Kind::OnAccept)
        return sim::FaultTrigger::onAccept(f.values.host, f.values.port, f.times);
    return sim::FaultTrigger::afterBytes(f.values.host, f.values.port, f.onBytes, f.times);
}

class SimWorld final : public World {
public:
    explicit SimWorld(const Scenario& s) : net_(s.seed), namedPorts_(namedPorts(s)) {
        net_.loop().setDispatchOrder(s.dispatch);
        for (const auto& h : s.network.hosts) {
            std::vector<HostAddress> addrs;
            for (const auto& a : h.addresses) addrs.emplace_back(a);
            const bool added = net_.addHost(h.name, addrs);
            // The loader rejects what the sim cannot build (a shared or wildcard address): never silently.
            SIMSOCK_ASSERT_CTX(added, "SimWorld: the sim refused a host the loader accepted");
            net_.setHostPrivileged(h.name, h.privileged);
        }
        if (s.network.dnsDelayNs) net_.dns().setDefaultDelayNs(*s.network.dnsDelayNs);
        for (const auto& d : s.network.dns) {
            std::vector<HostAddress> addrs;
            for (const auto& a : d.addresses) addrs.emplace_back(a);
            if (!addrs.empty()) net_.dns().setRecord(d.name, addrs);
            if (d.delayNs) net_.dns().setDelayNs(d.name, *d.delayNs);
            if (d.failure) net_.dns().setFailure(d.name, *d.failure);
        }
        for (const auto& l : s.network.links) net_.setLink(l.a, l.b, linkParams(l));
        net_.setObserver([this](const sim::NetEvent& e) { record(e); });
    }

    Backend& backendOn(const std::string& host) override {
        auto it = backends_.find(host);
        if (it == backends_.end()) it = backends_.emplace(host, std::make_unique<sim::SimBackend>(net_, host)).first;
        return *it->second;
    }
    EventLoop& loop() override { return net_.loop(); }
    // The simulated network is the scenario's own: every address and port is where the file says.
    std::optional<Endpoint> endpointOf(const std::string& hostOrLiteral, std::uint16_t port, SocketType,
                                       const std::string&) override {
        if (auto lit = HostAddress::parse(hostOrLiteral)) return Endpoint{*lit, port};
        auto addrs = net_.hostAddresses(hostOrLiteral);
        if (addrs.empty()) return std::nullopt;
        return Endpoint{addrs.front(), port};
    }
    // A proxy resolves names itself, at once, in the simulated DNS (its delays are the client's lookups').
    std::optional<Endpoint> proxyDestination(const std::string& host, std::uint16_t port, const std::string&) override {
        if (auto lit = HostAddress::parse(host)) return Endpoint{*lit, port};
        const HostInfo info = net_.dns().answer(host);
        for (const HostAddress& a : info.addresses)
            if (a.protocol() == NetworkLayerProtocol::IPv4Protocol) return Endpoint{a, port};
        if (!info.addresses.empty()) return Endpoint{info.addresses.front(), port};
        return std::nullopt;
    }
    int bindPeer(SocketEngine& engine, const std::string&, const std::string& address, std::uint16_t port,
                 SocketType) override {
        const HostAddress at = address.empty() ? HostAddress(HostAddress::SpecialAddress::Any) : HostAddress(address);
        return engine.bind(at, port, BindFlag::DefaultForPlatform);
    }
    ActionSpec realise(const ActionSpec& action, const std::string&, SocketType) override { return action; }
    ReturnValue scenarioPort(std::uint16_t port) const override {
        if (port == 0 || namedPorts_.count(port)) return std::int64_t{port};
        return Word{"ephemeral"};
    }
    std::string scenarioAddress(const HostAddress& address) const override {
        return address.isNull() ? std::string() : address.toString();
    }
    std::string injectFault(const FaultEntry& f) override {
        net_.injectFault(faultSpec(f), faultTrigger(f));
        return {};
    }
    void runUntilNs(std::int64_t endNs) override {
        std::int64_t now = net_.simLoop().nowNs();
        if (endNs > now) net_.simLoop().advanceNs(endNs - now);
    }
    bool setStopCheck(std::uint64_t every, std::function<bool(std::uint64_t)> stop) override {
        sim::SimLoop& loop = net_.simLoop();
        loop.setStopCheck(every, [&loop, stop = std::move(stop), from = loop.eventsProcessed()] {
            return stop(loop.eventsProcessed() - from);
        });
        return true;
    }

private:
    void record(const sim::NetEvent& e) {
        if (e.kind == sim::kPacketArrives || e.kind == sim::kPacketLost) return settle(e);
        LogEvent l;
        l.timeNs = e.timeNs;
        l.actor = "network";
        l.what = e.kind;
        l.bytes = e.bytes;
        l.target = e.to;
        l.detail = e.from + (e.detail.empty() ? "" : " " + e.detail);
        if (e.packet.id != 0) {
            const sim::NetPacket& p = e.packet;
            l.packet = PacketFacts{p.kind, p.fromHost, p.toHost, e.bytes, p.arrivalNs, -1, p.retransmitNs};
            packetEntries_[p.id] = log().size();
        }
        log().push_back(std::move(l));
    }

    // A packet's fate completes the entry that sent it; fates are no log lines of their own, so the
    // log (and what is compared of it) is what it was before packets were reported.
    void settle(const sim::NetEvent& e) {
        const bool lost = e.kind == sim::kPacketLost;
        auto it = packetEntries_.find(e.packet.id);
        if (it == packetEntries_.end()) {
            // A datagram dropped before it left: it belongs to the decision logged just before.
            if (!lost || log().empty()) return;
            const sim::NetPacket& p = e.packet;
            log().back().packet = PacketFacts{p.kind, p.fromHost, p.toHost, e.bytes, -1, e.timeNs, 0};
            return;
        }
        PacketFacts& p = *log()[it->second].packet;
        (lost ? p.lostNs : p.arrivalNs) = e.timeNs;
        if (lost) p.arrivalNs = -1;
        packetEntries_.erase(it);
    }

    sim::Network net_;
    std::map<std::uint64_t, std::size_t> packetEntries_;  // packets in flight: id -> their log entry
    std::map<std::string, std::unique_ptr<sim::SimBackend>> backends_;
    std::set<std::uint16_t> namedPorts_;
};

}  // namespace

std::unique_ptr<World> makeWorld(const std::string& engine, const Scenario& scenario, std::string& error) {
    if (engine == kDefaultEngine) return std::make_unique<SimWorld>(scenario);
    return detail::makeRegistryWorld(engine, scenario, error);
}

std::set<std::uint16_t> namedPorts(const Scenario& s) {
    std::set<std::uint16_t> out;
    for (const auto& p : s.peers) {
        out.insert(p.port);
        out.insert(p.connectPort);
        if (p.isProxy()) out.insert(p.proxy.boundPort);  // what localPort() says through a SOCKS5 proxy
    }
    for (const auto& sock : s.sockets)
        if (sock.proxy) out.insert(sock.proxy->port);
    if (s.applicationProxy) out.insert(s.applicationProxy->port);
    for (const auto& a : s.actions)
        if (callInfo(a.call).takes.has(CallArg::Port)) out.insert(a.port);
    out.erase(0);
    return out;
}

std::string LogEvent::str() const {
    std::string s = std::to_string(timeNs) + " " + actor + " " + what + " bytes=" + std::to_string(bytes);
    if (!target.empty()) s += " -> " + target;
    if (!detail.empty()) s += " " + detail;
    return s;
}

}  // namespace simsock::scenario
