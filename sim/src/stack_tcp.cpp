// TCP in the simulated kernel: handshake, windows, segments in order over a link, FIN and RST.
//
// Each direction of a connection is the sender's queue of segments in flight; only the head is
// scheduled, so byte order holds whatever the link does (a lost segment delays those behind it,
// a partition holds the whole queue back). Sent bytes count against the sender's SO_SNDBUF until the
// receiver's ACK comes back, and against the receiver's SO_RCVBUF window until they arrive.
#include <algorithm>
#include <cerrno>
#include <climits>

#include "link_table.h"
#include "net_log.h"
#include "simsock/check.h"
#include "simsock/sim/event_site.h"
#include "simsock/sim/fault_plan.h"
#include "simsock/sim/sim_loop.h"
#include "stack.h"

namespace simsock::sim::detail {

namespace {
constexpr std::int64_t kDefaultHostUnreachableNs = 3'000'000'000;  // Linux: ARP gives up after ~3 s
// The log's name of each Segment::Kind.
constexpr const char* kSegmentNames[] = {"synack", "data", "fin", "rst"};
}

int Stack::connect(const std::shared_ptr<Sock>& s, const HostAddress& address, std::uint16_t port) {
    // A TCP SYN to port 0 goes out like any other and is refused by the peer's RST (from the loop).
    if (address.isNull()) return s->isTcp() ? ECONNREFUSED : EINVAL;
    if (port == 0 && !s->isTcp()) return EINVAL;
    if (s->family == NetworkLayerProtocol::IPv4Protocol && address.protocol() == NetworkLayerProtocol::IPv6Protocol)
        return EAFNOSUPPORT;
    if (s->isTcp()) {
        if (s->state == Sock::State::SynSent) return EALREADY;
        if (s->state == Sock::State::Established) return EISCONN;
        if (s->state == Sock::State::Listening) return EISCONN;
    }
    const Route r = route(s->host, address);
    if (!r.local && ctx_.faults.networkUnreachable(r.dstHost, s->host)) return ENETUNREACH;
    if (r.error == ENETUNREACH) return ENETUNREACH;
    const auto src = sourceAddress(*s, r, address);
    if (!src) return ENETUNREACH;
    if (const int err = autobind(*s, address); err != 0) return err;
    if (s->localAddr.isAny()) s->localAddr = *src;
    s->peerAddr = address;
    s->peerPort = port;
    s->peerHost = r.dstHost;
    s->peerRoute = LinkRoute{};
    if (!s->isTcp()) {
        s->udpConnected = true;  // UDP connect only sets the default destination
        return 0;
    }
    s->state = Sock::State::SynSent;
    s->connectDone = false;
    s->connectResult = 0;
    s->finReceived = s->resetReceived = s->shutWrite = s->finSent = false;
    s->pendingError = 0;
    ctx_.loop.cancelTimer(s->connectTimer);
    const std::uint64_t synId = ctx_.log.newPacketId();
    if (synId != 0) {
        const std::string toHost = r.dstHost.empty() ? "?" : r.dstHost;
        ctx_.log.emitPacket("syn", endpoint(s->host, s->localAddr, s->localPort), endpoint(toHost, address, port), 0,
                            {}, NetPacket{synId, {}, s->host, toHost, -1, 0});
    }
    if (!r.local) {
        if (const auto delayNs = ctx_.faults.hostUnreachable(r.dstHost, s->host))
            return failConnectAfter(s, *delayNs, EHOSTUNREACH, synId, "host unreachable");
    }
    if (r.error == EHOSTUNREACH)
        return failConnectAfter(s, kDefaultHostUnreachableNs, EHOSTUNREACH, synId, "no host owns the address");
    if (const auto delayNs = ctx_.faults.connectTimesOut(r.dstHost, port, s->host))
        return failConnectAfter(s, *delayNs, ETIMEDOUT, synId, "connect times out");
    const std::int64_t arrival = std::max(ctx_.links.arrivalNs(s->host, r.dstHost, 0), s->lastArrivalNs);
    s->lastArrivalNs = arrival;
    const std::string dstHost = r.dstHost;
    s->synInFlight = true;
    s->connectTimer = ctx_.loop.scheduleAt(arrival, [this, s, dstHost, address, port, synId] {
        s->connectTimer = kNoTimer;
        s->synInFlight = false;
        synArrives(s, dstHost, address, port, synId);
    });
    return EINPROGRESS;
}

int Stack::failConnectAfter(const std::shared_ptr<Sock>& s, std::int64_t delayNs, int error, std::uint64_t synId,
                            const char* why) {
    ctx_.log.lost(synId, "syn", why);
    s->connectTimer = ctx_.loop.startTimer(delayNs, [this, s, error] { finishConnect(s, error); }, false);
    return EINPROGRESS;
}

void Stack::finishConnect(const std::shared_ptr<Sock>& client, int error) {
    client->connectTimer = kNoTimer;
    if (client->state != Sock::State::SynSent || client->orphan) return;
    client->state = error == 0 ? Sock::State::Established : Sock::State::Closed;
    client->connectResult = error;
    client->connectDone = true;
    client->changed();
}

void Stack::rejectSyn(const std::shared_ptr<Sock>& client, const std::string& dstHost, const std::string& why) {
    // The arrival is drawn before the event is logged (logging draws nothing), so the RST carries it.
    const std::int64_t arrival = ctx_.links.arrivalNs(dstHost, client->host, 0);
    ctx_.log.emitPacket("rst", endpoint(dstHost, client->peerAddr, client->peerPort),
                        endpoint(client->host, client->localAddr, client->localPort), 0, why,
                        NetPacket{ctx_.log.newPacketId(), {}, dstHost, client->host, arrival, 0});
    client->connectTimer = ctx_.loop.scheduleAt(arrival, [this, client] { finishConnect(client, ECONNREFUSED); });
}

void Stack::synArrives(const std::shared_ptr<Sock>& client, const std::string& dstHost, HostAddress dst,
                       std::uint16_t port, std::uint64_t synId) {
    // A client closed while its SYN was on the wire is still connected to by the listener, which then
    // sees the reset its SYN-ACK earns (SEMANTICS.md, Close: abort() does not take back a SYN).
    const bool abandoned = client->orphan && client->state == Sock::State::Closed;
    if ((client->state != Sock::State::SynSent || client->orphan) && !abandoned)
        return ctx_.log.arrived(synId, "syn");
    const EventSite to(dstHost, dst, port);
    if (ctx_.faults.partitionLosesSyn(client->host, dstHost, to)) return ctx_.log.lost(synId, "syn", "partition");
    if (ctx_.faults.dropsSyn(dstHost, port, to)) return ctx_.log.lost(synId, "syn", "dropped");
    if (ctx_.faults.refusesSyn(dstHost, port, to)) {
        ctx_.log.arrived(synId, "syn");
        if (!abandoned) rejectSyn(client, dstHost, "refused");
        return;
    }
    auto listener = findListener(dstHost, dst, port);
    if (!listener) {
        ctx_.log.arrived(synId, "syn");
        if (!abandoned) rejectSyn(client, dstHost, "no listener");
        return;
    }
    // Linux drops the SYN (and the client retries) while the accept queue is over its backlog.
    if (static_cast<int>(listener->acceptQ.size()) > listener->backlog) {
        ctx_.log.emit("syn-drop", endpoint(client->host, client->localAddr, client->localPort), to.toString(), 0,
                      "accept queue full");
        ctx_.log.lost(synId, "syn", "accept queue full");
        return;
    }
    ctx_.log.arrived(synId, "syn");
    auto server = makeServerSock(*listener, client, dst);
    listener->acceptQ.push_back(server);
    listener->changed();
    Segment synAck;
    synAck.kind = Segment::Kind::SynAck;
    sendSegment(server, std::move(synAck));
    ctx_.accepted(server);
}

std::shared_ptr<Sock> Stack::findListener(const std::string& hostName, const HostAddress& dst, std::uint16_t port) const {
    const HostState* h = host(hostName);
    if (!h) return nullptr;
    std::shared_ptr<Sock> wildcard;
    // The listeners on port, in descriptor order (HostState::listeners).
    for (auto it = h->listeners.lower_bound({port, INT_MIN}); it != h->listeners.end() && it->first == port; ++it) {
        const std::shared_ptr<Sock>& s = h->fds.at(it->second);
        if (!s->isTcp() || s->state != Sock::State::Listening || s->localPort != port) continue;
        if (!addressMatches(*s, dst)) continue;
        if (!s->localAddr.isAny()) return s;  // a specific address beats a wildcard, as on Linux
        if (!wildcard) wildcard = s;
    }
    return wildcard;
}

std::shared_ptr<Sock> Stack::makeServerSock(Sock& listener, const std::shared_ptr<Sock>& client, const HostAddress& dst) {
    auto s = std::make_shared<Sock>();
    s->id = nextSockId_++;
    s->type = SocketType::TcpSocket;
    s->family = listener.family;
    s->host = listener.host;
    s->bound = true;
    s->localAddr = dst;
    s->localPort = listener.localPort;
    s->peerAddr = client->localAddr;
    s->peerPort = client->localPort;
    s->peerHost = client->host;
    s->state = Sock::State::Established;
    s->noDelay = listener.noDelay;
    s->keepAlive = listener.keepAlive;
    s->tos = listener.tos;
    s->sndBuf = listener.sndBuf;
    s->rcvBuf = listener.rcvBuf;
    s->peer = client;
    s->conn = std::make_shared<ConnInfo>();
    s->conn->id = nextConnId_++;
    s->conn->serverHost = listener.host;
    s->conn->serverPort = listener.localPort;
    client->conn = s->conn;
    return s;
}

int Stack::tcpMss(const Sock& s) const {
    const int mtu = s.peerHost.empty() ? ctx_.links.between(s.host, s.host).mtu
                                       : ctx_.links.between(s.host, s.peerHost, s.peerRoute).mtu;
    const int headers = s.peerAddr.protocol() == NetworkLayerProtocol::IPv6Protocol ? 60 : 40;
    return std::max(mtu - headers, 1);
}

std::int64_t Stack::window(const Sock& s) const {
    auto peer = s.peer.lock();
    if (!peer) return tcpMss(s);  // the far end is gone: whatever is sent will be answered with RST
    return peer->rcvBuf - static_cast<std::int64_t>(peer->recvQ.size()) - s.inFlight;
}

void Stack::pump(const std::shared_ptr<Sock>& s) {
    if (s->state != Sock::State::Established || s->resetReceived) return;
    const std::int64_t mss = tcpMss(*s);
    while (!s->sendQ.empty()) {
        const std::int64_t w = window(*s);
        if (w <= 0) break;
        const auto n = static_cast<std::size_t>(std::min({static_cast<std::int64_t>(s->sendQ.size()), w, mss}));
        Segment seg;
        seg.bytes = s->sendQ.takeString(n);
        s->unacked += static_cast<std::int64_t>(n);
        s->inFlight += static_cast<std::int64_t>(n);
        sendSegment(s, std::move(seg));
    }
    if (s->sendQ.empty() && s->shutWrite && !s->finSent) {
        s->finSent = true;
        Segment fin;
        fin.kind = Segment::Kind::Fin;
        sendSegment(s, std::move(fin));
        orphans_.erase(s->id);  // queued events keep it alive until the FIN is out
    }
}

void Stack::sendSegment(const std::shared_ptr<Sock>& s, Segment seg) {
    const auto bytes = static_cast<std::int64_t>(seg.bytes.size());
    std::int64_t arrival = ctx_.links.arrivalNs(s->host, s->peerHost, bytes, s->peerRoute);
    const LinkParams& link = ctx_.links.between(s->host, s->peerHost, s->peerRoute);
    std::int64_t retransmitNs = 0;
    if (seg.kind == Segment::Kind::Data &&
        ctx_.links.losesSegment(link, bytes, EventSite(s->host, s->localAddr, s->localPort)))
        retransmitNs = link.tcpRetransmitNs;
    arrival += retransmitNs;
    arrival = std::max(arrival, s->lastArrivalNs);
    s->lastArrivalNs = arrival;
    seg.arrivalNs = arrival;
    seg.packetId = ctx_.log.newPacketId();
    if (seg.packetId != 0)
        ctx_.log.emitPacket(kSegmentNames[static_cast<int>(seg.kind)], endpoint(s->host, s->localAddr, s->localPort),
                            endpoint(s->peerHost, s->peerAddr, s->peerPort), bytes, "arrives=" + std::to_string(arrival),
                            NetPacket{seg.packetId, {}, s->host, s->peerHost, arrival, retransmitNs});
    s->flight.push_back(std::move(seg));
    if (s->flight.size() == 1) scheduleHead(s);
}

void Stack::scheduleHead(const std::shared_ptr<Sock>& s) {
    s->flightTimer = ctx_.loop.scheduleAt(s->flight.front().arrivalNs, [this, s] { deliverHead(s); });
}

void Stack::deliverHead(const std::shared_ptr<Sock>& s) {
    s->flightTimer = kNoTimer;
    if (s->flight.empty()) return;
    Segment& head = s->flight.front();
    if (ctx_.faults.partitionHoldsSegment(s->host, s->peerHost, EventSite(s->host, s->localAddr, s->localPort),
                                          head.retransmitLogged)) {
        head.arrivalNs = ctx_.loop.nowNs() + ctx_.links.between(s->host, s->peerHost, s->peerRoute).tcpRetransmitNs;
        scheduleHead(s);
        return;
    }
    Segment seg = std::move(head);
    s->flight.pop_front();
    ctx_.log.arrived(seg.packetId, kSegmentNames[static_cast<int>(seg.kind)]);
    applySegment(s, seg);
    if (!s->flight.empty() && s->flightTimer == kNoTimer) scheduleHead(s);
}

void Stack::applySegment(const std::shared_ptr<Sock>& from, Segment& seg) {
    auto to = from->peer.lock();
    switch (seg.kind) {
    case Segment::Kind::SynAck:
        synAckArrives(from, to);
        return;
    case Segment::Kind::Data:
        from->inFlight -= static_cast<std::int64_t>(seg.bytes.size());
        dataArrives(from, to, seg);
        return;
    case Segment::Kind::Fin:
        if (to && to->state == Sock::State::Established && !to->finReceived) {
            to->finReceived = true;
            to->changed();
        }
        return;
    case Segment::Kind::Rst:
        if (to) rstArrives(*to);
        return;
    }
}

void Stack::synAckArrives(const std::shared_ptr<Sock>& from, const std::shared_ptr<Sock>& to) {
    if (!to || to->orphan || to->state != Sock::State::SynSent) {
        statelessRst(from, from->peerHost);  // the client gave up meanwhile
        return;
    }
    to->peer = from;
    finishConnect(to, 0);
    pump(to);  // nothing is queued yet, but a write may race the handshake on a slow link
}

void Stack::dataArrives(const std::shared_ptr<Sock>& from, const std::shared_ptr<Sock>& to, Segment& seg) {
    const auto n = static_cast<std::int64_t>(seg.bytes.size());
    if (!to || to->state != Sock::State::Established || to->orphan) {
        // Linux answers data for a closed socket with RST (and aborts one that is still flushing).
        if (to && to->orphan && to->state == Sock::State::Established)
            abortSocket(to);
        else if (!to || !to->resetReceived)
            statelessRst(from, from->peerHost);
        return;
    }
    to->recvQ.append(seg.bytes);
    const std::int64_t ackAt = ctx_.links.arrivalNs(to->host, from->host, 0);
    ctx_.loop.scheduleAt(ackAt, [this, from, n] {
        from->unacked = std::max<std::int64_t>(from->unacked - n, 0);
        pump(from);
        from->changed();
    });
    countCarried(to, n);
    to->changed();
}

void Stack::rstArrives(Sock& to) {
    if (to.resetReceived || (to.state != Sock::State::Established && to.state != Sock::State::SynSent)) return;
    if (to.state == Sock::State::SynSent) {
        to.connectResult = ECONNREFUSED;
        to.connectDone = true;
        to.state = Sock::State::Closed;
        to.changed();
        return;
    }
    to.resetReceived = true;
    // tcp_reset(): a socket that already saw the peer's FIN reports EPIPE, any other ECONNRESET.
    to.pendingError = to.finReceived ? EPIPE : ECONNRESET;
    to.sendQ.clear();
    to.unacked = 0;
    to.state = Sock::State::Closed;
    orphans_.erase(to.id);
    to.changed();
}

void Stack::statelessRst(const std::shared_ptr<Sock>& towards, const std::string& fromHost) {
    const std::int64_t arrival = ctx_.links.arrivalNs(fromHost, towards->host, 0);
    ctx_.log.emitPacket("rst", endpoint(fromHost, towards->peerAddr, towards->peerPort),
                        endpoint(towards->host, towards->localAddr, towards->localPort), 0, "no socket",
                        NetPacket{ctx_.log.newPacketId(), {}, fromHost, towards->host, arrival, 0});
    ctx_.loop.scheduleAt(arrival, [this, towards] { rstArrives(*towards); });
}

void Stack::sendRst(const std::shared_ptr<Sock>& s) {
    s->sendQ.clear();
    Segment rst;
    rst.kind = Segment::Kind::Rst;
    sendSegment(s, std::move(rst));
    s->state = Sock::State::Closed;
}

void Stack::windowUpdate(const std::shared_ptr<Sock>& reader) {
    auto sender = reader->peer.lock();
    if (!sender || sender->sendQ.empty() || sender->pumpScheduled) return;
    sender->pumpScheduled = true;
    const std::int64_t at = ctx_.links.arrivalNs(reader->host, sender->host, 0);
    ctx_.loop.scheduleAt(at, [this, sender] {
        sender->pumpScheduled = false;
        pump(sender);
    });
}

void Stack::countCarried(const std::shared_ptr<Sock>& to, std::int64_t n) {
    if (!to->conn) return;
    const std::int64_t before = to->conn->carried;
    to->conn->carried += n;
    if (!ctx_.faults.hasByteTriggers()) return;
    std::shared_ptr<Sock> serverSide = to;
    if (to->host != to->conn->serverHost || to->localPort != to->conn->serverPort) serverSide = to->peer.lock();
    if (serverSide) ctx_.carried(serverSide, before, to->conn->carried);
}

IoResult Stack::read(const std::shared_ptr<Sock>& s, char* data, std::size_t maxSize) {
    if (!s->isTcp()) return readDatagram(*s, data, maxSize, nullptr);
    if (!s->recvQ.empty()) {
        if (maxSize == 0) return {};
        const auto n = static_cast<std::int64_t>(s->recvQ.take(data, maxSize));
        windowUpdate(s);
        return IoResult{n, 0, false};
    }
    if (s->state == Sock::State::Listening) return IoResult{0, ENOTCONN, false};
    if (s->finReceived) return IoResult{0, 0, true};
    if (s->pendingError != 0) {
        const int err = std::exchange(s->pendingError, 0);
        return IoResult{0, err, false};
    }
    if (s->resetReceived) return IoResult{0, 0, true};
    if (s->state == Sock::State::SynSent || s->state == Sock::State::Established) return IoResult{0, EAGAIN, false};
    return IoResult{0, ENOTCONN, false};
}

IoResult Stack::write(const std::shared_ptr<Sock>& s, const char* data, std::size_t size) {
    if (!s->isTcp()) {
        if (!s->udpConnected) return IoResult{0, EDESTADDRREQ, false};
        // A queued ICMP error goes to whichever comes first, this send or a receive (sock_error()).
        if (s->pendingError != 0) return IoResult{0, std::exchange(s->pendingError, 0), false};
        return writeDatagram(s, data, size, s->peerAddr, s->peerPort);
    }
    if (s->pendingError != 0) return IoResult{0, std::exchange(s->pendingError, 0), false};
    if (s->resetReceived || s->shutWrite) return IoResult{0, EPIPE, false};
    if (s->state == Sock::State::SynSent) return IoResult{0, EAGAIN, false};
    if (s->state != Sock::State::Established) return IoResult{0, ENOTCONN, false};
    const std::int64_t room = s->sndBuf - static_cast<std::int64_t>(s->sendQ.size()) - s->unacked;
    if (room <= 0) return IoResult{0, EAGAIN, false};
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(room, static_cast<std::int64_t>(size)));
    s->sendQ.append(data, n);
    pump(s);
    return IoResult{static_cast<std::int64_t>(n), 0, false};
}

void Stack::closeFromServerSide(const std::shared_ptr<Sock>& s, const std::string& why) {
    if (s->state != Sock::State::Established || s->shutWrite || s->resetReceived) return;
    ctx_.log.fault(EventSite(s->host, s->localAddr, s->localPort), why + ": FIN");
    s->shutWrite = true;
    pump(s);
    s->changed();
}

void Stack::resetFromServerSide(const std::shared_ptr<Sock>& s, const std::string& why) {
    if (s->state != Sock::State::Established || s->resetReceived) return;
    ctx_.log.fault(EventSite(s->host, s->localAddr, s->localPort), why + ": RST");
    sendRst(s);
    s->resetReceived = true;
    s->pendingError = ECONNRESET;
    s->changed();
}

std::vector<std::shared_ptr<Sock>> Stack::serverSockets(const std::string& hostName, std::uint16_t port) const {
    std::vector<std::shared_ptr<Sock>> out;
    const HostState* h = host(hostName);
    if (!h) return out;
    auto consider = [&](const std::shared_ptr<Sock>& s) {
        if (s->isTcp() && s->state == Sock::State::Established && s->conn && s->conn->serverHost == hostName &&
            s->localPort == s->conn->serverPort && (port == 0 || port == s->localPort))
            out.push_back(s);
    };
    for (const auto& [fd, s] : h->fds) {
        consider(s);
        for (const auto& pending : s->acceptQ) consider(pending);
    }
    return out;
}

}  // namespace simsock::sim::detail
