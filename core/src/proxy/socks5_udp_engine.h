// Socks5UdpEngine: a UDP socket whose datagrams go through a SOCKS5 relay (RFC 1928 §7). It wraps a plain
// UDP engine of the backend and keeps the association's control connection (a ProxyEngine past its UDP
// ASSOCIATE) open for as long as it lives. Every datagram is sent to the relay behind a header naming its
// destination; a datagram from the relay is unwrapped and reported as coming from the header's address.
// Datagrams from anyone but the relay, fragments (FRAG != 0) and malformed headers are dropped, as the RFC
// asks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "proxy_engine.h"

namespace simsock::detail {

class Socks5UdpEngine final : public SocketEngine, private EngineReceiver {
public:
    /// control: a ProxyEngine whose associate() succeeded; relay: where datagrams go (BND of its reply).
    Socks5UdpEngine(Backend& backend, std::unique_ptr<ProxyEngine> control, HostAddress relay, std::uint16_t relayPort);
    ~Socks5UdpEngine() override;
    Socks5UdpEngine(const Socks5UdpEngine&) = delete;
    Socks5UdpEngine& operator=(const Socks5UdpEngine&) = delete;

    /// As connect(), with a name the relay resolves (ATYP 3 headers).
    int connectToHostName(const std::string& name, std::uint16_t port);

    void setReceiver(EngineReceiver* receiver) override { receiver_ = receiver; }
    int initialize(NetworkLayerProtocol protocol) override;
    int adoptDescriptor(std::intptr_t) override { return ENOTSOCK; }
    bool isValid() const override { return inner_ && inner_->isValid(); }
    std::intptr_t descriptor() const override { return inner_ ? inner_->descriptor() : -1; }
    NetworkLayerProtocol protocol() const override;
    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override;
    int connect(const HostAddress& address, std::uint16_t port) override;
    int connectResult() override { return 0; }
    int listen(int) override { return EOPNOTSUPP; }
    std::intptr_t accept(int& err) override;
    IoResult read(char* data, std::size_t maxSize) override { return readDatagram(data, maxSize, nullptr); }
    IoResult write(const char* data, std::size_t size) override;
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override;
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                           std::uint16_t port) override;
    std::int64_t bytesAvailable() const override;
    bool hasPendingDatagrams() const override { return inner_ && inner_->hasPendingDatagrams(); }
    std::int64_t pendingDatagramSize() const override;
    void close() override;
    void abort() override;
    void setReadNotificationEnabled(bool enabled) override;
    void setWriteNotificationEnabled(bool enabled) override;
    bool isReadNotificationEnabled() const override { return inner_ && inner_->isReadNotificationEnabled(); }
    bool isWriteNotificationEnabled() const override { return inner_ && inner_->isWriteNotificationEnabled(); }
    int setOption(SocketOption option, int value) override;
    std::optional<int> option(SocketOption option) const override;
    HostAddress localAddress() const override;
    std::uint16_t localPort() const override;
    HostAddress peerAddress() const override { return connected_ ? target_.address : HostAddress(); }
    std::uint16_t peerPort() const override { return connected_ ? target_.port : 0; }

    /// The RFC 1928 §7 header for a datagram to target (RSV RSV FRAG ATYP DST.ADDR DST.PORT).
    static std::string header(const ProxyTarget& target);
    /// Parses a relayed datagram's header: the sender and where the payload starts; false when malformed
    /// or a fragment.
    static bool parseHeader(const char* data, std::size_t size, DatagramHeader* sender, std::size_t* payloadAt);

private:
    void readNotification() override;
    void writeNotification() override;
    void connectionNotification() override;

    Backend& backend_;
    std::unique_ptr<ProxyEngine> control_;
    std::unique_ptr<SocketEngine> inner_;
    HostAddress relay_;
    std::uint16_t relayPort_;
    EngineReceiver* receiver_ = nullptr;
    ProxyTarget target_;
    bool connected_ = false;
    std::vector<char> scratch_;  // one relayed datagram (header + payload)
};

}  // namespace simsock::detail
