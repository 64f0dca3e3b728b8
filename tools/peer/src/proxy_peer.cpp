// The proxy peer's connections: accepting clients, reading and writing both sides of each session, the
// relay, closing. What the handshake bytes mean is proxy_handshake.cpp. Every buffer is bounded: a
// handshake above kMaxProxyHead closes the client, a relay side stops reading while the other side has
// kMaxRelayBuffer bytes queued, and at most kMaxProxySessions connections are served.
#include "simsock/peer/proxy_peer.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "proxy_session.h"
#include "simsock/check.h"

namespace simsock::peer {
namespace {
constexpr int kProxyBacklog = 50;
constexpr std::size_t kProxyChunk = 16 * 1024;
constexpr std::size_t kMaxProxySessions = 4096;
constexpr std::size_t kMaxReceivedKept = 16 * 1024 * 1024;
constexpr int kAcceptsPerNotification = 64;

constexpr ProxyFaultInfo kProxyFaultTable[] = {
    {ProxyFault::None, "none", true, true, false},
    {ProxyFault::CloseOnAccept, "close-on-accept", true, true, false},
    {ProxyFault::CloseAfterGreeting, "close-after-greeting", true, false, false},
    {ProxyFault::CloseAfterRequest, "close-after-request", true, true, false},
    {ProxyFault::Garbage, "garbage", true, true, false},
    {ProxyFault::NeverAnswer, "never-answer", true, true, false},
    {ProxyFault::ReplyCode, "reply-code", true, false, true},
    {ProxyFault::UnofferedMethod, "unoffered-method", true, false, false},
    {ProxyFault::NoAcceptableMethod, "no-acceptable-method", true, false, false},
    {ProxyFault::RejectAuth, "reject-auth", true, true, false},
    {ProxyFault::Status, "status", false, true, true},
    {ProxyFault::ChallengeMissing, "407-without-challenge", false, true, false},
};
static_assert(std::size(kProxyFaultTable) == static_cast<std::size_t>(ProxyFault::ChallengeMissing) + 1,
              "one row per ProxyFault, in enum order");

}  // namespace

std::span<const ProxyFaultInfo> proxyFaults() { return kProxyFaultTable; }

const ProxyFaultInfo& proxyFaultInfo(ProxyFault fault) {
    const auto& row = kProxyFaultTable[static_cast<std::size_t>(fault)];
    SIMSOCK_ASSERT(row.fault == fault);
    return row;
}

std::optional<ProxyFault> parseProxyFault(std::string_view name) {
    for (const auto& row : kProxyFaultTable)
        if (row.name == name) return row.fault;
    return std::nullopt;
}

class ProxyPeer::Acceptor final : public EngineReceiver {
public:
    explicit Acceptor(ProxyPeer& p) : peer_(p) {}
    void readNotification() override { peer_.onAcceptable(); }
    void writeNotification() override {}
    void connectionNotification() override {}

private:
    ProxyPeer& peer_;
};

ProxyPeer::ProxyPeer(Backend& backend, std::string name, ProxySettings settings, PeerEnvironment env)
    : backend_(backend), name_(std::move(name)), settings_(std::move(settings)), env_(withDefaults(std::move(env))) {}

ProxyPeer::~ProxyPeer() {
    *alive_ = false;
    if (listenEngine_) listenEngine_->setReceiver(nullptr);
    sessions_.clear();
}

std::string ProxyPeer::start() {
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    int err = engine->initialize(NetworkLayerProtocol::AnyIPProtocol);
    if (err == 0) err = env_.bind(*engine, settings_.port, SocketType::TcpSocket);
    if (err == 0) err = engine->listen(kProxyBacklog);
    if (err != 0)
        return "proxy " + name_ + ": cannot listen on port " + std::to_string(settings_.port) + ": " + std::strerror(err);
    listenEngine_ = std::move(engine);
    acceptor_ = std::make_unique<Acceptor>(*this);
    listenEngine_->setReceiver(acceptor_.get());
    listenEngine_->setReadNotificationEnabled(true);
    log("listen", 0, "port " + std::to_string(settings_.port));
    return {};
}

std::uint16_t ProxyPeer::localPort() const { return listenEngine_ ? listenEngine_->localPort() : 0; }

void ProxyPeer::log(const std::string& what, std::int64_t bytes, const std::string& detail) {
    env_.log(PeerEvent{backend_.loop().nowNs(), what, bytes, {}, detail});
}

void ProxyPeer::appendReceived(const char* data, std::size_t n) {
    if (received_.size() < kMaxReceivedKept) received_.append(data, std::min(n, kMaxReceivedKept - received_.size()));
}

void ProxyPeer::onAcceptable() {
    for (int i = 0; i < kAcceptsPerNotification; ++i) {
        int err = 0;
        std::intptr_t fd = listenEngine_->accept(err);
        if (fd < 0) {
            if (err != EAGAIN && err != EWOULDBLOCK) log("accept-error", 0, std::strerror(err));
            return;
        }
        auto engine = backend_.createEngine(SocketType::TcpSocket);
        if (int aerr = engine->adoptDescriptor(fd); aerr != 0) {
            log("accept-error", 0, std::strerror(aerr));
            continue;
        }
        ++accepted_;
        log("accept", 0, env_.locate(engine->peerAddress(), engine->peerPort()));
        if (sessions_.size() >= kMaxProxySessions) {
            engine->close();
            continue;
        }
        sessions_.push_back(std::make_unique<Session>(*this, std::move(engine)));
        sessions_.back()->begin();
    }
}

ProxyPeer::Session::Session(ProxyPeer& p, std::unique_ptr<SocketEngine> clientEngine)
    : peer(p), settings(p.settings_), client(*this, std::move(clientEngine), false) {}

void ProxyPeer::Session::begin() {
    stage = settings.type == ProxyKind::Http ? Stage::HttpHead : Stage::Greeting;
    if (settings.fault == ProxyFault::CloseOnAccept) return closeAll();
    if (settings.fault == ProxyFault::NeverAnswer) stage = Stage::Silent;
    client.engine->setReadNotificationEnabled(true);
}

void ProxyPeer::Session::onReadable(Side& side) {
    if (side.closed || side.eof) return;
    char buf[kProxyChunk];
    IoResult r;
    std::size_t got = 0;
    while (got < kMaxRelayBuffer && (r = side.engine->read(buf, sizeof buf)).bytes > 0) {
        const auto n = static_cast<std::size_t>(r.bytes);
        got += n;
        if (!side.upstream) peer.appendReceived(buf, n);
        if (stage == Stage::Relay) {
            Side* to = other(side);
            if (to && !to->closed) queue(*to, buf, n);
            if (to && to->out.size() + to->held.size() >= kMaxRelayBuffer) {
                side.engine->setReadNotificationEnabled(false);
                break;
            }
        } else if (!side.upstream && stage != Stage::Silent && stage != Stage::Done) {
            in.append(buf, n);
        }
    }
    if (got > 0) peer.log(side.upstream ? "relay-down" : "recv", static_cast<std::int64_t>(got));
    if (stage == Stage::Relay && other(side)) flush(*other(side));
    if (!side.upstream && in.size() > kMaxProxyHead) {
        peer.log("oversized", static_cast<std::int64_t>(in.size()));
        return closeAll();
    }
    if (!side.upstream && got > 0) handshake();
    if (r.eof || (r.error != 0 && r.error != EAGAIN && r.error != EWOULDBLOCK)) {
        side.eof = true;
        if (!side.closed) side.engine->setReadNotificationEnabled(false);
        peer.log(r.eof ? "eof" : "error", 0, side.upstream ? "destination" : "client");
        Side* to = other(side);
        if (stage != Stage::Relay || !to) return closeAll();
        if (r.error != 0 && r.eof == false) return closeSide(*to, true), closeSide(side, false);
        to->closeAfterFlush = true;
        flush(*to);
        if (side.out.empty()) closeSide(side, false);
    }
}

// Behind a split answer nothing may overtake its second piece: bytes wait in `held` until it is sent.
void ProxyPeer::Session::queue(Side& side, const char* data, std::size_t n) {
    (side.holding ? side.held : side.out).append(data, n);
}

void ProxyPeer::Session::flush(Side& side) {
    while (!side.out.empty() && !side.closed) {
        IoResult r = side.engine->write(side.out.data(), side.out.size());
        if (r.bytes > 0) {
            side.out.erase(0, static_cast<std::size_t>(r.bytes));
            continue;
        }
        if (r.error == EAGAIN || r.error == EWOULDBLOCK) {
            side.engine->setWriteNotificationEnabled(true);
            return;
        }
        side.out.clear();
    }
    if (side.closed) return;
    side.engine->setWriteNotificationEnabled(false);
    // Room again: the side feeding this one may read on.
    Side* from = other(side);
    if (from && !from->closed && !from->eof && stage == Stage::Relay) from->engine->setReadNotificationEnabled(true);
    if (side.closeAfterFlush && !side.holding) closeSide(side, false);
}

void ProxyPeer::Session::closeSide(Side& side, bool reset) {
    if (side.closed) return;
    side.closed = true;
    if (reset) {
        side.engine->abort();
    } else {
        side.engine->close();
    }
    peer.log(reset ? "reset" : "close", 0, side.upstream ? "destination" : "client");
}

void ProxyPeer::Session::closeAll() {
    stage = Stage::Done;
    closeSide(client, false);
    if (upstream) closeSide(*upstream, false);
}

// A split answer goes out as its first byte now and the rest after splitDelayNs: clients must reassemble.
void ProxyPeer::Session::answer(std::string bytes, bool thenClose) {
    if (client.closed) return;
    peer.log("reply", static_cast<std::int64_t>(bytes.size()));
    if (thenClose) stage = Stage::Done;
    if (settings.splitDelayNs <= 0 || bytes.size() < 2 || client.holding) {
        queue(client, bytes.data(), bytes.size());
        client.closeAfterFlush = client.closeAfterFlush || thenClose;
        return flush(client);
    }
    client.out += bytes.substr(0, 1);
    client.held += bytes.substr(1);
    client.holding = true;  // flush() closes nothing while a piece is held
    client.closeAfterFlush = client.closeAfterFlush || thenClose;
    flush(client);
    std::weak_ptr<bool> token = peer.alive_;
    peer.backend_.loop().startTimer(settings.splitDelayNs, [this, token] {
        if (token.expired() || client.closed) return;
        client.out += client.held;
        client.held.clear();
        client.holding = false;
        flush(client);
    }, false);
}

void ProxyPeer::Session::startUpstream(const std::string& host, std::uint16_t port) {
    auto to = peer.env_.reach(host, port, SocketType::TcpSocket);
    if (!to) {
        peer.log("connect-failed", 0, host + ": no address");
        return connectResult(-1);
    }
    auto engine = peer.backend_.createEngine(SocketType::TcpSocket);
    int err = engine->initialize(to->address.protocol());
    upstream = std::make_unique<Side>(*this, std::move(engine), true);
    if (err == 0) err = upstream->engine->connect(to->address, to->port);
    peer.log("connect", 0, to->address.toString() + ":" + std::to_string(to->port));
    if (err == 0) return onUpstreamConnected();
    if (err != EINPROGRESS) {
        peer.log("connect-failed", 0, std::strerror(err));
        connectResult(err);
    }
}

void ProxyPeer::Session::onUpstreamConnected() {
    if (!upstream || upstream->closed) return;
    const int err = upstream->engine->connectResult();
    if (err != 0) {
        peer.log("connect-failed", 0, std::strerror(err));
        return connectResult(err);
    }
    peer.log("connected", 0, target);
    upstream->engine->setReadNotificationEnabled(true);
    connectResult(0);
}

}  // namespace simsock::peer
