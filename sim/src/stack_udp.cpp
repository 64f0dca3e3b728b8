// UDP in the simulated kernel: size limits, link loss/duplication/reordering, receive-buffer drops,
// and ICMP port unreachable for connected sockets.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "link_table.h"
#include "net_log.h"
#include "simsock/sim/fault_plan.h"
#include "simsock/sim/sim_loop.h"
#include "stack.h"

namespace simsock::sim::detail {

std::int64_t Stack::datagramLimit(const Sock& s, const Route& r, const HostAddress& dst) const {
    const bool v4 = dst.protocol() == NetworkLayerProtocol::IPv4Protocol;
    std::int64_t limit = v4 ? kMaxUdpPayloadV4 : kMaxUdpPayloadV6;
    if (!r.dstHost.empty()) {
        const LinkParams& link = ctx_.links.between(s.host, r.dstHost);
        if (link.maxDatagram > 0) limit = std::min(limit, link.maxDatagram);
        if (link.mtuLimitsDatagrams) limit = std::min<std::int64_t>(limit, link.mtu - (v4 ? 28 : 48));
    }
    return limit;
}

IoResult Stack::writeDatagram(const std::shared_ptr<Sock>& s, const char* data, std::size_t size,
                              const HostAddress& address, std::uint16_t port) {
    if (s->isTcp()) return IoResult{0, EOPNOTSUPP, false};
    if (address.isNull() || port == 0) return IoResult{0, EINVAL, false};
    if (s->family == NetworkLayerProtocol::IPv4Protocol && address.protocol() == NetworkLayerProtocol::IPv6Protocol)
        return IoResult{0, EAFNOSUPPORT, false};
    const Route r = route(s->host, address);
    if (!r.local && ctx_.faults.networkUnreachable(r.dstHost, s->host)) return IoResult{0, ENETUNREACH, false};
    if (r.error == ENETUNREACH) return IoResult{0, ENETUNREACH, false};
    const auto src = sourceAddress(*s, r, address);
    if (!src) return IoResult{0, ENETUNREACH, false};
    if (const int err = autobind(*s, address); err != 0) return IoResult{0, err, false};
    const auto n = static_cast<std::int64_t>(size);
    const std::int64_t limit = datagramLimit(*s, r, address);
    if (ctx_.faults.datagramTooLarge(s->host, n, limit) || n > limit) return IoResult{0, EMSGSIZE, false};
    const std::string from = endpoint(s->host, *src, s->localPort);
    const std::string to = endpoint(r.dstHost.empty() ? "?" : r.dstHost, address, port);
    // A datagram dropped before it leaves: the decision is logged, then the packet it was.
    auto lost = [&] {
        ctx_.log.lostBeforeSending(s->host, r.dstHost, n);
        return IoResult{n, 0, false};
    };
    if (r.error != 0) {
        ctx_.log.fault(from, "no such host: datagram lost");  // ARP fails: the kernel's own loss
        return lost();
    }
    if (!r.local && ctx_.faults.unreachableLosesDatagram(r.dstHost, from)) return lost();
    if (ctx_.faults.partitionLosesDatagram(s->host, r.dstHost, from)) return lost();
    const LinkParams& link = ctx_.links.between(s->host, r.dstHost);
    if (ctx_.links.losesDatagram(link, n, from, to)) return lost();
    const int copies = ctx_.links.duplicatesDatagram(link, from, to) ? 2 : 1;
    Datagram d{std::string(data, size), *src, s->localPort};
    std::weak_ptr<Sock> sender = s;
    for (int i = 0; i < copies; ++i) {
        std::int64_t arrival = ctx_.links.arrivalNs(s->host, r.dstHost, n);
        if (ctx_.links.reordersDatagram(link, from, to)) arrival += link.reorderDelayNs;
        d.packetId = ctx_.log.newPacketId();
        if (d.packetId != 0)
            ctx_.log.emitPacket("udp", from, to, n, "arrives=" + std::to_string(arrival),
                                NetPacket{d.packetId, {}, s->host, r.dstHost, arrival, 0});
        ctx_.loop.scheduleAt(arrival, [this, dstHost = r.dstHost, address, port, d, sender] {
            datagramArrives(dstHost, address, port, d, sender);
        });
    }
    return IoResult{n, 0, false};
}

std::shared_ptr<Sock> Stack::findUdpReceiver(const std::string& hostName, const HostAddress& dst, std::uint16_t port,
                                             const HostAddress& from, std::uint16_t fromPort) const {
    const HostState* h = host(hostName);
    if (!h) return nullptr;
    std::shared_ptr<Sock> best;
    int bestScore = -1;
    for (const auto& [fd, s] : h->fds) {
        if (s->isTcp() || !s->bound || s->localPort != port || !addressMatches(*s, dst)) continue;
        if (s->udpConnected && (s->peerAddr != from || s->peerPort != fromPort)) continue;
        // Linux scores exact matches above wildcards; among equals the later socket wins.
        const int score = (s->localAddr.isAny() ? 0 : 2) + (s->udpConnected ? 4 : 0);
        if (score >= bestScore) {
            best = s;
            bestScore = score;
        }
    }
    return best;
}

void Stack::datagramArrives(const std::string& dstHost, HostAddress dst, std::uint16_t dstPort, Datagram d,
                            const std::weak_ptr<Sock>& sender) {
    auto recv = findUdpReceiver(dstHost, dst, dstPort, d.from, d.fromPort);
    if (!recv) {
        portUnreachable(sender, dstHost, dst, dstPort);
        return;
    }
    const auto n = static_cast<std::int64_t>(d.payload.size());
    if (recv->datagramBytes + n > recv->rcvBuf) {
        ctx_.log.emit("udp-drop", endpoint(dstHost, dst, dstPort), {}, n, "receive buffer full");
        ctx_.log.lost(d.packetId, "udp", "receive buffer full");
        return;
    }
    recv->datagramBytes += n;
    recv->datagrams.push_back(std::move(d));
    recv->changed();
}

void Stack::portUnreachable(const std::weak_ptr<Sock>& sender, const std::string& fromHost, const HostAddress& dst,
                            std::uint16_t dstPort) {
    auto s = sender.lock();
    if (!s) return;
    // The arrival is drawn before the event is logged (logging draws nothing), so the ICMP carries it.
    const std::int64_t arrival = ctx_.links.arrivalNs(fromHost, s->host, 0);
    ctx_.log.emitPacket("icmp-unreach", endpoint(fromHost, dst, dstPort),
                        endpoint(s->host, s->localAddr, s->localPort), 0, "port unreachable",
                        NetPacket{ctx_.log.newPacketId(), {}, fromHost, s->host, arrival, 0});
    ctx_.loop.scheduleAt(arrival, [sender, dst, dstPort] {
        auto target = sender.lock();
        // Only a connected socket hears about it (no IP_RECVERR), as on Linux.
        if (!target || target->orphan || !target->udpConnected) return;
        if (target->peerAddr != dst || target->peerPort != dstPort) return;
        target->pendingError = ECONNREFUSED;
        target->changed();
    });
}

IoResult Stack::readDatagram(Sock& s, char* data, std::size_t maxSize, DatagramHeader* header) {
    if (s.isTcp()) return IoResult{0, EOPNOTSUPP, false};
    // A queued ICMP error is reported before any datagram, as __skb_recv_udp does.
    if (s.pendingError != 0) return IoResult{0, std::exchange(s.pendingError, 0), false};
    if (s.datagrams.empty()) return IoResult{0, EAGAIN, false};
    Datagram d = std::move(s.datagrams.front());
    s.datagrams.pop_front();
    s.datagramBytes -= static_cast<std::int64_t>(d.payload.size());
    const std::size_t n = std::min(maxSize, d.payload.size());  // the rest of a datagram is discarded
    if (n != 0) std::memcpy(data, d.payload.data(), n);
    if (header) {
        header->senderAddress = d.from;
        header->senderPort = d.fromPort;
    }
    return IoResult{static_cast<std::int64_t>(n), 0, false};
}

}  // namespace simsock::sim::detail
