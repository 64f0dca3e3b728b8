// A real engine's faults, realised on the kernel of the run's own namespace (kernel_namespace.h): nft
// rules in the run's table, ip rules, and sockets that hold a port. Faults at scenario times are applied
// on the loop's real-time timers; a fault's duration removes it again.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "loopback_map.h"
#include "namespace_dns.h"
#include "simsock/event_loop.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

class KernelFaults {
public:
    KernelFaults(LoopbackMap& map, EventLoop& loop) : map_(map), loop_(loop) {}
    ~KernelFaults();
    KernelFaults(const KernelFaults&) = delete;
    KernelFaults& operator=(const KernelFaults&) = delete;

    /// Schedules (or, at time 0, applies) one fault; "" or why the kernel cannot.
    std::string inject(const FaultEntry& f);
    /// The run's DNS server, which lookup-failure faults change (null: the run has none).
    void setDns(NamespaceDns* dns) { dns_ = dns; }
    /// Problems met while applying faults later, on the loop (a tool that failed).
    const std::vector<std::string>& problems() const { return problems_; }

private:
    struct Applied {
        std::vector<std::string> nftRules;   ///< rule bodies in the run's chain
        std::vector<std::string> ipRules;    ///< `ip rule` arguments after add/del
        std::vector<int> heldFds;            ///< sockets holding a port
        std::string a, b;                    ///< partition: the two addresses
        bool limitedDescriptors = false;     ///< descriptor-exhaustion lowered RLIMIT_NOFILE
        bool droppedBindCapability = false;  ///< access-denied dropped CAP_NET_BIND_SERVICE
        std::string failedName;              ///< lookup-failure: the name the DNS server fails
    };
    void apply(int id, const FaultEntry& f);
    void remove(int id);
    void heal(const std::string& a, const std::string& b);
    void hostUnreachable(int id, const std::string& address, std::int64_t delayNs);
    void holdPort(Applied& applied, const std::string& host, std::uint16_t port);
    bool exhaustDescriptors();
    bool denyLowPorts(const std::string& host, std::uint16_t port);
    bool setBindCapability(bool on);
    void syncNft();
    void note(const std::string& problem);
    std::string addressOf(const std::string& host) const;

    LoopbackMap& map_;
    EventLoop& loop_;
    NamespaceDns* dns_ = nullptr;
    std::map<int, Applied> applied_;
    int next_ = 0;
    bool localRuleMoved_ = false;
    rlimit savedLimit_{};
    std::vector<std::string> problems_;
};

}  // namespace simsock::scenario::detail
