// The fault kinds of the scenario format as C++ calls on a SimNet (sim_net.h):
//
//   net.refuse("server", 8080);                       // SYNs to server:8080 are answered with RST
//   net.resetAfterBytes("server", 8080, 1000);        // the connection is reset once 1000 bytes went by
//   auto cut = net.partition("local", "server");      // ... later: net.heal("local", "server")
//   net.inject("drop-syn", FaultArgs().host("server").port(8080), sim::FaultTrigger::atNsTime(50'000'000));
//
// inject() takes any kind of the sim's fault table (sim/fault_kinds.h) with the fields a scenario file
// gives, and builds it with the table's builder, so a kind added to the table is usable here at once; the
// named calls are shorthands for the common ones. sim/fault_plan.h says what each fault does. Every call
// returns the fault's id (clearFault ends it); a call the table rejects is a test failure and returns 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "simsock/sim/fault_kinds.h"
#include "simsock/sim/fault_plan.h"
#include "simsock/sim/network.h"

namespace simsock::testing {

/// A fault's field values (sim::FaultValues) set one by one, each setter named after the field's key in
/// scenario files; the fields a kind does not take are ignored. (A designated initializer of FaultValues
/// works too, but -Wextra warns about every field it leaves out.)
class FaultArgs {
public:
    FaultArgs& host(std::string h) { values_.host = std::move(h); return *this; }
    FaultArgs& otherHost(std::string h) { values_.otherHost = std::move(h); return *this; }
    FaultArgs& port(std::uint16_t p) { values_.port = p; return *this; }
    FaultArgs& name(std::string n) { values_.name = std::move(n); return *this; }
    FaultArgs& failure(sim::DnsFailure f) { values_.failure = f; return *this; }
    /// The "delay" field, in milliseconds.
    FaultArgs& delayMs(std::int64_t ms) { values_.delayNs = ms * 1'000'000; return *this; }
    FaultArgs& limit(std::int64_t l) { values_.limit = l; return *this; }
    /// The values, for FaultCalls::inject.
    operator const sim::FaultValues&() const { return values_; }  // NOLINT: implicit by design

private:
    sim::FaultValues values_;
};

class FaultCalls {
public:
    virtual ~FaultCalls() = default;

    // Any kind of the table.
    /// A fault of kind built from values (the fields kind takes are read; one it needs and lacks is a test
    /// failure), taking effect at trigger; a condition holds for durationMs once it does (-1: until cleared).
    sim::FaultId inject(sim::FaultKind kind, const sim::FaultValues& values,
                        const sim::FaultTrigger& trigger = sim::FaultTrigger::now(), std::int64_t durationMs = -1);
    /// The same, with the kind spelled as scenario files and logs spell it ("drop-syn").
    sim::FaultId inject(std::string_view kind, const sim::FaultValues& values,
                        const sim::FaultTrigger& trigger = sim::FaultTrigger::now(), std::int64_t durationMs = -1);
    /// A fault built by hand (FaultSpec's builders), taking effect at trigger.
    sim::FaultId inject(const sim::FaultSpec& fault, const sim::FaultTrigger& trigger = sim::FaultTrigger::now());
    /// Ends a condition or disarms a waiting fault; false when id is unknown or already over.
    bool clearFault(sim::FaultId id);

    // Conditions, from now until cleared.
    /// SYNs to host:port (0: every port) are answered with RST: connects are refused.
    sim::FaultId refuse(const std::string& host, std::uint16_t port = 0);
    /// SYNs to host:port vanish: connects time out.
    sim::FaultId dropSyn(const std::string& host, std::uint16_t port = 0);
    /// Nothing passes between hosts a and b (TCP segments wait, SYNs and datagrams are lost).
    sim::FaultId partition(const std::string& a, const std::string& b);
    /// Ends every partition between a and b.
    sim::FaultId heal(const std::string& a, const std::string& b);
    /// Connects to host fail with EHOSTUNREACH after the table's default delay; datagrams to it vanish.
    sim::FaultId hostUnreachable(const std::string& host);
    /// Connects and datagrams to host (empty: every other host) fail at once with ENETUNREACH.
    sim::FaultId networkUnreachable(const std::string& host = {});
    /// Lookups of name fail (NXDOMAIN: HostNotFoundError; SERVFAIL: UnknownSocketError).
    sim::FaultId lookupFailure(const std::string& name, sim::DnsFailure failure = sim::DnsFailure::NxDomain);
    /// Connects to host:port fail with ETIMEDOUT after the table's default delay.
    sim::FaultId connectTimeout(const std::string& host, std::uint16_t port = 0);
    /// New descriptors on host fail with EMFILE.
    sim::FaultId exhaustDescriptors(const std::string& host);
    /// Binding host:port fails with EADDRINUSE.
    sim::FaultId addressInUse(const std::string& host, std::uint16_t port);
    /// Binding host:port (0: every port below 1024) fails with EACCES.
    sim::FaultId accessDenied(const std::string& host, std::uint16_t port = 0);
    /// Datagrams from host above limit bytes fail with EMSGSIZE.
    sim::FaultId datagramLimit(const std::string& host, std::int64_t limit);

    // Actions on the connections to a listening host:port.
    /// Resets every established connection to host:port now (RST both ways).
    sim::FaultId resetConnections(const std::string& host, std::uint16_t port);
    /// Closes (FIN from host's side) every established connection to host:port now.
    sim::FaultId closeConnections(const std::string& host, std::uint16_t port);
    /// Resets a connection to host:port once it has carried bytes payload bytes (both directions), times
    /// times (-1: every connection).
    sim::FaultId resetAfterBytes(const std::string& host, std::uint16_t port, std::int64_t bytes, int times = 1);
    /// Closes a connection to host:port from host's side once it has carried bytes payload bytes.
    sim::FaultId closeAfterBytes(const std::string& host, std::uint16_t port, std::int64_t bytes, int times = 1);
    /// Resets a connection to host:port as it is accepted, times times.
    sim::FaultId resetOnAccept(const std::string& host, std::uint16_t port, int times = 1);
    /// Closes a connection to host:port from host's side as it is accepted, times times.
    sim::FaultId closeOnAccept(const std::string& host, std::uint16_t port, int times = 1);

protected:
    /// The network the faults go into.
    virtual sim::Network& faultTarget() = 0;
};

}  // namespace simsock::testing
