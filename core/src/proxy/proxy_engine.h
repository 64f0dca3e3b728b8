// ProxyEngine: Qt's proxy socket engine. It wraps a plain TCP engine connected to the proxy, runs a
// protocol's handshake (ProxyHandshake) hidden inside the socket's Connecting state, and once the tunnel
// is open passes reads, writes and notifications through. The machine sees one connect that finishes
// (connectionNotification) when the whole handshake is done; connectResult() is then 0, or nonzero with
// failure() saying which SocketError Qt reports.
//
// Like every engine it never notifies from inside its own methods: its own notifications (the end of the
// handshake, tunnel bytes that arrived with the proxy's reply) are posted on the loop and dropped once
// the engine is closed or destroyed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "proxy_handshake.h"
#include "simsock/backend.h"

namespace simsock::detail {

/// Who answers proxyAuthenticationRequired (the socket machine). Called from the loop; the handler may
/// close or destroy the engine.
class ProxyAuthenticationHandler {
public:
    virtual ~ProxyAuthenticationHandler() = default;
    virtual void proxyAuthenticationRequired(const NetworkProxy& proxy, Authenticator* authenticator) = 0;
};

class ProxyEngine final : public SocketEngine, private EngineReceiver {
public:
    /// At most this many connections to the proxy per connect (credentials retries reconnect).
    static constexpr int kMaxProxyConnections = 16;

    /// proxy is Socks5Proxy or HttpProxy with a host and port; handler outlives the engine.
    ProxyEngine(Backend& backend, NetworkProxy proxy, ProxyAuthenticationHandler& handler);
    ~ProxyEngine() override;
    ProxyEngine(const ProxyEngine&) = delete;
    ProxyEngine& operator=(const ProxyEngine&) = delete;

    /// As connect(), with the name sent to the proxy unresolved (SOCKS5 ATYP 3, HTTP CONNECT name:port).
    int connectToHostName(const std::string& name, std::uint16_t port);
    /// Starts a SOCKS5 UDP ASSOCIATE (from any address and port) instead of a CONNECT; the outcome comes
    /// as for connect().
    int associate();
    /// Why the connect failed (connectResult() nonzero), nullopt otherwise.
    const std::optional<MappedError>& failure() const { return failure_; }
    /// The error a close by the target through the tunnel gives (errorStrings differ per protocol).
    MappedError remoteClosed() const { return handshake_ ? handshake_->remoteClosed() : MappedError{}; }
    /// The proxy's address this engine is connected to (Null before the connection).
    HostAddress proxyAddress() const { return inner_ ? inner_->peerAddress() : HostAddress(); }
    /// Connections opened to the proxy so far for this connect.
    int proxyConnections() const { return connections_; }

    // SocketEngine
    void setReceiver(EngineReceiver* receiver) override { receiver_ = receiver; }
    int initialize(NetworkLayerProtocol protocol) override;
    int adoptDescriptor(std::intptr_t descriptor) override;
    bool isValid() const override { return open_; }
    std::intptr_t descriptor() const override;
    NetworkLayerProtocol protocol() const override;
    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override;
    int connect(const HostAddress& address, std::uint16_t port) override;
    int connectResult() override;
    int listen(int backlog) override;
    std::intptr_t accept(int& err) override;
    IoResult read(char* data, std::size_t maxSize) override;
    IoResult write(const char* data, std::size_t size) override;
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override;
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                           std::uint16_t port) override;
    std::int64_t bytesAvailable() const override;
    bool hasPendingDatagrams() const override { return false; }
    std::int64_t pendingDatagramSize() const override { return -1; }
    void close() override { release(false); }
    void abort() override { release(true); }
    void setReadNotificationEnabled(bool enabled) override;
    void setWriteNotificationEnabled(bool enabled) override;
    bool isReadNotificationEnabled() const override { return readEnabled_; }
    bool isWriteNotificationEnabled() const override { return writeEnabled_; }
    int setOption(SocketOption option, int value) override;
    std::optional<int> option(SocketOption option) const override;
    HostAddress localAddress() const override;
    std::uint16_t localPort() const override;
    HostAddress peerAddress() const override;
    std::uint16_t peerPort() const override;

private:
    enum class Phase : std::uint8_t { Idle, Resolving, ConnectingProxy, Handshaking, Tunnel, Failed };

    // The inner engine's notifications.
    void readNotification() override;
    void writeNotification() override;
    void connectionNotification() override;

    int start(ProxyTarget target);
    void openConnection();
    void proxyResolved(const HostInfo& info);
    void connectInner(const HostAddress& proxyAddress);
    void proxyConnected();
    void handshakeReadable();
    bool process(const char* data, std::size_t size);
    bool askCredentials(std::string* out, HandshakeStep* next);
    void send(std::string bytes);
    void flushHandshake();
    void establish();
    void fail(MappedError e);
    void dropInner(bool abortive);
    void release(bool abortive);
    void postConnectNotification();
    void postLeftover();
    void setInnerFlags();

    Backend& backend_;
    NetworkProxy proxy_;
    ProxyAuthenticationHandler& handler_;
    EngineReceiver* receiver_ = nullptr;
    std::unique_ptr<ProxyHandshake> handshake_;
    std::unique_ptr<SocketEngine> inner_;
    std::shared_ptr<char> token_;  // posted callbacks and the handler hold weak copies
    Phase phase_ = Phase::Idle;
    ProxyTarget target_;
    std::optional<MappedError> failure_;
    NetworkLayerProtocol protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    bool open_ = false;
    bool readEnabled_ = false;
    bool writeEnabled_ = false;
    bool leftoverPosted_ = false;
    bool asking_ = false;  // the credentials handler runs: the inner engine's reads wait
    int connections_ = 0;
    LookupId lookupId_ = 0;
    bool lookupPending_ = false;
    std::string out_;       // handshake bytes not yet written
    std::string leftover_;  // bytes after the proxy's reply: the tunnel's first data (or, while
                            // credentials are asked, the rest of the proxy's answer)
    std::size_t leftoverAt_ = 0;
    std::map<SocketOption, int> options_;
};

}  // namespace simsock::detail
