// Datagram limits on the kernel: the sim refuses a datagram above a limit with EMSGSIZE (a datagram-limit
// fault on the sending host, or a link whose MTU limits datagrams). The kernel does the same for a socket
// with path-MTU discovery on (IP_PMTUDISC_DO) whose datagram does not fit the route's MTU; every host is
// on lo here, so lo's MTU becomes the limit plus the IPv4 and UDP headers, and only the datagrams the sim
// would limit leave with discovery on: the others are fragmented as by default (IP_PMTUDISC_WANT).
#include "kernel_faults.h"

#include <algorithm>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>

#include "kernel_tools.h"

namespace simsock::scenario::detail {
namespace {

constexpr std::int64_t kIpv4UdpHeaders = 28;
constexpr std::int64_t kDefaultLoopbackMtu = 65536;  // lo's MTU in a fresh namespace
constexpr std::int64_t kSmallestLoopbackMtu = 68;    // the kernel's IPv4 minimum

bool hasColon(const std::string& text) { return text.find(':') != std::string::npos; }

// Whether s names an IPv6 address anywhere a datagram could go: lo's MTU below 1280 takes ::1 away.
bool namesIPv6(const Scenario& s) {
    for (const auto& h : s.network.hosts)
        for (const auto& a : h.addresses)
            if (hasColon(a)) return true;
    for (const auto& a : s.actions)
        if (hasColon(a.host)) return true;
    for (const auto& p : s.peers)
        if (hasColon(p.address) || hasColon(p.connectHost)) return true;
    return false;
}

}  // namespace

std::string loopbackMtuRefusal(const Scenario& s) {
    std::set<std::int64_t> mtus;
    for (const auto& l : s.network.links)
        if (l.mtu) mtus.insert(*l.mtu);
    for (const auto& f : s.faults)
        if (f.kind == sim::FaultKind::DatagramLimit) mtus.insert(f.values.limit.value_or(0) + kIpv4UdpHeaders);
    if (mtus.empty()) return {};
    if (mtus.size() > 1)
        return "the links' mtu and the datagram limits (+28) ask lo for " + std::to_string(mtus.size()) +
               " MTUs; the kernel realises one";
    if (*mtus.begin() < kSmallestLoopbackMtu) return "a datagram limit below lo's smallest MTU (68 - 28 bytes)";
    if (namesIPv6(s)) return "datagram limits and link MTUs are realised for IPv4 only (lo's MTU)";
    return {};
}

std::string KernelFaults::applyLinks() {
    const std::size_t known = problems_.size();
    syncLoopbackMtu();
    return takeProblemsSince(known);
}

void KernelFaults::limitDatagrams(Applied& applied, const std::string& host, std::int64_t limit) {
    applied.limitedHost = host;
    applied.datagramLimit = limit;
    syncLoopbackMtu();
}

// lo's MTU: an applied datagram limit's, else the links', else the default (loopbackMtuRefusal made them agree).
void KernelFaults::syncLoopbackMtu() {
    std::int64_t mtu = kDefaultLoopbackMtu;
    for (const auto& l : links_)
        if (l.mtu) mtu = *l.mtu;
    for (const auto& [id, a] : applied_)
        if (!a.limitedHost.empty()) mtu = a.datagramLimit + kIpv4UdpHeaders;
    if (mtu == (loopbackMtu_ ? loopbackMtu_ : kDefaultLoopbackMtu)) return;
    loopbackMtu_ = mtu;
    note(runTool({"ip", "link", "set", "lo", "mtu", std::to_string(mtu)}));
}

bool KernelFaults::datagramLimited(const std::string& host, const HostAddress& to) const {
    for (const auto& [id, a] : applied_)
        if (!a.limitedHost.empty() && a.limitedHost == host) return true;
    for (const auto& l : links_) {
        if (!l.mtuLimitsDatagrams.value_or(false)) continue;
        if ((l.a == host && map_.hostAddress(l.b) == to) || (l.b == host && map_.hostAddress(l.a) == to)) return true;
    }
    return false;
}

// Set before every datagram of a scenario that limits any, so a fault applied or removed between two
// datagrams (and a socket created before it) takes effect at once.
void KernelFaults::beforeDatagram(const std::string& host, std::intptr_t descriptor, const HostAddress& to) {
    if (!datagramLimits_) return;
    const int mode = datagramLimited(host, withoutIPv4Mapping(to)) ? IP_PMTUDISC_DO : IP_PMTUDISC_WANT;
    const int fd = static_cast<int>(descriptor);
    // A dual-stack socket sends to IPv4 peers under the IPv4 option; the IPv6 one fails on an IPv4 socket.
    if (::setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &mode, sizeof mode) != 0)
        note("datagram-limit: cannot set IP_MTU_DISCOVER on the socket");
    const int mode6 = mode == IP_PMTUDISC_DO ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_WANT;
    (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &mode6, sizeof mode6);
}

}  // namespace simsock::scenario::detail
