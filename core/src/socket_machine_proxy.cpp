// The machine's proxy corners: the credentials signal, the tunnel's remote-close text, and UDP through a
// proxy (PROXY-SEMANTICS §1 and §11). A SOCKS5 UDP association is asked for blocking, inside the call, as
// Qt does; simsock has no UDP relay yet, so an association the proxy grants is reported as unsupported
// (README, behaviour notes).
#include "proxy/proxy_selection.h"
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

const MappedError kUdpRelayMissing{SocketError::UnsupportedSocketOperationError,
                                   "simsock cannot relay UDP through a SOCKS5 proxy yet"};

}  // namespace

void SocketMachine::proxyAuthenticationRequired(const NetworkProxy& used, Authenticator* authenticator) {
    // From the loop, in Connecting; the proxy engine notices by itself when a handler closed the socket.
    (void)emit(&SignalSink::emitProxyAuthenticationRequired, used, authenticator);
}

MappedError SocketMachine::remoteClosedError() const {
    if (proxyEngine_ != nullptr) return proxyEngine_->remoteClosed();
    return {SocketError::RemoteHostClosedError, "The remote host closed the connection"};
}

MappedError SocketMachine::associateThroughProxy() {
    // Runs the loop inside the caller's call, as Qt's blocking association does; other sockets' handlers
    // may run meanwhile (and destroy this one: the caller checks its mark).
    const Lifeline::Mark mark = life_.mark();
    AssociateWatch watch(*this, mark);
    ProxyEngine engine(backend_, *activeProxy_, watch);
    engine.setReceiver(&watch);
    (void)engine.initialize(NetworkLayerProtocol::IPv4Protocol);
    (void)engine.associate();
    backend_.loop().runUntil([&] { return watch.done; }, kAssociateTimeoutMs);
    MappedError result = kUdpRelayMissing;
    if (!watch.done) result = {SocketError::SocketTimeoutError, "Network operation timed out"};
    if (engine.failure()) result = *engine.failure();
    engine.close();
    return result;
}

void SocketMachine::failUdpConnectThroughProxy(bool byName) {
    // §11 and §5: the engine fails inside the call. By address the usual order; by name eO comes first.
    const Lifeline::Mark mark = life_.mark();
    const MappedError e = associateThroughProxy();
    if (mark.fate() != Fate::Alive || !inState(SocketState::ConnectingState)) return;
    if (!byName) {
        failConnect(e.error, e.text);
        return;
    }
    resetEngine();
    addresses_.clear();
    if (setErrorAndEmit(e) != Fate::Alive || !inState(SocketState::ConnectingState)) return;
    (void)setState(SocketState::UnconnectedState);
}

std::optional<bool> SocketMachine::bindThroughProxy() {
    activeProxy_.reset();
    if (type_ != SocketType::UdpSocket) return std::nullopt;
    const ProxyChoice choice = chooseProxy(proxy, {}, type_);
    if (choice.kind == ProxyChoice::Kind::Direct) return std::nullopt;
    if (choice.kind == ProxyChoice::Kind::Unsupported) {
        setError(SocketError::UnsupportedSocketOperationError, "Operation on socket is not supported");  // no signal (§1)
        return false;
    }
    activeProxy_ = choice.proxy;
    const Lifeline::Mark mark = life_.mark();
    const MappedError e = associateThroughProxy();
    if (mark.fate() == Fate::Destroyed) return false;
    activeProxy_.reset();
    (void)setErrorAndEmit(e);  // §11: bind{eO}, the state stays Unconnected
    return false;
}

std::optional<std::int64_t> SocketMachine::sendDatagramThroughProxy(std::int64_t size) {
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
    // §11: the association is tried again; its failure is reported, yet the datagram counts as written.
    activeProxy_ = choice.proxy;
    const Lifeline::Mark mark = life_.mark();
    const MappedError e = associateThroughProxy();
    if (mark.fate() == Fate::Destroyed) return size;
    activeProxy_.reset();
    if (setErrorAndEmit(e) == Fate::Destroyed) return size;
    (void)emitBytesWritten(size);
    return size;
}

}  // namespace simsock::detail
