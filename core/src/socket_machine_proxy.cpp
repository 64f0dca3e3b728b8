// The machine's proxy corners: the credentials signal, the tunnel's remote-close text, and UDP through a
// proxy (PROXY-SEMANTICS §1 and §11). A SOCKS5 UDP association is asked for blocking, inside the call, as
// Qt does; simsock has no UDP relay yet, so an association the proxy grants is reported as unsupported
// (README, behaviour notes).
#include "proxy/proxy_selection.h"
#include "proxy/socks5_udp_engine.h"
#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {
namespace {

// Qt waits this long inside bind() for the UDP ASSOCIATE reply [src].
constexpr std::int64_t kAssociateTimeoutMs = 5000;

// Collects the end of an association attempt; forwards a credentials request while the socket lives.
class AssociateWatch final : public EngineReceiver, public ProxyAuthenticationHandler {
public:
    AssociateWatch(ProxyAuthenticationHandler& socket, Lifeline::Mark mark) : socket_(socket), mark_(mark) {}
    void readNotification() override {}
    void writeNotification() override {}
    void connectionNotification() override { done = true; }
    void proxyAuthenticationRequired(const NetworkProxy& proxy, Authenticator* authenticator) override {
        if (!mark_.destroyed()) socket_.proxyAuthenticationRequired(proxy, authenticator);
    }
    bool done = false;

private:
    ProxyAuthenticationHandler& socket_;
    Lifeline::Mark mark_;
};

}  // namespace

void SocketMachine::proxyAuthenticationRequired(const NetworkProxy& used, Authenticator* authenticator) {
    // From the loop, in Connecting; the proxy engine notices by itself when a handler closed the socket.
    (void)emit(&SignalSink::emitProxyAuthenticationRequired, used, authenticator);
}

MappedError SocketMachine::remoteClosedError() const {
    if (proxyEngine_ != nullptr) return proxyEngine_->remoteClosed();
    return {SocketError::RemoteHostClosedError, "The remote host closed the connection"};
}

std::unique_ptr<SocketEngine> SocketMachine::associateThroughProxy(MappedError* failure) {
    // Runs the loop inside the caller's call, as Qt's blocking association does; other sockets' handlers
    // may run meanwhile (and destroy this one: nothing here touches the machine after the loop, and the
    // caller checks its mark).
    Backend& backend = backend_;
    AssociateWatch watch(*this, life_.mark());
    auto control = std::make_unique<ProxyEngine>(backend, *activeProxy_, watch);
    control->setReceiver(&watch);
    (void)control->initialize(NetworkLayerProtocol::IPv4Protocol);
    (void)control->associate();
    backend.loop().runUntil([&] { return watch.done; }, kAssociateTimeoutMs);
    control->setReceiver(nullptr);
    if (!watch.done || control->failure()) {
        *failure = control->failure().value_or(MappedError{SocketError::SocketTimeoutError, "Network operation timed out"});
        control->close();
        return nullptr;
    }
    // The relay is BND; a proxy that answers 0.0.0.0 means its own address.
    HostAddress relay = control->localAddress();
    const std::uint16_t relayPort = control->localPort();
    if (relay.isNull() || relay.isAny() || relay == HostAddress("0.0.0.0")) relay = control->proxyAddress();
    return std::make_unique<Socks5UdpEngine>(backend, std::move(control), relay, relayPort);
}

bool SocketMachine::adoptRelayEngine(std::unique_ptr<SocketEngine> relay, const HostAddress& address,
                                     std::uint16_t port, BindMode mode) {
    resetEngine();
    relay->setReceiver(this);
    if (int err = relay->initialize(address.isNull() ? NetworkLayerProtocol::AnyIPProtocol : address.protocol())) {
        (void)setErrorAndEmit(mapErrno(Operation::Create, err));
        return false;
    }
    for (const auto& [option, value] : options_) relay->setOption(option, value);
    engine_ = std::move(relay);
    // A relay that cannot bind leaves no engine behind (there is no native one to keep, unlike a plain bind).
    return bindEngine(address, port, mode, false);
}

void SocketMachine::connectUdpThroughProxy(bool byName) {
    const Lifeline::Mark mark = life_.mark();
    MappedError failure{};
    auto relay = associateThroughProxy(&failure);
    if (mark.fate() != Fate::Alive || !inState(SocketState::ConnectingState)) return;
    if (!relay) {
        failUdpConnect(failure, byName);
        return;
    }
    resetEngine();
    relay->setReceiver(this);
    if (int err = relay->initialize(NetworkLayerProtocol::AnyIPProtocol)) {
        failUdpConnect(mapErrno(Operation::Create, err), byName);
        return;
    }
    for (const auto& [option, value] : options_) relay->setOption(option, value);
    auto* udp = static_cast<Socks5UdpEngine*>(relay.get());
    if (byName) {
        (void)udp->connectToHostName(peerName, peerPort);
    } else {
        (void)udp->connect(addresses_.front(), peerPort);
    }
    engine_ = std::move(relay);
    connectionEstablished();
}

void SocketMachine::failUdpConnect(const MappedError& e, bool byName) {
    // §11 and §5: the engine fails inside the call. By address the usual order; by name eO comes first.
    if (!byName) {
        failConnect(e.error, e.text);
        return;
    }
    resetEngine();
    addresses_.clear();
    if (setErrorAndEmit(e) != Fate::Alive || !inState(SocketState::ConnectingState)) return;
    (void)setState(SocketState::UnconnectedState);
}

std::optional<bool> SocketMachine::bindThroughProxy(const HostAddress& address, std::uint16_t port, BindMode mode) {
    activeProxy_.reset();
    if (type_ != SocketType::UdpSocket) return std::nullopt;
    const ProxyChoice choice = chooseProxy(proxy, {}, type_);
    if (choice.kind == ProxyChoice::Kind::Direct) return std::nullopt;
    if (choice.kind == ProxyChoice::Kind::Unsupported) {
        setError(SocketError::UnsupportedSocketOperationError, "Operation on socket is not supported");  // no signal (§1)
        return false;
    }
    activeProxy_ = std::make_unique<NetworkProxy>(choice.proxy);
    const Lifeline::Mark mark = life_.mark();
    MappedError failure{};
    auto relay = associateThroughProxy(&failure);
    if (mark.fate() == Fate::Destroyed) return false;
    activeProxy_.reset();
    if (!relay) {
        (void)setErrorAndEmit(failure);  // §11: bind{eO}, the state stays Unconnected
        return false;
    }
    if (!inState(SocketState::UnconnectedState)) return false;  // a handler in the nested loop moved it on
    return adoptRelayEngine(std::move(relay), address, port, mode);
}

std::optional<std::int64_t> SocketMachine::sendDatagramThroughProxy(const char* data, std::int64_t size,
                                                                    const HostAddress& a, std::uint16_t port) {
    if (type_ != SocketType::UdpSocket) return std::nullopt;
    const ProxyChoice choice = chooseProxy(proxy, {}, type_);
    if (choice.kind == ProxyChoice::Kind::Direct) return std::nullopt;
    if (choice.kind == ProxyChoice::Kind::Unsupported) {
        if (!choice.fromApplication) {
            setError(SocketError::UnsupportedSocketOperationError, "Operation on socket is not supported");
            return -1;
        }
        // Qt reports it twice (its bind attempt, then the write), with a warning between them (§1).
        const MappedError e{SocketError::UnsupportedSocketOperationError, "The proxy type is invalid for this operation"};
        if (setErrorAndEmit(e) == Fate::Destroyed) return -1;
        (void)setErrorAndEmit(e);
        return -1;
    }
    activeProxy_ = std::make_unique<NetworkProxy>(choice.proxy);
    const Lifeline::Mark mark = life_.mark();
    MappedError failure{};
    auto relay = associateThroughProxy(&failure);
    if (mark.fate() == Fate::Destroyed) return size;
    activeProxy_.reset();
    if (!relay) {
        // §11: the failure is reported, yet the datagram counts as written.
        if (setErrorAndEmit(failure) == Fate::Destroyed) return size;
        (void)emitBytesWritten(size);
        return size;
    }
    if (!inState(SocketState::UnconnectedState)) return -1;
    if (!adoptRelayEngine(std::move(relay), HostAddress::SpecialAddress::Any, 0, BindMode())) return -1;
    if (!inState(SocketState::BoundState)) return -1;
    return channel_->writeDatagram(data, size, a, port, false);
}

}  // namespace simsock::detail
