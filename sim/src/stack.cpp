// Descriptors, addresses, binding, listening and options of the simulated kernel.
#include "stack.h"

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <utility>

#include "net_log.h"
#include "simsock/check.h"
#include "simsock/sim/event_site.h"
#include "simsock/sim/fault_plan.h"
#include "simsock/sim/sim_loop.h"

namespace simsock::sim::detail {

namespace {
using SA = HostAddress::SpecialAddress;

bool isV4(const HostAddress& a) { return a.protocol() == NetworkLayerProtocol::IPv4Protocol; }
bool isDualAny(const HostAddress& a) { return a.protocol() == NetworkLayerProtocol::AnyIPProtocol; }

// Whether two bound addresses can receive the same packet (wildcards overlap their family).
bool overlaps(const HostAddress& a, const HostAddress& b) {
    if (isDualAny(a) || isDualAny(b)) return true;
    if (a.protocol() != b.protocol()) return false;
    return a.isAny() || b.isAny() || a == b;
}

}  // namespace

// Two addresses are on the same network when their keys are equal: the same protocol and the same /24
// (IPv4) or /64 (IPv6) prefix.
Stack::NetworkKey Stack::networkOf(const HostAddress& a) {
    if (isV4(a)) return {static_cast<int>(a.protocol()), a.toIPv4Address() >> 8};
    std::uint64_t prefix = 0;
    const auto& bytes = a.toIPv6Address();
    for (int i = 0; i < 8; ++i) prefix = (prefix << 8) | bytes[static_cast<std::size_t>(i)];
    return {static_cast<int>(a.protocol()), prefix};
}

Stack::Stack(StackContext ctx) : ctx_(std::move(ctx)) {}

HostState* Stack::host(const std::string& name) {
    auto it = hosts_.find(name);
    return it == hosts_.end() ? nullptr : &it->second;
}

const HostState* Stack::host(const std::string& name) const {
    auto it = hosts_.find(name);
    return it == hosts_.end() ? nullptr : &it->second;
}

HostState& Stack::addHost(const std::string& name) {
    HostState& h = hosts_[name];
    h.name = name;
    return h;
}

void Stack::addAddress(HostState& h, const HostAddress& address) {
    h.addresses.push_back(address);
    // The network adds its addresses only where no other host owns them: the first owner is the owner.
    if (!address.isLoopback()) owners_.emplace(address, h.name);
    ++networks_[networkOf(address)];
}

std::string Stack::hostOwning(const HostAddress& address) const {
    if (address.isLoopback()) return {};
    ++addressProbes_;
    auto it = owners_.find(address);
    return it == owners_.end() ? std::string() : it->second;
}

std::string Stack::endpoint(const std::string& host, const HostAddress& a, std::uint16_t port) {
    return EventSite(host, a, port).toString();
}

int Stack::allocateDescriptor(HostState& h, const std::shared_ptr<Sock>& s) {
    if (ctx_.faults.descriptorsExhausted(h.name)) return -EMFILE;
    // Linux hands out the lowest free number.
    const int fd = h.freeFds.empty() ? h.nextFd : *h.freeFds.begin();
    if (fd >= h.descriptorLimit) return -EMFILE;
    if (fd == h.nextFd) {
        ++h.nextFd;
    } else {
        h.freeFds.erase(h.freeFds.begin());
    }
    h.fds[fd] = s;
    s->fd = fd;
    return fd;
}

void Stack::releaseDescriptor(HostState& h, const Sock& s) {
    h.fds.erase(s.fd);
    h.listeners.erase({s.localPort, s.fd});
    h.freeFds.insert(s.fd);
    // Free numbers at the top return to the fresh range, so the set only holds holes.
    while (!h.freeFds.empty() && *h.freeFds.rbegin() == h.nextFd - 1) {
        h.freeFds.erase(std::prev(h.freeFds.end()));
        --h.nextFd;
    }
}

int Stack::openSocket(const std::string& hostName, SocketType type, NetworkLayerProtocol family, int& fd) {
    HostState* h = host(hostName);
    if (!h) return ENETDOWN;
    auto s = std::make_shared<Sock>();
    s->id = nextSockId_++;
    s->type = type;
    s->family = family;
    s->host = hostName;
    if (type == SocketType::UdpSocket) s->sndBuf = s->rcvBuf = kUdpDefaultBuf;
    const int r = allocateDescriptor(*h, s);
    if (r < 0) return -r;
    fd = r;
    return 0;
}

std::shared_ptr<Sock> Stack::lookup(const std::string& hostName, int fd) const {
    const HostState* h = host(hostName);
    if (!h) return nullptr;
    auto it = h->fds.find(fd);
    return it == h->fds.end() ? nullptr : it->second;
}

bool Stack::ownsAddress(const HostState& h, const HostAddress& a) const {
    if (a.isAny() || a.isLoopback()) return true;
    return std::find(h.addresses.begin(), h.addresses.end(), a) != h.addresses.end();
}

bool Stack::bindConflict(const HostState& h, const Sock& s, const HostAddress& a, std::uint16_t port) const {
    for (const auto& [fd, other] : h.fds) {
        if (other.get() == &s || other->type != s.type || !other->bound || other->localPort != port) continue;
        // Accepted and connected TCP sockets share ports legitimately (SO_REUSEADDR, as Qt sets it).
        if (s.isTcp() && !other->explicitBind && other->state != Sock::State::Listening) continue;
        if (!overlaps(a, other->localAddr)) continue;
        if (!s.isTcp()) {
            auto shares = [](BindMode m) {
                return m.testFlag(BindFlag::ShareAddress) || m.testFlag(BindFlag::ReuseAddressHint);
            };
            if (shares(s.bindMode) && shares(other->bindMode)) continue;
        }
        return true;
    }
    return false;
}

std::uint16_t Stack::ephemeralPort(HostState& h, SocketType type) {
    const int span = kLastEphemeralPort - kFirstEphemeralPort + 1;
    for (int tries = 0; tries < span; ++tries) {
        const std::uint16_t port = h.nextEphemeral;
        h.nextEphemeral = port == kLastEphemeralPort ? kFirstEphemeralPort : static_cast<std::uint16_t>(port + 1);
        bool used = false;
        for (const auto& [fd, other] : h.fds)
            if (other->bound && other->type == type && other->localPort == port) used = true;
        if (!used) return port;
    }
    return 0;
}

int Stack::bind(Sock& s, const HostAddress& address, std::uint16_t port, BindMode mode) {
    HostState* h = host(s.host);
    SIMSOCK_ASSERT(h);
    if (s.family == NetworkLayerProtocol::IPv4Protocol && address.protocol() == NetworkLayerProtocol::IPv6Protocol)
        return EAFNOSUPPORT;
    if (address.isNull() || !ownsAddress(*h, address)) return EADDRNOTAVAIL;
    if (port != 0 && port < 1024) {
        if (ctx_.faults.bindDenied(h->name, port)) return EACCES;
        if (!h->privileged) return EACCES;
    }
    if (s.bound || s.state != Sock::State::Closed) return EINVAL;
    if (port != 0 && ctx_.faults.addressInUse(h->name, port)) return EADDRINUSE;
    s.bindMode = mode;
    if (port == 0) port = ephemeralPort(*h, s.type);
    if (port == 0) return EADDRINUSE;
    if (bindConflict(*h, s, address, port)) return EADDRINUSE;
    if (s.family == NetworkLayerProtocol::AnyIPProtocol && isV4(address)) s.family = NetworkLayerProtocol::IPv4Protocol;
    s.bound = true;
    s.explicitBind = true;
    s.localAddr = address;
    s.localPort = port;
    return 0;
}

int Stack::autobind(Sock& s, const HostAddress& towards) {
    if (s.bound) return 0;
    HostState* h = host(s.host);
    const std::uint16_t port = ephemeralPort(*h, s.type);
    if (port == 0) return EAGAIN;  // Linux: the ephemeral range is exhausted
    s.bound = true;
    s.localPort = port;
    if (s.family == NetworkLayerProtocol::IPv4Protocol || (towards.isNull() && s.family != NetworkLayerProtocol::IPv6Protocol))
        s.localAddr = s.family == NetworkLayerProtocol::IPv4Protocol ? HostAddress(SA::AnyIPv4) : HostAddress(SA::Any);
    else
        s.localAddr = s.family == NetworkLayerProtocol::IPv6Protocol ? HostAddress(SA::AnyIPv6) : HostAddress(SA::Any);
    return 0;
}

Route Stack::route(const std::string& src, const HostAddress& dst) const {
    Route r;
    const HostState* from = host(src);
    if (dst.isLoopback() || dst.isAny() || (from && ownsAddress(*from, dst))) {
        r.dstHost = src;  // loopback traffic never leaves the host
        r.local = true;
        return r;
    }
    r.dstHost = hostOwning(dst);
    if (!r.dstHost.empty()) return r;
    // Nobody has the address: on a directly attached network ARP fails (EHOSTUNREACH after a while);
    // anywhere else there is no route at all.
    ++addressProbes_;
    r.error = networks_.count(networkOf(dst)) > 0 ? EHOSTUNREACH : ENETUNREACH;
    return r;
}

std::optional<HostAddress> Stack::sourceAddress(const Sock& s, const Route& r, const HostAddress& dst) const {
    if (s.bound && !s.localAddr.isAny()) return s.localAddr;
    if (r.dstHost == s.host) {
        if (dst.isAny()) return isV4(dst) ? HostAddress(SA::LocalHost) : HostAddress(SA::LocalHostIPv6);
        return dst;
    }
    const HostState* h = host(s.host);
    for (const auto& a : h->addresses)
        if (a.protocol() == dst.protocol() && !a.isLoopback()) return a;
    return std::nullopt;
}

bool Stack::addressMatches(const Sock& s, const HostAddress& dst) const {
    const HostAddress& a = s.localAddr;
    if (isDualAny(a)) return true;
    if (a.protocol() != dst.protocol()) return false;
    return a.isAny() || a == dst;
}

int Stack::listen(Sock& s, int backlog) {
    if (!s.isTcp()) return EOPNOTSUPP;
    if (s.state != Sock::State::Closed && s.state != Sock::State::Listening) return EINVAL;
    if (!s.bound) {
        if (const int err = autobind(s, {}); err != 0) return err;
        s.explicitBind = true;
    }
    if (s.state != Sock::State::Listening && s.fd >= 0) {
        HostState* h = host(s.host);
        SIMSOCK_ASSERT(h);
        h->listeners.insert({s.localPort, s.fd});
    }
    s.state = Sock::State::Listening;
    s.backlog = std::clamp(backlog, 0, kMaxBacklog);
    return 0;
}

int Stack::accept(Sock& s, int& err) {
    if (s.state != Sock::State::Listening) {
        err = EINVAL;
        return -1;
    }
    if (s.acceptQ.empty()) {
        err = EAGAIN;
        return -1;
    }
    HostState* h = host(s.host);
    const int fd = allocateDescriptor(*h, s.acceptQ.front());
    if (fd < 0) {
        err = -fd;  // the connection stays queued, as on Linux
        return -1;
    }
    auto conn = s.acceptQ.front();
    s.acceptQ.pop_front();
    if (ctx_.log.observed())
        ctx_.log.emit("accept", endpoint(s.host, conn->localAddr, conn->localPort),
                      endpoint(conn->peerHost, conn->peerAddr, conn->peerPort), 0, "fd=" + std::to_string(fd));
    err = 0;
    return fd;
}

void Stack::closeSocket(const std::shared_ptr<Sock>& s) {
    HostState* h = host(s->host);
    if (h && s->fd >= 0) releaseDescriptor(*h, *s);
    s->fd = -1;
    s->orphan = true;
    s->onChange = nullptr;
    if (!s->isTcp()) {
        s->datagrams.clear();
        return;
    }
    switch (s->state) {
    case Sock::State::Listening:
        for (auto& pending : s->acceptQ) abortSocket(pending);
        s->acceptQ.clear();
        s->state = Sock::State::Closed;
        return;
    case Sock::State::SynSent:
        if (!s->synInFlight) ctx_.loop.cancelTimer(s->connectTimer);  // a SYN on the wire still arrives
        s->state = Sock::State::Closed;
        return;
    case Sock::State::Closed:
        return;
    case Sock::State::Established:
        break;
    }
    if (ctx_.log.observed())
        ctx_.log.emit("close", endpoint(s->host, s->localAddr, s->localPort), {}, 0,
                      s->recvQ.empty() ? "app close" : "app close with unread data");
    if (!s->recvQ.empty()) {
        abortSocket(s);  // Linux answers unread data with RST instead of FIN
        return;
    }
    s->shutWrite = true;
    orphans_[s->id] = s;
    pump(s);
}

void Stack::abortSocket(const std::shared_ptr<Sock>& s) {
    HostState* h = host(s->host);
    if (h && s->fd >= 0) releaseDescriptor(*h, *s);
    s->fd = -1;
    s->orphan = true;
    s->onChange = nullptr;
    if (s->isTcp() && s->state == Sock::State::Established && !s->resetReceived) sendRst(s);
    if (s->isTcp() && s->state == Sock::State::Listening) {
        for (auto& pending : s->acceptQ) abortSocket(pending);
        s->acceptQ.clear();
    }
    if (!s->synInFlight) ctx_.loop.cancelTimer(s->connectTimer);  // a SYN on the wire still arrives
    s->state = Sock::State::Closed;
    s->recvQ.clear();
    s->datagrams.clear();
    orphans_.erase(s->id);
}

bool Stack::readable(const Sock& s) const {
    if (!s.isTcp()) return !s.datagrams.empty() || s.pendingError != 0;
    if (s.state == Sock::State::Listening) return !s.acceptQ.empty();
    return !s.recvQ.empty() || s.finReceived || s.resetReceived || s.pendingError != 0;
}

bool Stack::writable(const Sock& s) const {
    if (!s.isTcp()) return true;  // datagrams leave at once: the send buffer never fills
    // A reset or shut-down socket is writable as Linux reports it (EPOLLOUT|EPOLLERR): a write fails at
    // once, and that is how a writer that is not reading learns of the reset.
    if (s.resetReceived || s.shutWrite) return true;
    if (s.state != Sock::State::Established) return false;
    return static_cast<std::int64_t>(s.sendQ.size()) + s.unacked < s.sndBuf;
}

}  // namespace simsock::sim::detail
