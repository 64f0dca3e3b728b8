#include "loopback_map.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace simsock::scenario::detail {
HostAddress withoutIPv4Mapping(const HostAddress& a) {
    const auto& v6 = a.toIPv6Address();
    const bool mapped = a.protocol() == NetworkLayerProtocol::IPv6Protocol && v6[10] == 0xff && v6[11] == 0xff &&
                        std::all_of(v6.begin(), v6.begin() + 10, [](std::uint8_t b) { return b == 0; });
    if (!mapped) return a;
    return HostAddress::fromIPv4((std::uint32_t{v6[12]} << 24) | (std::uint32_t{v6[13]} << 16) |
                                 (std::uint32_t{v6[14]} << 8) | v6[15]);
}

bool realResolverAnswers(const std::string& name) {
    const std::string invalid = ".invalid";
    bool isInvalid = name.size() > invalid.size() && name.compare(name.size() - invalid.size(), invalid.size(), invalid) == 0;
    return name.empty() || name == "localhost" || isInvalid;
}

namespace {

// Binds a new socket of type to address:port without SO_REUSEADDR (so it never shares a port with
// another test's socket); the descriptor with the bound port in got, or -1.
int bindProbe(const HostAddress& address, std::uint16_t port, SocketType type, std::uint16_t& got) {
    bool v6 = address.protocol() == NetworkLayerProtocol::IPv6Protocol;
    int fd = ::socket(v6 ? AF_INET6 : AF_INET, (type == SocketType::UdpSocket ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_storage ss{};
    socklen_t len = 0;
    if (v6) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        std::memcpy(&sa->sin6_addr, address.toIPv6Address().data(), 16);
        len = sizeof(sockaddr_in6);
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        sa->sin_addr.s_addr = htonl(address.toIPv4Address());
        len = sizeof(sockaddr_in);
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
        ::close(fd);
        return -1;
    }
    got = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    return fd;
}

// A host with IPv6 addresses only, none of them loopback: it has no 127.0.0.x counterpart.
bool ipv6Only(const HostSpec& h) {
    return !h.addresses.empty() && std::all_of(h.addresses.begin(), h.addresses.end(), [](const std::string& a) {
        HostAddress lit(a);
        return lit.protocol() == NetworkLayerProtocol::IPv6Protocol && !lit.isLoopback();
    });
}

// Ports below 1024 need privileges the sim grants per host and this machine may not: never try them.
constexpr std::uint16_t kFirstUnprivilegedPort = 1024;

}  // namespace

LoopbackMap::LoopbackMap(const Scenario& s, bool realAddresses) : real_(realAddresses) {
    // The sockets' host first, so that it is 127.0.0.1: the address an unbound socket sends from.
    std::vector<std::string> order;
    if (!s.sockets.empty()) order.push_back(s.sockets.front().host);
    for (const auto& h : s.network.hosts)
        if (h.name != (order.empty() ? "" : order.front())) order.push_back(h.name);
    for (std::size_t i = 0; i < order.size() && i < 250; ++i)
        hosts_[order[i]] = HostAddress::fromIPv4((127u << 24) + static_cast<std::uint32_t>(i) + 1);
    for (const auto& h : s.network.hosts) {
        if (real_ && ipv6Only(h)) {
            // Its own addresses, on lo: the host is its first one, and each of its literals means itself.
            for (const auto& a : h.addresses) onLo_.emplace_back(a);
            hosts_[h.name] = HostAddress(h.addresses.front());
        }
        if (hosts_.count(h.name)) firstAddresses_[hosts_.at(h.name)] = h.addresses.front();
        if (h.privileged) privileged_.insert(h.name);
        for (const auto& a : h.addresses) {
            HostAddress lit(a);
            if (lit.protocol() == NetworkLayerProtocol::IPv4Protocol && !lit.isLoopback()) owners_[lit] = h.name;
        }
    }
    if (order.size() > 250) why_ = "more hosts than loopback addresses";
    separateNamedAddresses(s, static_cast<std::uint32_t>(std::min<std::size_t>(order.size(), 250)));
    for (const auto& a : s.actions) {
        if (!why_.empty()) break;
        for (const auto& sock : s.sockets)
            if (sock.name == a.socket) why_ = checkAction(a, sock.host);
        for (const auto& server : s.servers)
            if (server.name == a.socket) why_ = checkAction(a, server.host);
    }
    for (const auto& sock : s.sockets)
        if (why_.empty() && sock.proxy) why_ = checkProxyHost(sock.proxy->host, sock.host);
    if (why_.empty() && s.applicationProxy) why_ = checkProxyHost(s.applicationProxy->host, s.sockets.empty() ? std::string() : s.sockets.front().host);
    for (const auto& p : s.peers) {
        if (!why_.empty()) break;
        if (!p.connectHost.empty()) why_ = checkName(p.connectHost, p.host);
        if (why_.empty() && !p.address.empty()) why_ = checkName(p.address, p.host);
    }
}

// A peer listening on one of its host's other IPv4 addresses gets a loopback address of its own for it,
// so that the host's first address does not answer for it as well (tcp/peer_one_address.json). Only where
// nothing else needs the host's addresses to be one: no other peer, socket or server on that host (they
// bind every address of it, which is one loopback address), and no fault or link (they name the host's).
void LoopbackMap::separateNamedAddresses(const Scenario& s, std::uint32_t used) {
    if (!s.faults.empty() || !s.network.links.empty()) return;
    auto onHost = [&s](const std::string& host) {
        std::size_t n = 0;
        for (const auto& p : s.peers) n += p.host == host;
        for (const auto& sock : s.sockets) n += sock.host == host || sock.host.empty();
        for (const auto& server : s.servers) n += server.host == host || server.host.empty();
        return n;
    };
    for (const auto& p : s.peers) {
        auto lit = HostAddress::parse(p.address);
        if (!lit || used >= 250) continue;
        auto owner = owners_.find(*lit);
        if (owner == owners_.end() || owner->second != p.host || onHost(p.host) != 1) continue;
        auto first = firstAddresses_.find(hostAddress(p.host));
        if (first == firstAddresses_.end() || HostAddress::parse(first->second) == lit) continue;
        const HostAddress own = HostAddress::fromIPv4((127u << 24) + ++used);
        separate_[*lit] = own;
        firstAddresses_[own] = p.address;
    }
}

LoopbackMap::~LoopbackMap() {
    for (int fd : reserved_) ::close(fd);
}

// A proxy's host is an address of this machine, a host of the file, or a name for the real resolver,
// whose only use in a portable file is not to resolve (ProxyNotFoundError): a literal no host owns is
// unportable.
std::string LoopbackMap::checkProxyHost(const std::string& host, const std::string& fromHost) const {
    if (host.empty() || !HostAddress::parse(host) || addressOf(host, fromHost)) return {};
    return "proxy host \"" + host + "\" has no loopback counterpart";
}

std::string LoopbackMap::checkName(const std::string& hostOrLiteral, const std::string& fromHost) const {
    if (addressOf(hostOrLiteral, fromHost)) return {};
    return "address \"" + hostOrLiteral + "\" has no loopback counterpart";
}

std::string LoopbackMap::checkAction(const ActionSpec& a, const std::string& socketHost) const {
    const CallArgs args = callInfo(a.call).takes;
    if (args.has(CallArg::HostName)) {
        if (HostAddress::parse(a.host)) return checkName(a.host, socketHost);
        if (realResolverAnswers(a.host) || real_) return {};
        return "name \"" + a.host + "\" needs the sim's DNS (the real resolver knows localhost and .invalid)";
    }
    const bool binds = args.has(CallArg::LocalAddress);
    // A run namespace realises the host's privileges (KernelFaults::bindAs); elsewhere they are the sim's.
    if (binds && a.port != 0 && a.port < kFirstUnprivilegedPort && !privileged_.count(socketHost) && !real_)
        return "binding port " + std::to_string(a.port) + " on an unprivileged host (privileges are the sim's)";
    if (binds && !a.host.empty() && !bindAddressOf(a.host, socketHost))
        return "address \"" + a.host + "\" has no loopback counterpart";
    if (args.has(CallArg::RemoteAddress)) return checkName(a.host, socketHost);
    return {};
}

HostAddress LoopbackMap::hostAddress(const std::string& host) const {
    auto it = hosts_.find(host);
    return it == hosts_.end() ? HostAddress(HostAddress::SpecialAddress::LocalHost) : it->second;
}

std::optional<HostAddress> LoopbackMap::addressOf(const std::string& hostOrLiteral, const std::string& fromHost) const {
    auto lit = HostAddress::parse(hostOrLiteral);
    if (!lit) {
        if (hosts_.count(hostOrLiteral)) return hosts_.at(hostOrLiteral);
        return std::nullopt;
    }
    // On the sim, 127.0.0.1 and Any are the sending host's own; other loopback literals stay as written.
    if (*lit == HostAddress(HostAddress::SpecialAddress::LocalHost) || lit->isAny()) return hostAddress(fromHost);
    if (lit->isLoopback()) return lit;
    if (auto own = separate_.find(*lit); own != separate_.end()) return own->second;
    auto owner = owners_.find(*lit);
    if (owner != owners_.end()) return hostAddress(owner->second);
    if (std::find(onLo_.begin(), onLo_.end(), *lit) != onLo_.end()) return lit;
    return std::nullopt;
}

std::optional<HostAddress> LoopbackMap::bindAddressOf(const std::string& hostOrLiteral, const std::string& fromHost) const {
    if (auto a = addressOf(hostOrLiteral, fromHost)) return a;
    if (real_) return HostAddress::parse(hostOrLiteral);
    return std::nullopt;
}

std::uint16_t LoopbackMap::reach(const HostAddress& address, std::uint16_t port, SocketType type) {
    auto it = ports_.find(Key{address, port, type});
    if (it != ports_.end()) return it->second;
    // Port 0 stays port 0: no socket can listen there, and connecting to it is its own case (SEMANTICS.md).
    if (port == 0) return 0;
    // Nothing there: a closed port. For TCP a bound socket that never listens keeps it closed for the
    // whole run (a parallel test cannot start listening there); for UDP the probe's port is closed again.
    std::uint16_t got = 0;
    int fd = port >= kFirstUnprivilegedPort ? bindProbe(address, port, type, got) : -1;
    if (fd < 0) fd = bindProbe(address, 0, type, got);
    if (fd < 0) return port;
    if (type == SocketType::TcpSocket) {
        reserved_.push_back(fd);
    } else {
        ::close(fd);
    }
    ports_[Key{address, port, type}] = got;
    return got;
}

std::uint16_t LoopbackMap::bindPort(const HostAddress& address, std::uint16_t port, SocketType type) {
    if (port == 0) return 0;
    auto it = ports_.find(Key{address, port, type});
    if (it != ports_.end()) return it->second;
    // An ephemeral port, never the scenario's number: the socket binds with SO_REUSEADDR, and two
    // parallel tests binding the same fixed UDP port that way would share it.
    std::uint16_t got = 0;
    int fd = bindProbe(address, 0, type, got);
    if (fd < 0) return port;
    ::close(fd);
    ports_[Key{address, port, type}] = got;
    return got;
}

void LoopbackMap::setPort(const HostAddress& address, std::uint16_t port, SocketType type, std::uint16_t realPort) {
    ports_[Key{address, port, type}] = realPort;
}

void LoopbackMap::remember(const HostAddress& real, const std::string& literal) { spellings_[real] = literal; }

std::string LoopbackMap::scenarioAddress(const HostAddress& at) const {
    if (at.isNull()) return {};
    // A dual-stack socket sees an IPv4 peer as ::ffff:a.b.c.d; the scenario's host has the IPv4 address.
    const HostAddress real = withoutIPv4Mapping(at);
    if (auto it = spellings_.find(real); it != spellings_.end()) return it->second;
    if (auto it = firstAddresses_.find(real); it != firstAddresses_.end()) return it->second;
    return real.toString();
}

std::optional<std::uint16_t> LoopbackMap::scenarioPort(std::uint16_t real) const {
    for (const auto& [key, port] : ports_)
        if (port == real) return std::get<1>(key);
    return std::nullopt;
}

}  // namespace simsock::scenario::detail
