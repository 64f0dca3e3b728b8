// The scenario's DNS on a real engine: a small DNS server on the run namespace's loopback that answers the
// scenario's table (each host's name, the `dns` entries, their delays and failures, lookup-failure faults),
// and the namespace's resolver pointed at it (resolv.conf and nsswitch.conf bind-mounted in the run's own
// mount namespace). glibc's getaddrinfo, which the epoll engine calls on its resolver threads, then sees
// the same names the sim's resolver knows. The server runs on a thread of its own: the loop thread may be
// blocked in a wait while a lookup is pending, as a real remote DNS server would not care.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "simsock/host_address.h"
#include <optional>

#include "simsock/sim/sim_resolver.h"

namespace simsock::scenario::detail {

/// One name's answer, as the sim's resolver would give it.
struct NamespaceDnsRecord {
    std::vector<HostAddress> addresses;          ///< real (realised) addresses, in the scenario's order
    std::optional<std::int64_t> delayNs;         ///< overrides the default delay
    sim::DnsFailure failure = sim::DnsFailure::None;
};

class NamespaceDns {
public:
    /// The server's address: inside 127.0.0.0/8 but far from the hosts' 127.0.0.1, 127.0.0.2, ...
    static constexpr const char* kServerAddress = "127.255.0.53";

    /// records: lower-case name -> answer; a name not in it gets NXDOMAIN after defaultDelayNs.
    NamespaceDns(std::map<std::string, NamespaceDnsRecord> records, std::int64_t defaultDelayNs);
    ~NamespaceDns();
    NamespaceDns(const NamespaceDns&) = delete;
    NamespaceDns& operator=(const NamespaceDns&) = delete;

    /// Binds the server, starts its thread and points the namespace's resolver at it. Only inside a run
    /// namespace (the mounts would otherwise change the machine's resolver). "" or why it could not.
    std::string start();
    /// From now on lookups of name fail with kind (None clears it), as a lookup-failure fault does on the sim.
    void setFailure(const std::string& name, sim::DnsFailure kind);
    /// The answer's addresses for name now ("" failures and unknown names give none).
    std::vector<HostAddress> addressesOf(const std::string& name) const;

private:
    struct Pending;
    void serve();
    std::vector<std::uint8_t> answer(const std::vector<std::uint8_t>& query) const;
    std::int64_t delayOf(const std::vector<std::uint8_t>& query) const;

    mutable std::mutex mutex_;  ///< guards records_: faults change them from the loop thread
    std::map<std::string, NamespaceDnsRecord> records_;
    const std::int64_t defaultDelayNs_;
    int socket_ = -1;
    int stop_ = -1;  ///< an eventfd that wakes the server to stop
    std::thread thread_;
};

}  // namespace simsock::scenario::detail
