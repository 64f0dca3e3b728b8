// ProxyEngine: the connection to the proxy, the hidden handshake, and the tunnel's pass-through.
#include "proxy_engine.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "http_handshake.h"
#include "socks5_handshake.h"

namespace simsock::detail {
namespace {

// Reads per inner notification while handshaking; the rest is read on the next (level-triggered) turn.
constexpr int kHandshakeReadsPerNotification = 16;
constexpr std::size_t kHandshakeReadChunk = 2048;
// Steps per received chunk: every step consumes bytes or produces a request, so this is never reached
// by a well-formed exchange; it bounds a hostile one.
constexpr int kMaxStepsPerChunk = 64;

}  // namespace

std::unique_ptr<ProxyHandshake> makeProxyHandshake(const NetworkProxy& proxy, const ProxyTarget& target) {
    if (proxy.type() == NetworkProxy::HttpProxy) return std::make_unique<HttpHandshake>(proxy, target);
    return std::make_unique<Socks5Handshake>(proxy, target);
}

ProxyEngine::ProxyEngine(Backend& backend, NetworkProxy proxy, ProxyAuthenticationHandler& handler)
    : backend_(backend), proxy_(std::move(proxy)), handler_(handler) {}

ProxyEngine::~ProxyEngine() {
    if (lookupPending_) backend_.resolver().abortLookup(lookupId_);
    lookupPending_ = false;
    token_.reset();
    if (inner_) {
        inner_->setReceiver(nullptr);
        inner_->close();
    }
}

int ProxyEngine::initialize(NetworkLayerProtocol protocol) {
    if (open_) return EINVAL;
    open_ = true;
    protocol_ = protocol;
    token_ = std::make_shared<char>(0);
    phase_ = Phase::Idle;
    failure_.reset();
    connections_ = 0;
    return 0;
}

int ProxyEngine::adoptDescriptor(std::intptr_t) { return ENOTSOCK; }  // a tunnel has no descriptor to adopt

std::intptr_t ProxyEngine::descriptor() const { return inner_ ? inner_->descriptor() : -1; }

NetworkLayerProtocol ProxyEngine::protocol() const {
    return open_ ? protocol_ : NetworkLayerProtocol::UnknownNetworkLayerProtocol;
}

int ProxyEngine::bind(const HostAddress&, std::uint16_t, BindMode) { return open_ ? EOPNOTSUPP : EBADF; }
int ProxyEngine::listen(int) { return open_ ? EOPNOTSUPP : EBADF; }

std::intptr_t ProxyEngine::accept(int& err) {
    err = open_ ? EOPNOTSUPP : EBADF;
    return -1;
}

int ProxyEngine::connect(const HostAddress& address, std::uint16_t port) {
    return start(ProxyTarget{address, address.toString(), port});
}

int ProxyEngine::connectToHostName(const std::string& name, std::uint16_t port) {
    return start(ProxyTarget{HostAddress(), name, port});
}

int ProxyEngine::associate() {
    ProxyTarget t{HostAddress(HostAddress::SpecialAddress::AnyIPv4), "0.0.0.0", 0};
    t.udpAssociate = true;
    return start(std::move(t));
}

int ProxyEngine::start(ProxyTarget target) {
    if (!open_) return EBADF;
    if (phase_ != Phase::Idle) return EALREADY;
    target_ = std::move(target);
    handshake_ = makeProxyHandshake(proxy_, target_);
    openConnection();
    return EINPROGRESS;  // the outcome always comes from the loop, after the handshake
}

int ProxyEngine::connectResult() {
    if (failure_) return ECONNABORTED;
    return phase_ == Phase::Tunnel ? 0 : EINPROGRESS;
}

// ---- The connection to the proxy ----

void ProxyEngine::openConnection() {
    if (++connections_ > kMaxProxyConnections) {
        fail(handshake_->closedPrematurely());
        return;
    }
    const std::string& host = proxy_.hostName();
    if (auto literal = HostAddress::parse(host)) {
        connectInner(*literal);
        return;
    }
    if (host.empty()) {
        fail(handshake_->proxyNotFound());
        return;
    }
    if (auto hit = backend_.resolver().cached(host)) {
        proxyResolved(*hit);
        return;
    }
    phase_ = Phase::Resolving;
    lookupPending_ = true;
    lookupId_ = backend_.resolver().lookupHost(host, [this, alive = std::weak_ptr<char>(token_)](const HostInfo& info) {
        if (alive.expired()) return;
        lookupPending_ = false;
        proxyResolved(info);
    });
}

void ProxyEngine::proxyResolved(const HostInfo& info) {
    if (info.error != HostInfo::Error::NoError || info.addresses.empty()) {
        fail(handshake_->proxyNotFound());
        return;
    }
    connectInner(info.addresses.front());
}

void ProxyEngine::connectInner(const HostAddress& proxyAddress) {
    phase_ = Phase::ConnectingProxy;
    inner_ = backend_.createEngine(SocketType::TcpSocket);
    inner_->setReceiver(this);
    if (int err = inner_->initialize(proxyAddress.protocol())) {
        fail(mapErrno(Operation::Create, err));
        return;
    }
    for (const auto& [option, value] : options_) inner_->setOption(option, value);
    const int err = inner_->connect(proxyAddress, proxy_.port());
    if (err == 0) {
        proxyConnected();
    } else if (err != EINPROGRESS) {
        fail(handshake_->connectFailure(err));
    }
}

void ProxyEngine::connectionNotification() {
    if (phase_ != Phase::ConnectingProxy) return;
    if (int err = inner_->connectResult()) {
        fail(handshake_->connectFailure(err));
        return;
    }
    proxyConnected();
}

void ProxyEngine::proxyConnected() {
    phase_ = Phase::Handshaking;
    inner_->setReadNotificationEnabled(true);
    send(handshake_->begin());
}

// ---- The handshake ----

void ProxyEngine::send(std::string bytes) {
    out_ += bytes;
    flushHandshake();
}

void ProxyEngine::flushHandshake() {
    while (!out_.empty()) {
        const IoResult r = inner_->write(out_.data(), out_.size());
        if (r.bytes > 0) {
            out_.erase(0, static_cast<std::size_t>(r.bytes));
            continue;
        }
        if (r.error == EAGAIN || r.error == EWOULDBLOCK) {
            inner_->setWriteNotificationEnabled(true);
            return;
        }
        fail(handshake_->closedPrematurely());
        return;
    }
    inner_->setWriteNotificationEnabled(false);
}

void ProxyEngine::readNotification() {
    if (phase_ == Phase::Tunnel) {
        if (receiver_ != nullptr && readEnabled_) receiver_->readNotification();
        return;
    }
    if (phase_ == Phase::Handshaking && !asking_) handshakeReadable();
}

void ProxyEngine::writeNotification() {
    if (phase_ == Phase::Tunnel) {
        if (receiver_ != nullptr && writeEnabled_) receiver_->writeNotification();
        return;
    }
    if (phase_ == Phase::Handshaking) flushHandshake();
}

void ProxyEngine::handshakeReadable() {
    std::array<char, kHandshakeReadChunk> buf{};
    for (int i = 0; i < kHandshakeReadsPerNotification && phase_ == Phase::Handshaking; ++i) {
        const IoResult r = inner_->read(buf.data(), buf.size());
        if (r.bytes > 0) {
            if (!process(buf.data(), static_cast<std::size_t>(r.bytes))) return;
            continue;
        }
        if (r.error == EAGAIN || r.error == EWOULDBLOCK || (!r.eof && r.error == 0)) return;
        fail(handshake_->closedPrematurely());  // the proxy closed or reset the connection mid-handshake
        return;
    }
}

bool ProxyEngine::process(const char* data, std::size_t size) {
    // Returns false once reading must stop: the handshake ended, restarted, or the engine is gone.
    std::size_t at = 0;
    for (int step = 0; step < kMaxStepsPerChunk && phase_ == Phase::Handshaking; ++step) {
        std::string out;
        std::size_t used = 0;
        HandshakeStep next = handshake_->received(data + at, size - at, &used, &out);
        at += used;
        if (next == HandshakeStep::NeedsCredentials) {
            const std::weak_ptr<char> alive = token_;
            if (!askCredentials(&out, &next) || alive.expired()) return false;
        }
        const bool produced = !out.empty();
        switch (next) {
            case HandshakeStep::NeedMore:
                if (!out.empty()) send(std::move(out));
                if (at >= size || phase_ != Phase::Handshaking) return phase_ == Phase::Handshaking;
                if (used == 0 && !produced) return true;
                continue;
            case HandshakeStep::Established:
                leftover_.assign(data + at, size - at);
                leftoverAt_ = 0;
                establish();
                return false;
            case HandshakeStep::Failed: fail(handshake_->failure()); return false;
            case HandshakeStep::Reconnect:
                dropInner(false);
                out_.clear();
                openConnection();
                return false;
            case HandshakeStep::NeedsCredentials: return false;
        }
    }
    return phase_ == Phase::Handshaking;
}

bool ProxyEngine::askCredentials(std::string* out, HandshakeStep* next) {
    // The handler is user code: it may run a nested loop, so the proxy's bytes wait until it returns.
    const std::weak_ptr<char> alive = token_;
    Authenticator answer = handshake_->authenticator();
    const NetworkProxy shown = handshake_->proxy();
    asking_ = true;
    inner_->setReadNotificationEnabled(false);
    handler_.proxyAuthenticationRequired(shown, &answer);
    if (alive.expired()) return false;  // closed or destroyed by the handler
    asking_ = false;
    if (phase_ != Phase::Handshaking || !inner_) return false;
    inner_->setReadNotificationEnabled(true);
    *next = handshake_->credentialsGiven(answer, out);
    return true;
}

void ProxyEngine::establish() {
    phase_ = Phase::Tunnel;
    out_.clear();
    setInnerFlags();
    postConnectNotification();
}

void ProxyEngine::fail(MappedError e) {
    failure_ = std::move(e);
    phase_ = Phase::Failed;
    dropInner(false);
    postConnectNotification();
}

void ProxyEngine::dropInner(bool abortive) {
    if (!inner_) return;
    inner_->setReceiver(nullptr);
    if (abortive) {
        inner_->abort();
    } else {
        inner_->close();
    }
    // It may be the engine whose notification is running right now.
    backend_.loop().deleteLater(std::move(inner_));
}

void ProxyEngine::release(bool abortive) {
    if (lookupPending_) backend_.resolver().abortLookup(lookupId_);
    lookupPending_ = false;
    dropInner(abortive);
    token_.reset();
    open_ = false;
    readEnabled_ = writeEnabled_ = false;
    leftoverPosted_ = asking_ = false;
    phase_ = Phase::Idle;
    out_.clear();
    leftover_.clear();
    leftoverAt_ = 0;
}

void ProxyEngine::postConnectNotification() {
    backend_.loop().post([this, alive = std::weak_ptr<char>(token_)] {
        if (alive.expired() || receiver_ == nullptr) return;
        receiver_->connectionNotification();
    });
}

// ---- The tunnel ----

void ProxyEngine::setInnerFlags() {
    if (phase_ != Phase::Tunnel || !inner_) return;
    inner_->setReadNotificationEnabled(readEnabled_);
    inner_->setWriteNotificationEnabled(writeEnabled_);
}

void ProxyEngine::postLeftover() {
    if (leftoverPosted_ || !readEnabled_ || phase_ != Phase::Tunnel || leftoverAt_ >= leftover_.size()) return;
    leftoverPosted_ = true;
    backend_.loop().post([this, alive = std::weak_ptr<char>(token_)] {
        if (alive.expired()) return;
        leftoverPosted_ = false;
        if (!readEnabled_ || receiver_ == nullptr || leftoverAt_ >= leftover_.size()) return;
        receiver_->readNotification();
        if (!alive.expired()) postLeftover();  // level-triggered, as every engine
    });
}

void ProxyEngine::setReadNotificationEnabled(bool enabled) {
    readEnabled_ = enabled;
    setInnerFlags();
    postLeftover();
}

void ProxyEngine::setWriteNotificationEnabled(bool enabled) {
    writeEnabled_ = enabled;
    setInnerFlags();
}

IoResult ProxyEngine::read(char* data, std::size_t maxSize) {
    if (!open_) return {0, EBADF};
    if (phase_ != Phase::Tunnel || !inner_) return {0, ENOTCONN};
    if (leftoverAt_ < leftover_.size()) {
        const std::size_t n = std::min(maxSize, leftover_.size() - leftoverAt_);
        std::memcpy(data, leftover_.data() + leftoverAt_, n);
        leftoverAt_ += n;
        if (leftoverAt_ >= leftover_.size()) {
            leftover_.clear();
            leftoverAt_ = 0;
        }
        return {static_cast<std::int64_t>(n), 0};
    }
    return inner_->read(data, maxSize);
}

IoResult ProxyEngine::write(const char* data, std::size_t size) {
    if (!open_) return {0, EBADF};
    if (phase_ != Phase::Tunnel || !inner_) return {0, ENOTCONN};
    return inner_->write(data, size);
}

IoResult ProxyEngine::readDatagram(char*, std::size_t, DatagramHeader*) { return {0, open_ ? EOPNOTSUPP : EBADF}; }

IoResult ProxyEngine::writeDatagram(const char*, std::size_t, const HostAddress&, std::uint16_t) {
    return {0, open_ ? EOPNOTSUPP : EBADF};
}

std::int64_t ProxyEngine::bytesAvailable() const {
    if (phase_ != Phase::Tunnel || !inner_) return 0;
    return static_cast<std::int64_t>(leftover_.size() - leftoverAt_) + inner_->bytesAvailable();
}

int ProxyEngine::setOption(SocketOption option, int value) {
    options_[option] = value;
    if (inner_ && inner_->isValid()) return inner_->setOption(option, value);
    return 0;
}

std::optional<int> ProxyEngine::option(SocketOption option) const {
    if (inner_ && inner_->isValid()) return inner_->option(option);
    auto it = options_.find(option);
    if (it == options_.end()) return std::nullopt;
    return it->second;
}

HostAddress ProxyEngine::localAddress() const {
    if (phase_ == Phase::Tunnel)
        if (auto bound = handshake_->boundEndpoint()) return bound->first;
    return inner_ ? inner_->localAddress() : HostAddress();
}

std::uint16_t ProxyEngine::localPort() const {
    if (phase_ == Phase::Tunnel)
        if (auto bound = handshake_->boundEndpoint()) return bound->second;
    return inner_ ? inner_->localPort() : 0;
}

HostAddress ProxyEngine::peerAddress() const { return phase_ == Phase::Tunnel ? target_.address : HostAddress(); }

std::uint16_t ProxyEngine::peerPort() const { return phase_ == Phase::Tunnel ? target_.port : 0; }

}  // namespace simsock::detail
