// The kernel realisation table and the faults it realises. Addresses are the run's loopback addresses
// (LoopbackMap); inside the run's namespace a peer listens on the scenario's own port, so rules name it.
#include "kernel_faults.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel_tools.h"
#include "simsock/scenario/kernel_links.h"
#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario {

namespace {
using KernelKind = sim::FaultKind;
// One row per FaultKind, in enum order: how the kernel realises it, or why it cannot (yet).
constexpr KernelRealisation kKernelRealisationTable[] = {
    {KernelKind::RefusePort, "nft: reject with tcp reset to host:port", nullptr},
    {KernelKind::DropSyn, "nft: drop SYNs to host:port", nullptr},
    {KernelKind::CloseConnection, "on accept / afterBytes: the tcp-server peer on host:port closes the connection (FIN)", nullptr},
    {KernelKind::ResetConnection,
     "at a time: ss -K destroys the server's established sockets on host:port (RST); on accept / afterBytes: the "
     "tcp-server peer resets the connection (SO_LINGER 0)", nullptr},
    {KernelKind::Partition, "nft: drop between the two hosts' addresses", nullptr},
    {KernelKind::Heal, "removes the partition's nft rules", nullptr},
    {KernelKind::HostUnreachable, "nft: drop until the delay, then reject with icmp host-unreachable", nullptr},
    {KernelKind::NetworkUnreachable, "ip rule: unreachable to the host's address (connect fails with ENETUNREACH)", nullptr},
    {KernelKind::LookupFailure, "the run's DNS server answers the name NXDOMAIN (or SERVFAIL) from the fault's time", nullptr},
    {KernelKind::ConnectTimeout, "nft: drop SYNs; tcp_syn_retries=1 (ETIMEDOUT after about 3 s, not the fault's delay)", nullptr},
    {KernelKind::DescriptorExhaustion, "RLIMIT_NOFILE lowered to the lowest free descriptor (EMFILE)", nullptr},
    {KernelKind::AddressInUse, "a listening socket without SO_REUSEADDR holds host:port", nullptr},
    {KernelKind::AccessDenied, "CAP_NET_BIND_SERVICE dropped from the effective set; the port bound as named", nullptr},
    {KernelKind::DatagramLimit, "lo's MTU lowered to limit + 28; the host's datagrams leave with IP_PMTUDISC_DO (EMSGSIZE)",
     nullptr},
};
static_assert(std::size(kKernelRealisationTable) == std::size(sim::kFaultKindTable), "one kernel row per FaultKind");
}  // namespace

std::span<const KernelRealisation> kernelRealisations() { return kKernelRealisationTable; }

namespace {
// An event trigger is acted on by the tcp-server peer that accepted the connection: one must listen on
// the fault's host:port (the sim fires it for any server there, a server under test too).
std::string triggerRefusal(const Scenario& s, const FaultEntry& f) {
    if (f.atNs) return {};
    const sim::FaultSpec spec = sim::faultKindInfo(f.kind).build(f.values);
    for (const auto& p : s.peers)
        if (p.kind == PeerSpec::Kind::TcpServer && (spec.host.empty() || p.host == spec.host) &&
            (spec.port == 0 || spec.port == p.port))
            return {};
    return std::string("fault ") + sim::toString(f.kind) +
           " on an event: the kernel realises it in a tcp-server peer on the fault's host:port, and there is none";
}
}  // namespace

bool needsNamespace(const Scenario& s) {
    if (!s.faults.empty() || !s.network.links.empty() || needsScenarioDns(s)) return true;
    // What only a namespace makes portable: real addresses (an IPv6 host's, a literal no host owns) on lo,
    // and binds below 1024 on an unprivileged host (the capability dropped around them).
    return !detail::LoopbackMap(s).unportable().empty() && detail::LoopbackMap(s, true).unportable().empty();
}

std::string kernelRefusal(const Scenario& s) {
    for (const auto& l : s.network.links)
        if (std::string why = linkRefusal(l); !why.empty()) return why;
    for (const auto& f : s.faults) {
        if (std::string why = kernelRefusal(f); !why.empty()) return why;
        if (std::string why = triggerRefusal(s, f); !why.empty()) return why;
    }
    return detail::loopbackMtuRefusal(s);
}

std::string kernelRefusal(const FaultEntry& f) {
    const KernelRealisation& row = kKernelRealisationTable[static_cast<std::size_t>(f.kind)];
    const std::string fault = std::string("fault ") + sim::toString(f.kind);
    if (row.impossible) return fault + ": " + row.impossible;
    const bool peerActs = f.kind == sim::FaultKind::CloseConnection || f.kind == sim::FaultKind::ResetConnection;
    if (!f.atNs && !peerActs) return fault + ": event triggers need the sim engine";
    if (f.atNs && f.kind == sim::FaultKind::CloseConnection)
        return fault + ": at a time needs the sim engine (the kernel realises it on accept / afterBytes)";
    return {};
}

namespace detail {

KernelFaults::KernelFaults(LoopbackMap& map, EventLoop& loop, const Scenario& s)
    : map_(map), loop_(loop), links_(s.network.links) {
    for (const auto& l : s.network.links) datagramLimits_ = datagramLimits_ || l.mtuLimitsDatagrams.value_or(false);
    for (const auto& f : s.faults) datagramLimits_ = datagramLimits_ || f.kind == sim::FaultKind::DatagramLimit;
}

KernelFaults::~KernelFaults() {
    for (auto& [id, a] : applied_)
        for (int fd : a.heldFds) ::close(fd);
}

std::string KernelFaults::inject(const FaultEntry& f) {
    if (std::string why = kernelRefusal(f); !why.empty()) return why;
    if (!f.atNs) {
        armed_.push_back(Armed{sim::faultKindInfo(f.kind).build(f.values), f.onEvent, f.onBytes, f.times});
        return {};
    }
    const std::size_t known = problems_.size();
    const int id = next_++;
    const std::int64_t at = f.atNs.value_or(0);
    // Descriptors run out once the peers have theirs: on the loop, before the actions at the same time.
    if (at <= 0 && f.kind != sim::FaultKind::DescriptorExhaustion) {
        apply(id, f);
    } else {
        loop_.startTimer(at, [this, id, f] { apply(id, f); }, false);
    }
    if (f.durationNs && *f.durationNs >= 0)
        loop_.startTimer(at + *f.durationNs, [this, id] { remove(id); }, false);
    // What failed now is this fault's error; what fails later stays for problems().
    return takeProblemsSince(known);
}

std::string KernelFaults::takeProblemsSince(std::size_t known) {
    if (problems_.size() == known) return {};
    std::string first = problems_[known];
    problems_.resize(known);
    return first;
}

peer::ConnectionFault KernelFaults::connectionFault(const std::string& host, const peer::ConnectionProgress& progress) {
    peer::ConnectionFault out = peer::ConnectionFault::None;
    for (auto& a : armed_) {
        if (a.times == 0 || (!a.spec.host.empty() && a.spec.host != host) || (a.spec.port != 0 && a.spec.port != progress.port))
            continue;
        const bool fires = a.on == sim::FaultTrigger::Kind::OnAccept
                               ? progress.accepted
                               : !progress.accepted && progress.before < a.bytes && progress.after >= a.bytes;
        if (!fires) continue;
        if (a.times > 0) --a.times;
        if (out == peer::ConnectionFault::None)
            out = a.spec.kind == sim::FaultKind::ResetConnection ? peer::ConnectionFault::Reset : peer::ConnectionFault::Close;
    }
    std::erase_if(armed_, [](const Armed& a) { return a.times == 0; });
    return out;
}

std::string KernelFaults::addressOf(const std::string& host) const { return map_.hostAddress(host).toString(); }

void KernelFaults::apply(int id, const FaultEntry& f) {
    const sim::FaultSpec spec = sim::faultKindInfo(f.kind).build(f.values);
    Applied& a = applied_[id];
    const std::string dst = spec.host.empty() ? std::string() : "ip daddr " + addressOf(spec.host) + " ";
    const std::string port = spec.port ? "tcp dport " + std::to_string(spec.port) + " " : "meta l4proto tcp ";
    switch (f.kind) {
    case sim::FaultKind::RefusePort: a.nftRules.push_back(dst + port + "reject with tcp reset"); break;
    case sim::FaultKind::DropSyn: a.nftRules.push_back(dst + port + "tcp flags & (syn | ack) == syn drop"); break;
    case sim::FaultKind::ConnectTimeout: {
        std::ofstream("/proc/sys/net/ipv4/tcp_syn_retries") << "1\n";
        a.nftRules.push_back(dst + port + "tcp flags & (syn | ack) == syn drop");
        break;
    }
    case sim::FaultKind::Partition:
        a.a = addressOf(spec.host);
        a.b = addressOf(spec.otherHost);
        a.nftRules.push_back("ip saddr " + a.a + " ip daddr " + a.b + " drop");
        a.nftRules.push_back("ip saddr " + a.b + " ip daddr " + a.a + " drop");
        break;
    case sim::FaultKind::Heal: heal(addressOf(spec.host), addressOf(spec.otherHost)); break;
    case sim::FaultKind::HostUnreachable: return hostUnreachable(id, addressOf(spec.host), spec.delayNs);
    case sim::FaultKind::NetworkUnreachable: {
        // The local table's rule (priority 0) would answer 127/8 first: move it behind ours.
        if (!localRuleMoved_) {
            note(runTool({"ip", "rule", "add", "pref", "100", "lookup", "local"}));
            note(runTool({"ip", "rule", "del", "pref", "0", "lookup", "local"}));
            localRuleMoved_ = true;
        }
        std::string to = spec.host.empty() ? "127.0.0.0/8" : addressOf(spec.host) + "/32";
        a.ipRules.push_back("to " + to + " unreachable pref 50");
        note(runTool({"ip", "rule", "add", "to", to, "unreachable", "pref", "50"}));
        break;
    }
    case sim::FaultKind::AddressInUse: holdPort(a, spec.host, spec.port); break;
    case sim::FaultKind::ResetConnection: {
        std::vector<std::string> argv{"ss", "-K", "state", "established", "src", addressOf(spec.host)};
        if (spec.port) argv.insert(argv.end(), {"sport", "=", std::to_string(spec.port)});
        note(runTool(argv));
        break;
    }
    case sim::FaultKind::DescriptorExhaustion: a.limitedDescriptors = exhaustDescriptors(); break;
    case sim::FaultKind::AccessDenied: a.droppedBindCapability = denyLowPorts(spec.host, spec.port); break;
    case sim::FaultKind::LookupFailure:
        if (!dns_) {
            note("lookup-failure: the run has no DNS server");
            break;
        }
        dns_->setFailure(spec.name, spec.dnsFailure);
        a.failedName = spec.name;
        break;
    case sim::FaultKind::DatagramLimit: limitDatagrams(a, spec.host, spec.limit); break;
    default: note(std::string("no kernel realisation of ") + sim::toString(f.kind)); break;
    }
    syncNft();
}

// Before the delay the host is silent (ARP unanswered); after it, each packet gets the ICMP error.
void KernelFaults::hostUnreachable(int id, const std::string& address, std::int64_t delayNs) {
    applied_[id].nftRules = {"ip daddr " + address + " drop"};
    syncNft();
    loop_.startTimer(delayNs, [this, id, address] {
        auto it = applied_.find(id);
        if (it == applied_.end()) return;
        it->second.nftRules = {"ip daddr " + address + " reject with icmp type host-unreachable"};
        syncNft();
    }, false);
}

void KernelFaults::heal(const std::string& a, const std::string& b) {
    for (auto& [id, applied] : applied_)
        if ((applied.a == a && applied.b == b) || (applied.a == b && applied.b == a)) {
            applied.nftRules.clear();
            applied.a.clear();
            applied.b.clear();
        }
}

// Without SO_REUSEADDR and listening, no other socket may bind there, SO_REUSEADDR or not.
void KernelFaults::holdPort(Applied& applied, const std::string& host, std::uint16_t port) {
    const HostAddress address = map_.hostAddress(host);
    for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
        int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(address.toIPv4Address());
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
            (type == SOCK_STREAM && ::listen(fd, 1) != 0)) {
            note(std::string("address-in-use: cannot hold the port: ") + std::strerror(errno));
            if (fd >= 0) ::close(fd);
            continue;
        }
        applied.heldFds.push_back(fd);
    }
    map_.setPort(address, port, SocketType::TcpSocket, port);
    map_.setPort(address, port, SocketType::UdpSocket, port);
}

// The lowest free descriptor becomes the limit: the next socket() fails with EMFILE, as on the sim. The
// tools the faults run need descriptors, so the nft chain is written before.
bool KernelFaults::exhaustDescriptors() {
    syncNft();
    int probe = ::dup(0);
    if (probe < 0 || ::getrlimit(RLIMIT_NOFILE, &savedLimit_) != 0) {
        note(std::string("descriptor-exhaustion: ") + std::strerror(errno));
        return false;
    }
    ::close(probe);
    rlimit lowered = savedLimit_;
    lowered.rlim_cur = static_cast<rlim_t>(probe);
    return ::setrlimit(RLIMIT_NOFILE, &lowered) == 0;
}

// Root binds any port: without CAP_NET_BIND_SERVICE in its effective set it may not bind below 1024
// (net.ipv4.ip_unprivileged_port_start). Sockets under test bind the port as the scenario names it.
bool KernelFaults::denyLowPorts(const std::string& host, std::uint16_t port) {
    if (port) {
        const HostAddress address = map_.hostAddress(host);
        map_.setPort(address, port, SocketType::TcpSocket, port);
        map_.setPort(address, port, SocketType::UdpSocket, port);
    }
    return setBindCapability(false);
}

// A host that is not privileged binds below 1024 without CAP_NET_BIND_SERVICE (EACCES, as on the sim);
// the capability comes back after the bind unless an access-denied fault holds it dropped.
int KernelFaults::bindAs(const std::string& host, std::uint16_t port, const std::function<int()>& bind) {
    if (port == 0 || port >= 1024 || map_.privileged(host) || bindCapabilityDropped()) return bind();
    if (!setBindCapability(false)) return bind();
    const int err = bind();
    setBindCapability(true);
    return err;
}

bool KernelFaults::bindCapabilityDropped() const {
    for (const auto& [id, a] : applied_)
        if (a.droppedBindCapability) return true;
    return false;
}

bool KernelFaults::setBindCapability(bool on) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0) return false;
    if (on) {
        data[0].effective |= 1u << CAP_NET_BIND_SERVICE;
    } else {
        data[0].effective &= ~(1u << CAP_NET_BIND_SERVICE);
    }
    if (::syscall(SYS_capset, &header, data) == 0) return true;
    note(std::string("access-denied: capset: ") + std::strerror(errno));
    return false;
}

void KernelFaults::remove(int id) {
    auto it = applied_.find(id);
    if (it == applied_.end()) return;
    for (const auto& r : it->second.ipRules) {
        std::vector<std::string> argv{"ip", "rule", "del"};
        std::size_t from = 0;
        for (std::size_t sp; (sp = r.find(' ', from)) != std::string::npos; from = sp + 1) argv.push_back(r.substr(from, sp - from));
        argv.push_back(r.substr(from));
        note(runTool(argv));
    }
    for (int fd : it->second.heldFds) ::close(fd);
    if (it->second.limitedDescriptors) ::setrlimit(RLIMIT_NOFILE, &savedLimit_);
    const bool restoreCapability = it->second.droppedBindCapability;
    const bool unlimit = !it->second.limitedHost.empty();
    if (!it->second.failedName.empty() && dns_) dns_->setFailure(it->second.failedName, sim::DnsFailure::None);
    applied_.erase(it);
    if (restoreCapability && !bindCapabilityDropped()) setBindCapability(true);
    if (unlimit) syncLoopbackMtu();
    syncNft();
}

// The chain is rewritten whole in one nft transaction: rules of every applied fault, in fault order.
void KernelFaults::syncNft() {
    std::string script = std::string("flush chain inet ") + kNftTable + " out";
    for (const auto& [id, a] : applied_)
        for (const auto& r : a.nftRules) script += std::string(" ; add rule inet ") + kNftTable + " out " + r;
    note(runTool({"nft", script}));
}

void KernelFaults::note(const std::string& problem) {
    if (!problem.empty()) problems_.push_back(problem);
}

}  // namespace detail
}  // namespace simsock::scenario
