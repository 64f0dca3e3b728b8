#include "simsock/tcp_server.h"

#include <cerrno>

#include "error_mapping.h"
#include "simsock/check.h"

namespace simsock {

TcpServer::TcpServer(Backend& backend) : backend_(backend) {}

TcpServer::~TcpServer() {
    *alive_ = false;
    if (engine_) {
        engine_->setReceiver(nullptr);
        engine_->close();
        backend_.loop().deleteLater(std::move(engine_));
    }
}

void TcpServer::setError(SocketError e, std::string text) {
    error_ = e;
    errorString_ = std::move(text);
}

bool TcpServer::listen(const HostAddress& address, std::uint16_t port) {
    if (isListening()) return false;  // Qt warns and changes nothing, serverError() included
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    SIMSOCK_ASSERT(engine != nullptr);
    NetworkLayerProtocol proto = address.isNull() ? NetworkLayerProtocol::AnyIPProtocol : address.protocol();
    int err = engine->initialize(proto);
    auto op = detail::Operation::Create;
    if (err == 0) {
        op = detail::Operation::Bind;
        // A listener may rebind a port whose old connections linger in TIME_WAIT, as QTcpServer does.
        err = engine->bind(address, port, BindFlag::ReuseAddressHint);
    }
    if (err == 0) {
        op = detail::Operation::Listen;
        err = engine->listen(backlog_);
    }
    if (err != 0) {
        auto mapped = detail::mapErrno(op, err);
        setError(mapped.error, mapped.text);
        engine->close();
        backend_.loop().deleteLater(std::move(engine));
        return false;
    }
    engine_ = std::move(engine);
    acceptFailed_ = false;  // a new listening socket, without the old one's error
    engine_->setReceiver(this);
    engine_->setReadNotificationEnabled(!paused_);
    return true;
}

void TcpServer::close() {
    pending_.clear();
    if (!engine_) return;
    engine_->setReceiver(nullptr);
    engine_->close();
    backend_.loop().deleteLater(std::move(engine_));
}

bool TcpServer::isListening() const { return engine_ && engine_->isValid(); }

void TcpServer::readNotification() {
    auto alive = alive_;
    while (engine_ && static_cast<int>(pending_.size()) < maxPending_) {
        int err = 0;
        std::intptr_t fd = engine_->accept(err);
        if (fd < 0) {
            // Qt's listening socket keeps its first error: once an accept failed, every round of accepts
            // that runs dry reports it again (QT-DETAILS.md §6).
            if (err != EAGAIN && err != EWOULDBLOCK) {
                auto mapped = detail::mapErrno(detail::Operation::Accept, err);
                acceptFailed_ = true;
                failAccepting(mapped.error, mapped.text);
            } else if (acceptFailed_) {
                failAccepting(error_, errorString_);
            }
            return;
        }
        auto socket = std::make_unique<TcpSocket>(backend_);
        if (!socket->setSocketDescriptor(fd)) {
            // The backend could not adopt what its own listener accepted (e.g. a sim engine made on
            // another host): say so rather than lose the connection silently.
            setError(socket->error(), "Cannot adopt an accepted connection: " + socket->errorString());
            acceptError.emit(socket->error());
            if (!*alive) return;
            continue;
        }
        pending_.push_back(std::move(socket));
        pendingConnectionAvailable.emit();
        if (!*alive) return;
        newConnection.emit();
        if (!*alive || !isListening()) return;
    }
    if (engine_ && static_cast<int>(pending_.size()) >= maxPending_) engine_->setReadNotificationEnabled(false);
}

void TcpServer::failAccepting(SocketError e, std::string text) {
    // Paused before the signal, as QTcpServer does: the connection that could not be accepted stays
    // queued, and a level-triggered engine would otherwise report it again at once, for ever.
    engine_->setReadNotificationEnabled(false);
    setError(e, std::move(text));
    acceptError.emit(e);
}

std::unique_ptr<TcpSocket> TcpServer::nextPendingConnection() {
    if (pending_.empty()) return nullptr;
    auto s = std::move(pending_.front());
    pending_.pop_front();
    // Taking a connection resumes accepting, after a pause too (Qt does the same).
    if (engine_) resumeAccepting();
    return s;
}

bool TcpServer::hasPendingConnections() const { return !pending_.empty(); }

void TcpServer::setMaxPendingConnections(int n) { maxPending_ = n; }

HostAddress TcpServer::serverAddress() const { return engine_ ? engine_->localAddress() : HostAddress(); }

std::uint16_t TcpServer::serverPort() const { return engine_ ? engine_->localPort() : 0; }

void TcpServer::pauseAccepting() {
    paused_ = true;
    if (engine_) engine_->setReadNotificationEnabled(false);
}

void TcpServer::resumeAccepting() {
    paused_ = false;
    if (engine_) engine_->setReadNotificationEnabled(true);
}

bool TcpServer::waitForNewConnection(int msec, bool* timedOut) {
    if (timedOut) *timedOut = false;
    if (!isListening()) return false;
    if (hasPendingConnections()) return true;
    auto alive = alive_;
    backend_.loop().runUntil([&] { return !*alive || hasPendingConnections() || !isListening(); }, msec);
    if (!*alive) return false;
    if (hasPendingConnections()) return true;
    if (!isListening()) return false;
    if (timedOut) *timedOut = true;
    setError(SocketError::SocketTimeoutError, "Network operation timed out");
    return false;
}

std::intptr_t TcpServer::socketDescriptor() const { return engine_ ? engine_->descriptor() : -1; }

bool TcpServer::setSocketDescriptor(std::intptr_t descriptor) {
    if (isListening()) return false;  // Qt warns "already listening" and changes nothing
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    SIMSOCK_ASSERT(engine != nullptr);
    if (descriptor < 0 || engine->adoptDescriptor(descriptor) != 0) {
        setError(SocketError::UnsupportedSocketOperationError, "Invalid socket descriptor");
        return false;
    }
    engine_ = std::move(engine);
    acceptFailed_ = false;  // an adopted listening socket has had no accept error here
    engine_->setReceiver(this);
    engine_->setReadNotificationEnabled(!paused_);
    return true;
}

}  // namespace simsock
