// The simulated network: a Backend whose loop runs on virtual time, whose resolver is a DNS table,
// and whose engines are sockets on simulated hosts joined by links with latency, bandwidth and faults.
//
// Build one from C++ like this:
//   sim::Network net(seed);                       // host "local" exists already
//   net.addHost("server", {HostAddress("10.0.0.2")});   // also adds DNS "server" -> 10.0.0.2
//   net.setLink("local", "server", LinkParams{.latencyNs = 5'000'000});
//   net.dns().setRecord("example.org", {HostAddress("10.0.0.2")});
//   net.injectFault(FaultSpec::refusePort("server", 81), FaultTrigger::atNsTime(100'000'000));
//   auto engine = net.createEngine(SocketType::TcpSocket);   // a socket on the current host
//   net.simLoop().runUntil(pred, 5000);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "simsock/backend.h"
#include "simsock/sim/fault_plan.h"
#include "simsock/sim/link.h"
#include "simsock/sim/net_event.h"
#include "simsock/sim/random.h"
#include "simsock/sim/sim_loop.h"
#include "simsock/sim/sim_resolver.h"

namespace simsock::sim {

class SimEngine;
namespace detail {
class LinkTable;
class NetLog;
class Stack;
struct Sock;
}

class Network final : public Backend {
public:
    static constexpr const char* kLocalHostName = "local";
    /// The addresses "local" uses towards other hosts (RFC 5737 / RFC 3849 documentation ranges), so
    /// replies addressed to it (a UDP echo) find their way back.
    static constexpr const char* kLocalIPv4 = "192.0.2.1";
    static constexpr const char* kLocalIPv6 = "2001:db8::1";

    /// A network with one host, "local" (127.0.0.1, ::1, 192.0.2.1, 2001:db8::1), and the default
    /// link everywhere.
    explicit Network(std::uint64_t seed = 1);
    ~Network() override;
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // Backend.
    std::string name() const override { return "sim"; }
    EventLoop& loop() override;
    Resolver& resolver() override;
    /// An engine on the current host (see setCurrentHost).
    std::unique_ptr<SocketEngine> createEngine(SocketType type) override;

    /// The loop with its simulator-only controls (advanceNs, event bounds).
    SimLoop& simLoop() { return *loop_; }
    /// The DNS table and resolver.
    SimResolver& dns() { return *resolver_; }
    /// The run's one source of randomness.
    Random& random() { return random_; }
    std::uint64_t seed() const { return seed_; }

    // Hosts.
    /// Adds a host with its addresses (loopback is implicit on every host) and a DNS record for its
    /// name when none exists. False when the name is taken or an address belongs to another host.
    bool addHost(const std::string& name, const std::vector<HostAddress>& addresses);
    /// Gives an existing host one more address; false when unknown or taken.
    bool addAddress(const std::string& host, const HostAddress& address);
    bool hasHost(const std::string& name) const;
    /// Host names in sorted order.
    std::vector<std::string> hostNames() const;
    /// The host's configured addresses (empty for an unknown host).
    std::vector<HostAddress> hostAddresses(const std::string& name) const;
    /// The host owning address (loopback addresses: none), or the empty string.
    std::string hostOwning(const HostAddress& address) const;
    /// Privileged hosts may bind ports below 1024 (default: unprivileged, EACCES).
    void setHostPrivileged(const std::string& name, bool privileged);
    /// The per-host descriptor limit (RLIMIT_NOFILE; default 1024, descriptors start at 3).
    void setDescriptorLimit(const std::string& name, int limit);
    /// Open descriptors on a host.
    int openDescriptors(const std::string& name) const;
    /// Host entries examined so far to find which host owns an address or a network: a count for
    /// complexity tests (near-linear in the hosts and packets, never their product).
    std::uint64_t addressProbes() const;
    /// Which host createEngine() puts new sockets on (default "local"); false for an unknown host.
    /// Sockets create engines lazily and a TcpServer makes one per accepted connection, so a socket or
    /// server that lives on another host should be given a sim::SimBackend for it instead.
    bool setCurrentHost(const std::string& name);
    const std::string& currentHost() const { return currentHost_; }
    /// An engine on a named host; null for an unknown host.
    std::unique_ptr<SimEngine> createEngineOn(const std::string& host, SocketType type);
    /// A socket descriptor held by the network without an engine (as test code's socket() would
    /// make), for SocketEngine::adoptDescriptor. Returns -1 and sets *err on failure.
    std::intptr_t createDescriptor(const std::string& host, SocketType type, NetworkLayerProtocol protocol,
                                   int* err = nullptr);
    /// Closes a descriptor no engine has adopted (an accepted connection nobody took). 0 or EBADF.
    int closeDescriptor(const std::string& host, std::intptr_t fd);

    // Links.
    /// The link used between hosts without a link of their own.
    void setDefaultLink(const LinkParams& params);
    /// The link between a and b (both directions).
    void setLink(const std::string& a, const std::string& b, const LinkParams& params);
    /// Traffic a host sends to itself.
    void setLoopbackLink(const LinkParams& params);
    /// The parameters in force between a and b (loopback when a == b).
    const LinkParams& link(const std::string& a, const std::string& b) const;

    // Faults.
    /// Schedules a fault (see fault_plan.h). Returns an id for clearFault.
    FaultId injectFault(const FaultSpec& fault, const FaultTrigger& trigger = FaultTrigger::now());
    /// Ends a condition or disarms a trigger; false when unknown.
    bool clearFault(FaultId id);
    /// The plan: active conditions, armed triggers, and the questions the simulated kernel asks.
    const FaultPlan& faults() const { return faults_; }
    FaultPlan& faultPlan() { return faults_; }

    // Observation.
    /// Receives every packet-level action, peer action and fault decision as it happens.
    void setObserver(std::function<void(const NetEvent&)> observer);
    /// Whether an observer is set (callers skip building an event's text otherwise).
    bool observed() const;
    /// Reports an event to the observer, stamped with the current virtual time.
    void emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail);

    /// Runs the loop for ms virtual milliseconds.
    void runForMs(std::int64_t ms) { loop_->advanceNs(ms * 1'000'000); }

    /// The simulated kernel, for the engines.
    detail::Stack& stack() { return *stack_; }

private:
    void applyFault(FaultId id, const FaultSpec& fault);
    void actOnConnection(FaultId id, const FaultSpec& fault, const std::shared_ptr<detail::Sock>& serverSide);
    // Event triggers, reported by the stack through its context.
    void fireAccept(const std::shared_ptr<detail::Sock>& serverSide);
    void fireBytes(const std::shared_ptr<detail::Sock>& serverSide, std::int64_t before, std::int64_t after);

    std::uint64_t seed_;
    Random random_;
    std::unique_ptr<SimLoop> loop_;
    std::unique_ptr<SimResolver> resolver_;
    std::unique_ptr<detail::NetLog> log_;
    std::unique_ptr<detail::LinkTable> links_;
    FaultPlan faults_;
    std::unique_ptr<detail::Stack> stack_;  // after everything its context refers to
    std::string currentHost_ = kLocalHostName;
    std::map<FaultId, TimerId> scheduledFaults_;  // AtTime faults not yet due, and durations running
};

/// Registers the "sim" factory in BackendRegistry (the seed comes from BackendOptions).
void registerSimBackend();

}  // namespace simsock::sim
