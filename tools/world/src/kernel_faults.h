// A real engine's faults, realised on the kernel of the run's own namespace (kernel_namespace.h): nft
// rules in the run's table, ip rules, sockets that hold a port, lo's MTU. Faults at scenario times are
// applied on the loop's real-time timers; a fault's duration removes it again. Faults on an event
// (accept, afterBytes) are armed here and acted on by the tcp-server peer that accepted the connection
// (connectionFault). As the HostRules of every host's engines it also keeps the sim's per-host
// privileges (binds below 1024) and datagram limits (path-MTU discovery) on the one kernel.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "host_backend.h"
#include "loopback_map.h"
#include "namespace_dns.h"
#include "simsock/peer/peer_environment.h"
#include "simsock/event_loop.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

/// Why lo's one MTU cannot realise s's datagram limits ("" when it can): the links' mtu and the
/// datagram-limit faults (limit + 28) must ask for one value, IPv4 only, at least lo's smallest MTU.
std::string loopbackMtuRefusal(const Scenario& s);

class KernelFaults final : public HostRules {
public:
    /// The faults of s's run; s's hosts say which are privileged, its links where datagrams are limited.
    KernelFaults(LoopbackMap& map, EventLoop& loop, const Scenario& s);
    ~KernelFaults() override;
    KernelFaults(const KernelFaults&) = delete;
    KernelFaults& operator=(const KernelFaults&) = delete;

    /// Schedules (or, at time 0, applies; on an event, arms) one fault; "" or why the kernel cannot or
    /// what failed applying it now.
    std::string inject(const FaultEntry& f);
    /// The run's DNS server, which lookup-failure faults change (null: the run has none).
    void setDns(NamespaceDns* dns) { dns_ = dns; }
    /// Problems met while applying or removing faults later, on the loop (a tool that failed); inject()
    /// returns its own instead.
    const std::vector<std::string>& problems() const { return problems_; }
    /// Sets lo's MTU for the scenario's links (once, before the run); "" or what failed.
    std::string applyLinks();
    /// What the armed event faults do to a connection that a tcp-server peer on host accepted, at
    /// progress: the first that fires decides (each fires `times` times, as on the sim).
    peer::ConnectionFault connectionFault(const std::string& host, const peer::ConnectionProgress& progress);

    int bindAs(const std::string& host, std::uint16_t port, const std::function<int()>& bind) override;
    void beforeDatagram(const std::string& host, std::intptr_t descriptor, const HostAddress& to) override;

private:
    struct Applied {
        std::vector<std::string> nftRules;   ///< rule bodies in the run's chain
        std::vector<std::string> ipRules;    ///< `ip rule` arguments after add/del
        std::vector<int> heldFds;            ///< sockets holding a port
        std::string a, b;                    ///< partition: the two addresses
        bool limitedDescriptors = false;     ///< descriptor-exhaustion lowered RLIMIT_NOFILE
        bool droppedBindCapability = false;  ///< access-denied dropped CAP_NET_BIND_SERVICE
        std::string failedName;              ///< lookup-failure: the name the DNS server fails
        std::string limitedHost;             ///< datagram-limit: datagrams from this host are limited
        std::int64_t datagramLimit = 0;      ///< datagram-limit: the largest payload
    };
    /// A fault waiting for its event (FaultTrigger::Kind::OnAccept or AfterBytes).
    struct Armed {
        sim::FaultSpec spec;
        sim::FaultTrigger::Kind on;
        std::int64_t bytes;
        int times;
    };
    void apply(int id, const FaultEntry& f);
    void remove(int id);
    void heal(const std::string& a, const std::string& b);
    void hostUnreachable(int id, const std::string& address, std::int64_t delayNs);
    void holdPort(Applied& applied, const std::string& host, std::uint16_t port);
    bool exhaustDescriptors();
    bool denyLowPorts(const std::string& host, std::uint16_t port);
    bool setBindCapability(bool on);
    bool bindCapabilityDropped() const;
    void limitDatagrams(Applied& applied, const std::string& host, std::int64_t limit);
    void syncLoopbackMtu();
    bool datagramLimited(const std::string& host, const HostAddress& to) const;
    void syncNft();
    void note(const std::string& problem);
    /// The first problem noted since problems_ held known of them, taken out of problems_ ("" if none).
    std::string takeProblemsSince(std::size_t known);
    std::string addressOf(const std::string& host) const;

    LoopbackMap& map_;
    EventLoop& loop_;
    NamespaceDns* dns_ = nullptr;
    std::map<int, Applied> applied_;
    int next_ = 0;
    bool localRuleMoved_ = false;
    rlimit savedLimit_{};
    std::vector<std::string> problems_;
    std::vector<Armed> armed_;
    std::vector<LinkSpec> links_;          ///< the scenario's links (their mtu and mtuLimitsDatagrams)
    bool datagramLimits_ = false;          ///< a fault or link limits datagrams: sends set PMTU discovery
    std::int64_t loopbackMtu_ = 0;         ///< the MTU lo was last set to (0: untouched)
};

}  // namespace simsock::scenario::detail
