// EpollEngine: socket life cycle, connection set-up, notifications and options. Transfers are in
// epoll_engine_io.cpp.
#include "simsock/epoll/epoll_engine.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>

#include "simsock/check.h"
#include "socket_address.h"
#include "socket_options.h"
#include "sys_call.h"

namespace simsock::epoll {
namespace {

int socketTypeFor(SocketType type) {
    if (type == SocketType::TcpSocket) return SOCK_STREAM;
    if (type == SocketType::UdpSocket) return SOCK_DGRAM;
    return -1;
}

int intOption(int fd, int level, int name, int* value) {
    socklen_t length = sizeof *value;
    return ::getsockopt(fd, level, name, value, &length) == 0 ? 0 : errno;
}

// What accept() learnt about the descriptor it returned, so that adopting it (TcpServer does at once, on
// the same thread) needs no validation, flag or name calls.
struct AcceptedDescriptor {
    int fd = -1;
    int family = 0;
    bool dualStack = false;  // inherited from the listener, as IPV6_V6ONLY is
    HostAddress peerAddress;
    std::uint16_t peerPort = 0;
    bool localKnown = false;  // the listener is bound to one address: the accepted socket's is the same
    HostAddress localAddress;
    std::uint16_t localPort = 0;
};

thread_local AcceptedDescriptor lastAcceptedOnThisThread;

}  // namespace

EpollEngine::EpollEngine(EpollLoop& loop, SocketType type)
    : EngineBase(loop, Delivery::Pushed), loop_(loop), type_(type) {}

EpollEngine::~EpollEngine() { close(); }

int EpollEngine::initialize(NetworkLayerProtocol protocol) {
    const int stype = socketTypeFor(type_);
    if (stype < 0) return EPROTONOSUPPORT;
    int family = 0;
    if (protocol == NetworkLayerProtocol::IPv4Protocol) family = AF_INET;
    if (protocol == NetworkLayerProtocol::IPv6Protocol || protocol == NetworkLayerProtocol::AnyIPProtocol)
        family = AF_INET6;
    if (family == 0) return EAFNOSUPPORT;
    close();
    const int fd = ::socket(family, stype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    const bool dualStack = protocol == NetworkLayerProtocol::AnyIPProtocol;
    if (dualStack) {
        const int off = 0;
        if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0) {
            const int err = errno;
            detail::closeDescriptor(fd);
            return err;
        }
    }
    const int err = finishOpen(fd, family, protocol, dualStack);
    ownDescriptor_ = true;
    return err;
}

int EpollEngine::adoptDescriptor(std::intptr_t descriptor) {
    if (descriptor < 0 || descriptor > INT_MAX) return EBADF;
    const int fd = static_cast<int>(descriptor);
    if (adoptAccepted(fd)) return 0;
    int stype = 0;
    int family = 0;
    if (const int err = intOption(fd, SOL_SOCKET, SO_TYPE, &stype)) return err;
    if (const int err = intOption(fd, SOL_SOCKET, SO_DOMAIN, &family)) return err;
    if (stype != socketTypeFor(type_)) return EPROTOTYPE;
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return errno;
    (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (fd != fd_) close();
    NetworkLayerProtocol protocol = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    bool dualStack = false;
    if (family == AF_INET) protocol = NetworkLayerProtocol::IPv4Protocol;
    if (family == AF_INET6) {
        protocol = NetworkLayerProtocol::IPv6Protocol;
        int v6only = 1;
        dualStack = intOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only) == 0 && v6only == 0;
    }
    return finishOpen(fd, family, protocol, dualStack);
}

bool EpollEngine::adoptAccepted(int fd) {
    AcceptedDescriptor& a = lastAcceptedOnThisThread;
    if (a.fd != fd || type_ != SocketType::TcpSocket) return false;
    a.fd = -1;
    if (fd != fd_) close();
    const auto protocol = a.family == AF_INET ? NetworkLayerProtocol::IPv4Protocol : NetworkLayerProtocol::IPv6Protocol;
    (void)finishOpen(fd, a.family, protocol, a.dualStack);
    ownDescriptor_ = true;
    peerName_ = NameCache{true, a.peerAddress, a.peerPort};
    if (a.localKnown) localName_ = NameCache{true, a.localAddress, a.localPort};
    return true;
}

int EpollEngine::finishOpen(int fd, int family, NetworkLayerProtocol protocol, bool dualStack) {
    forgetNames();
    ownDescriptor_ = false;
    connectSettled_ = false;
    kept_.count = 0;
    readInjected_ = false;
    fd_ = fd;
    family_ = family;
    protocol_ = protocol;
    dualStack_ = dualStack;
    writableHint_ = false;
    writeInjected_ = false;
    connectResult_.reset();
    watchedMask_ = kNotWatched;
    opened();
    updateInterest();
    return 0;
}

int EpollEngine::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    forgetNames();
    if (fd_ < 0) return EBADF;
    const HostAddress a = address.isNull() ? HostAddress(HostAddress::SpecialAddress::Any) : address;
    detail::SockAddr sa;
    if (const int err = detail::toSockAddr(a, port, family_, sa)) return err;
    // As Qt on Unix: SO_REUSEADDR only when asked for (ShareAddress or ReuseAddressHint). With it on by
    // default, two UDP sockets could bind one port, where SEMANTICS.md wants AddressInUseError.
    const auto reuseBits = static_cast<std::uint32_t>(BindFlag::ShareAddress) |
                           static_cast<std::uint32_t>(BindFlag::ReuseAddressHint);
    if ((mode.bits() & reuseBits) != 0) {
        const int on = 1;
        if (::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) return errno;
    }
    if (::bind(fd_, sa.get(), sa.length) != 0) return errno;
    return 0;
}

int EpollEngine::connect(const HostAddress& address, std::uint16_t port) {
    forgetNames();
    if (fd_ < 0) return EBADF;
    detail::SockAddr sa;
    if (const int err = detail::toSockAddr(address, port, family_, sa)) return err;
    connectResult_.reset();
    connectSettled_ = false;
    connectTarget_.valid = true;
    detail::fromSockAddr(sa.get(), sa.length, false, &connectTarget_.address, &connectTarget_.port);
    if (::connect(fd_, sa.get(), sa.length) == 0) {
        peerName_ = connectTarget_;
        return 0;
    }
    const int err = errno;
    // An interrupted connect goes on in the background, exactly like EINPROGRESS.
    if (err != EINPROGRESS && err != EINTR) return err;
    connectStarted();
    return EINPROGRESS;
}

int EpollEngine::connectResult() {
    if (connectResult_) return *connectResult_;
    if (fd_ < 0) return EBADF;
    int soError = 0;
    if (const int err = intOption(fd_, SOL_SOCKET, SO_ERROR, &soError)) return err;
    // After the kernel reported the connect finished, no error means connected.
    if (soError == 0 && !connectSettled_) {
        // No error yet: either connected, or still on the way (asked before the notification).
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
            if (errno == ENOTCONN && connectPending()) return EINPROGRESS;
            soError = errno;
        }
    }
    // The outcome is known and delivered once: no connectionNotification follows it.
    connectResult_ = soError;
    // Connected to where connect() was told: the peer's name is known without asking the kernel.
    if (soError == 0 && connectTarget_.valid) peerName_ = connectTarget_;
    connectOutcomeTaken();
    return soError;
}

int EpollEngine::listen(int backlog) {
    if (fd_ < 0) return EBADF;
    return ::listen(fd_, backlog) == 0 ? 0 : errno;
}

std::intptr_t EpollEngine::accept(int& err) {
    if (fd_ < 0) {
        err = EBADF;
        return -1;
    }
    constexpr int kMaxAborted = 64;
    for (int i = 0; i < kMaxAborted; ++i) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        auto* sa = reinterpret_cast<sockaddr*>(&peer);
        const int fd =
            detail::retryOnEintr([&] { return ::accept4(fd_, sa, &length, SOCK_NONBLOCK | SOCK_CLOEXEC); });
        if (fd >= 0) {
            AcceptedDescriptor& a = lastAcceptedOnThisThread;
            a.fd = fd;
            a.family = family_;
            a.dualStack = dualStack_;
            detail::fromSockAddr(sa, length, false, &a.peerAddress, &a.peerPort);
            a.localKnown = localName_.valid && !localName_.address.isAny();
            a.localAddress = localName_.address;
            a.localPort = localName_.port;
            err = 0;
            return fd;
        }
        err = errno == EWOULDBLOCK ? EAGAIN : errno;
        // A connection reset while it waited in the backlog is gone; look at the next one.
        if (err != ECONNABORTED) return -1;
    }
    err = EAGAIN;
    return -1;
}

void EpollEngine::releaseSocket(bool abortive) {
    forgetNames();
    if (fd_ >= 0) {
        if (abortive) {
            // A zero linger time turns close() into an abortive release: RST instead of FIN.
            const linger l{1, 0};
            ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        // Before close: the number may be reused at once. A descriptor only this engine holds leaves the
        // epoll set with its close; one adopted from elsewhere may have duplicates, so it is removed.
        if (ownDescriptor_) {
            loop_.unwatchClosing(fd_);
        } else {
            loop_.unwatch(fd_);
        }
        detail::closeDescriptor(fd_);
    }
    ownDescriptor_ = false;
    connectSettled_ = false;
    connectTarget_.valid = false;
    kept_.count = 0;
    readInjected_ = false;
    fd_ = -1;
    family_ = 0;
    dualStack_ = false;
    protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    connectResult_.reset();
    writableHint_ = false;
    writeInjected_ = false;
    watchedMask_ = kNotWatched;
}

void EpollEngine::interestChanged(EngineEvent which, bool was) {
    if (which == EngineEvent::Readable && isReadNotificationEnabled()) announceKept();
    if (which == EngineEvent::Writable && isWriteNotificationEnabled()) {
        if (writeInjected_) return;  // the injected one is on its way
        // Buffered writers (the core, like Qt) enable write notifications for every write and disable
        // them once the buffer is out. When the last write went out whole, the notification is injected
        // for the loop's next dispatch instead of costing an EPOLL_CTL_MOD on and another off per write.
        if (!was && writableHint_ && !connectPending() && fd_ >= 0) {
            writeInjected_ = true;
            loop_.injectEvents(fd_, EPOLLOUT);
            return;
        }
    }
    updateInterest();
}

void EpollEngine::noteWrite(std::int64_t written, std::size_t size, int error) {
    writableHint_ = error == 0 && written == static_cast<std::int64_t>(size);
}

void EpollEngine::updateInterest() {
    if (fd_ < 0) return;
    std::uint32_t mask = isReadNotificationEnabled() ? static_cast<std::uint32_t>(EPOLLIN) : 0u;
    if ((isWriteNotificationEnabled() && !writeInjected_) || connectPending()) mask |= EPOLLOUT;
    // Only this engine changes its registration while it owns fd_, so an unchanged mask needs no call:
    // most flag changes (a write notification disabled after an injected one) change nothing.
    if (mask == watchedMask_) return;
    const int err = loop_.watch(fd_, mask, this);
    SIMSOCK_ASSERT(err == 0);  // ENOMEM/ENOSPC: the kernel's epoll limits; nothing sane to report
    watchedMask_ = mask;
}

void EpollEngine::ioReady(std::uint32_t events) {
    if ((events & kInjectedEvent) != 0 && (events & EPOLLIN) != 0) {
        // Announces a datagram pendingDatagramSize() took from the kernel; if it was read meanwhile, the
        // kernel reports whatever came after it by itself.
        readInjected_ = false;
        if (kept_.count == 0 || !deliverNow(Readiness{false, true, false})) return;
        if (isReadNotificationEnabled()) announceKept();
        return;
    }
    if ((events & kInjectedEvent) != 0) {
        writeInjected_ = false;
        if (!deliverNow(Readiness{false, false, !connectPending()})) return;  // destroyed inside
        // Still enabled: from now on the kernel says when there is room, so a repeat is always a true one.
        if (isWriteNotificationEnabled()) updateInterest();
        return;
    }
    const bool readable = (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0;
    const bool writable = (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0;
    // The connect's outcome comes alone; reads and writes are noticed on a later turn.
    const bool connecting = connectPending();
    if (connecting && writable) connectSettled_ = true;
    deliverNow(Readiness{connecting && writable, !connecting && readable, !connecting && writable});
}

int EpollEngine::applyOption(SocketOption option, int value) {
    return detail::setOsOption(fd_, family_, option, value);  // ENOPROTOOPT for read-only ones
}

std::optional<int> EpollEngine::appliedOption(SocketOption option) const {
    return detail::getOsOption(fd_, family_, option);
}

int EpollEngine::refusedOption(SocketOption option) const {
    // Without a socket the family is not known yet; IPv4's table says which options are read-only, and
    // they are read-only in every family.
    const std::optional<detail::OsOption> os = detail::osOption(option, AF_INET);
    return os && !os->writable ? ENOPROTOOPT : 0;
}

void EpollEngine::fetchName(bool peer, HostAddress* address, std::uint16_t* port) const {
    // Names are cached once they are final (a peer, or a local name with its port assigned), so a
    // socket asking for address and port separately costs one system call, not two.
    NameCache& cache = peer ? peerName_ : localName_;
    if (!cache.valid) {
        sockaddr_storage ss{};
        socklen_t length = sizeof ss;
        auto* sa = reinterpret_cast<sockaddr*>(&ss);
        const int rc = fd_ < 0 ? -1 : peer ? ::getpeername(fd_, sa, &length) : ::getsockname(fd_, sa, &length);
        cache.address = HostAddress();
        cache.port = 0;
        detail::fromSockAddr(rc == 0 ? sa : nullptr, length, dualStack_ && !peer, &cache.address, &cache.port);
        cache.valid = rc == 0 && (peer || cache.port != 0);
    }
    if (address) *address = cache.address;
    if (port) *port = cache.port;
}

void EpollEngine::forgetNames() {
    localName_.valid = false;
    peerName_.valid = false;
}

HostAddress EpollEngine::localAddress() const {
    HostAddress a;
    fetchName(false, &a, nullptr);
    return a;
}

std::uint16_t EpollEngine::localPort() const {
    std::uint16_t p = 0;
    fetchName(false, nullptr, &p);
    return p;
}

HostAddress EpollEngine::peerAddress() const {
    HostAddress a;
    fetchName(true, &a, nullptr);
    return a;
}

std::uint16_t EpollEngine::peerPort() const {
    std::uint16_t p = 0;
    fetchName(true, nullptr, &p);
    return p;
}

}  // namespace simsock::epoll
