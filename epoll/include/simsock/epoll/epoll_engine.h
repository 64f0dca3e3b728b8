// The real socket engine: one non-blocking BSD socket (TCP or UDP, IPv4, IPv6 or dual stack) watched
// by an EpollLoop. It forwards commands to the kernel and reports what the kernel says (byte counts and
// errno values). The loop's dispatch of epoll events is pushed to EngineBase, which orders and guards the
// notifications; this file keeps the epoll registration in step with what the receiver wants.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "simsock/engine_base.h"
#include "simsock/epoll/epoll_loop.h"

namespace simsock::epoll {

class EpollEngine final : public EngineBase, private IoHandler {
public:
    /// An engine for one socket of type (TcpSocket or UdpSocket) on loop, which must outlive it.
    EpollEngine(EpollLoop& loop, SocketType type);
    ~EpollEngine() override;
    EpollEngine(const EpollEngine&) = delete;
    EpollEngine& operator=(const EpollEngine&) = delete;

    /// Creates the socket (SOCK_NONBLOCK|SOCK_CLOEXEC); AnyIPProtocol is AF_INET6 with IPV6_V6ONLY=0.
    /// Options set before now are applied here (failures of those are ignored, as setsockopt's would
    /// have been reported when the option was set). Replaces a socket the engine already had.
    int initialize(NetworkLayerProtocol protocol) override;
    /// Takes ownership of a socket descriptor of this engine's type (EPROTOTYPE otherwise, ENOTSOCK for
    /// other files) and makes it non-blocking. On failure the caller keeps the descriptor. The descriptor
    /// an EpollEngine's accept() returned last on this thread is adopted without a system call: its type,
    /// family and flags are known, and its peer (and, behind a listener bound to one address, its local)
    /// name come from accept4 and the listener.
    int adoptDescriptor(std::intptr_t descriptor) override;
    /// The socket's descriptor. Once handed out, the caller may dup() it, so closing removes it from epoll.
    std::intptr_t descriptor() const override {
        ownDescriptor_ = false;
        return fd_;
    }
    NetworkLayerProtocol protocol() const override { return protocol_; }
    SocketType socketType() const { return type_; }

    /// SO_REUSEADDR is set unless mode has DontShareAddress (Qt's behaviour on Unix). A Null address binds Any.
    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override;
    int connect(const HostAddress& address, std::uint16_t port) override;
    /// SO_ERROR once the connect finished; EINPROGRESS while it has not.
    int connectResult() override;
    int listen(int backlog) override;
    /// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; connections aborted in the backlog are skipped. The result
    /// is remembered (per thread) until it is adopted or another is accepted.
    std::intptr_t accept(int& err) override;

    IoResult read(char* data, std::size_t maxSize) override;
    /// send with MSG_NOSIGNAL: a reset peer gives EPIPE, never SIGPIPE.
    IoResult write(const char* data, std::size_t size) override;
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override;
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                           std::uint16_t port) override;
    std::int64_t bytesAvailable() const override;
    bool hasPendingDatagrams() const override;
    /// The next datagram's size (a 0-byte datagram is pending with size 0), -1 when none. Receives what
    /// the kernel has queued (recvmmsg, up to 16 datagrams) into the engine, which hands them out to the
    /// reads that follow: one receive call per burst instead of a probe and a read per datagram. Kept
    /// datagrams are announced while read notifications are on, as the kernel would have announced them.
    std::int64_t pendingDatagramSize() const override;

    HostAddress localAddress() const override;
    std::uint16_t localPort() const override;
    HostAddress peerAddress() const override;
    std::uint16_t peerPort() const override;

private:
    // EngineBase. An abortive release sets SO_LINGER {1, 0} first, so that the kernel sends an RST.
    // Options set before the socket exists are kept by the base; PathMtu (read-only) is refused.
    void releaseSocket(bool abortive) override;
    int applyOption(SocketOption option, int value) override;
    std::optional<int> appliedOption(SocketOption option) const override;
    int refusedOption(SocketOption option) const override;
    void interestChanged(EngineEvent which, bool was) override;

    void ioReady(std::uint32_t events) override;
    int finishOpen(int fd, int family, NetworkLayerProtocol protocol, bool dualStack);
    bool adoptAccepted(int fd);
    void noteConnected(int soError);
    void announceKept() const;
    bool takeKeptDatagram(char* data, std::size_t maxSize, DatagramHeader* header, IoResult* result);
    void updateInterest();
    void noteWrite(std::int64_t written, std::size_t size, int error);
    void fetchName(bool peer, HostAddress* address, std::uint16_t* port) const;
    void forgetNames();

    struct NameCache {
        bool valid = false;
        HostAddress address;
        std::uint16_t port = 0;
    };
    // Datagrams pendingDatagramSize() received (one recvmmsg takes what is queued, up to kKeptSlots),
    // handed out in order by the reads that follow.
    static constexpr std::size_t kKeptSlots = 16;
    struct KeptDatagrams {
        std::size_t head = 0;
        std::size_t count = 0;
        std::array<std::size_t, kKeptSlots> size{};
        std::array<DatagramHeader, kKeptSlots> header;
        // kKeptSlots slots of the largest datagram, allocated uninitialised on first use: only the pages
        // datagrams were written to become resident.
        std::unique_ptr<char[]> buffer;
    };

    EpollLoop& loop_;
    const SocketType type_;
    int fd_ = -1;
    int family_ = 0;  // AF_INET, AF_INET6 (or AF_UNIX for an adopted socketpair); 0 without a socket
    bool dualStack_ = false;
    NetworkLayerProtocol protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    mutable NameCache localName_;
    mutable NameCache peerName_;
    NameCache connectTarget_;  // the address connect() was given: the peer's name once connected
    mutable KeptDatagrams kept_;
    mutable bool readInjected_ = false;  // an injected read notification announces kept_ (announceKept)
    // Made by initialize() or accepted here and never handed out by descriptor(): no one else holds it.
    mutable bool ownDescriptor_ = false;
    bool connectSettled_ = false;  // the kernel reported the pending connect finished
    // The last write went out whole, so the send buffer very likely has room: enabling write
    // notifications then injects one instead of registering EPOLLOUT (see interestChanged).
    bool writableHint_ = false;
    bool writeInjected_ = false;  // an injected write notification is on its way; EPOLLOUT stays off
    std::optional<int> connectResult_;
    // The mask the loop watches fd_ for (EpollLoop::watch), kNotWatched before the first watch.
    static constexpr std::uint32_t kNotWatched = ~0u;
    std::uint32_t watchedMask_ = kNotWatched;
};

}  // namespace simsock::epoll
