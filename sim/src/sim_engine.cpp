#include "simsock/sim/engine.h"

#include <cerrno>

#include "simsock/check.h"
#include "simsock/sim/network.h"
#include "stack.h"

namespace simsock::sim {

SimEngine::SimEngine(Network& net, std::string host, SocketType type)
    : EngineBase(net.simLoop(), Delivery::Polled), net_(net), host_(std::move(host)), type_(type) {
    SIMSOCK_ASSERT(net_.hasHost(host_));
}

SimEngine::~SimEngine() { close(); }

void SimEngine::attach(std::shared_ptr<detail::Sock> sock) {
    sock_ = std::move(sock);
    sock_->hasOwner = true;
    // releaseSocket() clears this before the socket can outlive the engine.
    sock_->onChange = [this] { readinessChanged(); };
    opened();
}

int SimEngine::initialize(NetworkLayerProtocol protocol) {
    if (sock_) return EINVAL;
    if (type_ != SocketType::TcpSocket && type_ != SocketType::UdpSocket) return EPROTONOSUPPORT;
    if (protocol == NetworkLayerProtocol::UnknownNetworkLayerProtocol) return EAFNOSUPPORT;
    auto& stack = net_.stack();
    int fd = -1;
    const int err = stack.openSocket(host_, type_, protocol, fd);
    if (err != 0) return err;
    attach(stack.lookup(host_, fd));
    return 0;
}

int SimEngine::adoptDescriptor(std::intptr_t descriptor) {
    if (sock_) return EINVAL;
    auto sock = net_.stack().lookup(host_, static_cast<int>(descriptor));
    if (!sock) return EBADF;
    if (sock->hasOwner) return EBUSY;  // one engine per descriptor, or notifications would split
    if (sock->type != type_) return ENOTSOCK;
    attach(std::move(sock));
    readinessChanged();  // an accepted connection may already have data
    return 0;
}

std::intptr_t SimEngine::descriptor() const { return sock_ ? sock_->fd : -1; }

NetworkLayerProtocol SimEngine::protocol() const {
    return sock_ ? sock_->family : NetworkLayerProtocol::UnknownNetworkLayerProtocol;
}

int SimEngine::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    if (!sock_) return EBADF;
    return net_.stack().bind(*sock_, address, port, mode);
}

int SimEngine::connect(const HostAddress& address, std::uint16_t port) {
    if (!sock_) return EBADF;
    const int err = net_.stack().connect(sock_, address, port);
    if (err == EINPROGRESS) connectStarted();
    return err;
}

int SimEngine::connectResult() { return sock_ ? sock_->connectResult : EBADF; }

int SimEngine::listen(int backlog) {
    if (!sock_) return EBADF;
    return net_.stack().listen(*sock_, backlog);
}

std::intptr_t SimEngine::accept(int& err) {
    if (!sock_) {
        err = EBADF;
        return -1;
    }
    return net_.stack().accept(*sock_, err);
}

IoResult SimEngine::read(char* data, std::size_t maxSize) {
    if (!sock_) return IoResult{0, EBADF, false};
    return net_.stack().read(sock_, data, maxSize);
}

IoResult SimEngine::write(const char* data, std::size_t size) {
    if (!sock_) return IoResult{0, EBADF, false};
    return net_.stack().write(sock_, data, size);
}

IoResult SimEngine::readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) {
    if (!sock_) return IoResult{0, EBADF, false};
    return net_.stack().readDatagram(*sock_, data, maxSize, header);
}

IoResult SimEngine::writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                                  std::uint16_t port) {
    if (!sock_) return IoResult{0, EBADF, false};
    return net_.stack().writeDatagram(sock_, data, size, address, port);
}

std::int64_t SimEngine::bytesAvailable() const {
    if (!sock_) return 0;
    if (sock_->isTcp()) return static_cast<std::int64_t>(sock_->recvQ.size());
    // FIONREAD on a UDP socket reports the size of the next datagram, as Linux does.
    return sock_->datagrams.empty() ? 0 : static_cast<std::int64_t>(sock_->datagrams.front().payload.size());
}

bool SimEngine::hasPendingDatagrams() const { return sock_ && !sock_->isTcp() && !sock_->datagrams.empty(); }

std::int64_t SimEngine::pendingDatagramSize() const {
    if (!hasPendingDatagrams()) return -1;
    return static_cast<std::int64_t>(sock_->datagrams.front().payload.size());
}

std::int64_t SimEngine::bytesToWrite() const {
    return sock_ ? static_cast<std::int64_t>(sock_->sendQ.size()) + sock_->unacked : 0;
}

void SimEngine::releaseSocket(bool abortive) {
    if (!sock_) return;
    auto sock = std::move(sock_);
    sock->onChange = nullptr;
    sock->hasOwner = false;
    if (abortive) {
        net_.stack().abortSocket(sock);
    } else {
        net_.stack().closeSocket(sock);
    }
}

int SimEngine::applyOption(SocketOption option, int value) { return net_.stack().setOption(sock_, option, value); }

std::optional<int> SimEngine::appliedOption(SocketOption option) const { return net_.stack().option(*sock_, option); }

int SimEngine::refusedOption(SocketOption option) const {
    return option == SocketOption::PathMtuSocketOption ? ENOPROTOOPT : 0;  // IP_MTU is read-only
}

HostAddress SimEngine::localAddress() const { return sock_ && sock_->bound ? sock_->localAddr : HostAddress(); }
std::uint16_t SimEngine::localPort() const { return sock_ && sock_->bound ? sock_->localPort : 0; }

HostAddress SimEngine::peerAddress() const {
    if (!sock_) return {};
    const bool connected = sock_->isTcp() ? sock_->state == detail::Sock::State::Established : sock_->udpConnected;
    return connected ? sock_->peerAddr : HostAddress();
}

std::uint16_t SimEngine::peerPort() const {
    if (!sock_) return 0;
    const bool connected = sock_->isTcp() ? sock_->state == detail::Sock::State::Established : sock_->udpConnected;
    return connected ? sock_->peerPort : 0;
}

bool SimEngine::isReady(EngineEvent event) const {
    SIMSOCK_ASSERT(sock_);  // EngineBase asks only while the socket is open
    switch (event) {
    case EngineEvent::ConnectFinished: return sock_->connectDone;
    case EngineEvent::Readable: return net_.stack().readable(*sock_);
    case EngineEvent::Writable: return net_.stack().writable(*sock_);
    }
    return false;
}

}  // namespace simsock::sim
