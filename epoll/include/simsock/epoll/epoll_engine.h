// The real socket engine: one non-blocking BSD socket (TCP or UDP, IPv4, IPv6 or dual stack) watched
// by an EpollLoop. It forwards commands to the kernel and reports what the kernel says (byte counts and
// errno values); notifications come only from the loop's dispatch of epoll events, never from inside
// one of the engine's own methods, and never after close() or destruction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "simsock/engine.h"
#include "simsock/epoll/epoll_loop.h"

namespace simsock::epoll {

class EpollEngine final : public SocketEngine, private IoHandler {
public:
    /// An engine for one socket of type (TcpSocket or UdpSocket) on loop, which must outlive it.
    EpollEngine(EpollLoop& loop, SocketType type);
    ~EpollEngine() override;
    EpollEngine(const EpollEngine&) = delete;
    EpollEngine& operator=(const EpollEngine&) = delete;

    void setReceiver(EngineReceiver* receiver) override;
    /// Creates the socket (SOCK_NONBLOCK|SOCK_CLOEXEC); AnyIPProtocol is AF_INET6 with IPV6_V6ONLY=0.
    /// Options set before now are applied here (failures of those are ignored, as setsockopt's would
    /// have been reported when the option was set). Replaces a socket the engine already had.
    int initialize(NetworkLayerProtocol protocol) override;
    /// Takes ownership of a socket descriptor of this engine's type (EPROTOTYPE otherwise, ENOTSOCK for
    /// other files) and makes it non-blocking. On failure the caller keeps the descriptor.
    int adoptDescriptor(std::intptr_t descriptor) override;
    bool isValid() const override { return fd_ >= 0; }
    std::intptr_t descriptor() const override { return fd_; }
    NetworkLayerProtocol protocol() const override { return protocol_; }
    SocketType socketType() const { return type_; }

    /// SO_REUSEADDR is set unless mode has DontShareAddress (Qt's behaviour on Unix). A Null address binds Any.
    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override;
    int connect(const HostAddress& address, std::uint16_t port) override;
    /// SO_ERROR once the connect finished; EINPROGRESS while it has not.
    int connectResult() override;
    int listen(int backlog) override;
    /// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; connections aborted in the backlog are skipped.
    std::intptr_t accept(int& err) override;

    IoResult read(char* data, std::size_t maxSize) override;
    /// send with MSG_NOSIGNAL: a reset peer gives EPIPE, never SIGPIPE.
    IoResult write(const char* data, std::size_t size) override;
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override;
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                           std::uint16_t port) override;
    std::int64_t bytesAvailable() const override;
    bool hasPendingDatagrams() const override;
    /// recv(MSG_PEEK|MSG_TRUNC|MSG_DONTWAIT): a 0-byte datagram is pending with size 0.
    std::int64_t pendingDatagramSize() const override;

    void close() override;
    /// SO_LINGER {1, 0}, then close(): the kernel sends an RST.
    void abort() override;

    void setReadNotificationEnabled(bool enabled) override;
    void setWriteNotificationEnabled(bool enabled) override;
    bool isReadNotificationEnabled() const override { return readEnabled_; }
    bool isWriteNotificationEnabled() const override { return writeEnabled_; }

    /// Before the socket exists the value is kept and 0 returned (PathMtu, read-only: ENOPROTOOPT).
    int setOption(SocketOption option, int value) override;
    /// getsockopt's answer; before the socket exists, the kept value (nullopt if none).
    std::optional<int> option(SocketOption option) const override;

    HostAddress localAddress() const override;
    std::uint16_t localPort() const override;
    HostAddress peerAddress() const override;
    std::uint16_t peerPort() const override;

private:
    // One per ioReady() on the stack, so that destruction from inside a notification is noticed.
    struct DispatchFrame {
        bool alive = true;
        DispatchFrame* outer = nullptr;
    };

    void ioReady(std::uint32_t events) override;
    bool notify(void (EngineReceiver::*fn)(), DispatchFrame& frame);
    int finishOpen(int fd, int family, NetworkLayerProtocol protocol, bool dualStack);
    void applyKeptOptions();
    void updateInterest();
    void noteWrite(std::int64_t written, std::size_t size, int error);
    void injectedWriteReady(DispatchFrame& frame);
    void fetchName(bool peer, HostAddress* address, std::uint16_t* port) const;
    void forgetNames();

    struct NameCache {
        bool valid = false;
        HostAddress address;
        std::uint16_t port = 0;
    };

    EpollLoop& loop_;
    const SocketType type_;
    int fd_ = -1;
    int family_ = 0;  // AF_INET, AF_INET6 (or AF_UNIX for an adopted socketpair); 0 without a socket
    bool dualStack_ = false;
    NetworkLayerProtocol protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    EngineReceiver* receiver_ = nullptr;
    mutable NameCache localName_;
    mutable NameCache peerName_;
    bool readEnabled_ = false;
    bool writeEnabled_ = false;
    bool connectPending_ = false;
    // The last write went out whole, so the send buffer very likely has room: enabling write
    // notifications then injects one instead of registering EPOLLOUT (see setWriteNotificationEnabled).
    bool writableHint_ = false;
    bool writeInjected_ = false;  // an injected write notification is on its way; EPOLLOUT stays off
    std::optional<int> connectResult_;
    std::array<std::optional<int>, kSocketOptionCount> keptOptions_{};
    DispatchFrame* frames_ = nullptr;
};

}  // namespace simsock::epoll
