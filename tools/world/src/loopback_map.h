// How a real engine realises a scenario's network on this one machine. Each scenario host gets its own
// loopback address — the sockets' host 127.0.0.1, the other hosts 127.0.0.2, 127.0.0.3 ... in file
// order (Linux routes all of 127.0.0.0/8 to lo) — and a host's IPv4 literals become that address.
// Scenario ports become real ones: the same number where it is unprivileged and free, an ephemeral one
// otherwise; the map remembers which, so a connect or a datagram to the scenario's host:port arrives.
// A host's other IPv4 addresses are its first one's loopback address, except one that a peer listens on
// alone (separateNamedAddresses), which gets a loopback address of its own.
// Outside a run's own namespace nothing here names an address outside loopback: what cannot be mapped
// makes the file unportable. Inside one (realAddresses), the run may use real addresses, as the sim does:
// an IPv6-only host keeps its own addresses (put on lo, kernel_network.h), and a bind to a literal no host
// owns binds that literal (the kernel answers EADDRNOTAVAIL, as the sim does).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "simsock/engine.h"
#include "simsock/host_address.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

class LoopbackMap {
public:
    /// The map of s; realAddresses: the run is in its own namespace, where real addresses may be used and
    /// the scenario's DNS (namespace_dns) answers any name.
    explicit LoopbackMap(const Scenario& s, bool realAddresses = false);
    ~LoopbackMap();
    LoopbackMap(const LoopbackMap&) = delete;
    LoopbackMap& operator=(const LoopbackMap&) = delete;

    /// Why the scenario cannot run on loopback ("" when it can): the first address or name without a
    /// loopback counterpart.
    const std::string& unportable() const { return why_; }
    /// The loopback address of a declared host (127.0.0.1 for an unknown one, which the loader forbids).
    HostAddress hostAddress(const std::string& host) const;
    /// A declared host name or a literal as a program on fromHost means it; nullopt when unmappable.
    std::optional<HostAddress> addressOf(const std::string& hostOrLiteral, const std::string& fromHost) const;
    /// The address a bind to hostOrLiteral on fromHost binds: addressOf, else with real addresses a literal
    /// as it is (no host owns it: the bind fails as on the sim); nullopt when unmappable.
    std::optional<HostAddress> bindAddressOf(const std::string& hostOrLiteral, const std::string& fromHost) const;
    /// Whether host may bind ports below 1024 (the scenario's `privileged`).
    bool privileged(const std::string& host) const { return privileged_.count(host) != 0; }
    /// The addresses the run's namespace must put on lo (the IPv6-only hosts' addresses), in file order;
    /// empty without real addresses.
    const std::vector<HostAddress>& realAddresses() const { return onLo_; }
    /// The real port behind the scenario's address:port; a closed port (connects are refused) when
    /// nothing was put there.
    std::uint16_t reach(const HostAddress& address, std::uint16_t port, SocketType type);
    /// The real port a socket under test binds for the scenario's address:port (0 stays 0).
    std::uint16_t bindPort(const HostAddress& address, std::uint16_t port, SocketType type);
    /// Records that the scenario's address:port is really at realPort (a peer listens there).
    void setPort(const HostAddress& address, std::uint16_t port, SocketType type, std::uint16_t realPort);
    /// Records that the scenario spelled the real address as literal (the last spelling wins), so that an
    /// address a call returns reads as the file wrote it.
    void remember(const HostAddress& real, const std::string& literal);
    /// A real address as the scenario names it: the last literal remembered for it, else the first
    /// address of the host whose loopback address it is, else its own spelling ("" when null). An
    /// IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4 peer) is taken as the IPv4 one.
    std::string scenarioAddress(const HostAddress& real) const;
    /// The scenario's port behind a real one, or nullopt when the scenario never named it.
    std::optional<std::uint16_t> scenarioPort(std::uint16_t real) const;

private:
    using Key = std::tuple<HostAddress, std::uint16_t, SocketType>;
    std::string checkAction(const ActionSpec& a, const std::string& socketHost) const;
    std::string checkName(const std::string& hostOrLiteral, const std::string& fromHost) const;
    std::string checkProxyHost(const std::string& host, const std::string& fromHost) const;
    void separateNamedAddresses(const Scenario& s, std::uint32_t used);

    std::map<std::string, HostAddress> hosts_;    ///< scenario host -> its loopback address
    std::map<HostAddress, std::string> owners_;   ///< a host's scenario literal -> the host
    std::map<HostAddress, HostAddress> separate_;  ///< a peer's own address (not its host's first) -> its loopback address
    std::set<std::string> privileged_;            ///< hosts that may bind below 1024 on the sim
    std::map<Key, std::uint16_t> ports_;
    std::map<HostAddress, std::string> spellings_;  ///< real address -> the scenario literal last used for it
    std::map<HostAddress, std::string> firstAddresses_;  ///< a host's loopback address -> its first scenario address
    std::vector<HostAddress> onLo_;  ///< real addresses the namespace puts on lo (realAddresses())
    bool real_ = false;             ///< in a run's own namespace: real addresses allowed
    std::vector<int> reserved_;  ///< bound, never listening TCP sockets: closed ports nobody else takes
    std::string why_;
};

/// An IPv4-mapped IPv6 address (::ffff:a.b.c.d, how a dual-stack socket names an IPv4 peer) as the IPv4
/// address; any other address as it is.
HostAddress withoutIPv4Mapping(const HostAddress& a);

/// Whether the machine's own resolver answers name without the scenario's DNS: localhost, and the
/// reserved .invalid domain, which never resolves (RFC 6761).
bool realResolverAnswers(const std::string& name);

}  // namespace simsock::scenario::detail
