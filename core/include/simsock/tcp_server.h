// QTcpServer: listens and hands out connected TcpSockets.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "simsock/backend.h"
#include "simsock/host_address.h"
#include "simsock/signal.h"
#include "simsock/tcp_socket.h"

namespace simsock {

class TcpServer : private EngineReceiver {
public:
    /// A server on backend (which must outlive it).
    explicit TcpServer(Backend& backend);
    ~TcpServer() override;
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    /// Emitted from the loop once per accepted connection, as it becomes pending, before newConnection.
    Signal<> pendingConnectionAvailable;
    /// Emitted from the loop when connections are ready for nextPendingConnection().
    Signal<> newConnection;
    /// Emitted when accepting a connection failed (e.g. SocketResourceError, "Out of resources"). The
    /// server has paused accepting first (resumeAccepting() or nextPendingConnection() resume it); after
    /// one such failure every round of accepts ends with this signal and a pause again, as in Qt.
    Signal<SocketError> acceptError;

    /// Listens on address:port (port 0: ephemeral). False with serverError() set on failure; false with
    /// nothing changed (serverError() too) when already listening. serverError() is sticky: a later
    /// successful listen() does not clear it.
    bool listen(const HostAddress& address = HostAddress::SpecialAddress::Any, std::uint16_t port = 0);
    /// Stops listening; pending connections not yet taken are closed.
    void close();
    bool isListening() const;
    /// The next accepted connection, already in ConnectedState; null when none is pending. Taking one
    /// resumes accepting (after pauseAccepting() or an acceptError too).
    std::unique_ptr<TcpSocket> nextPendingConnection();
    bool hasPendingConnections() const;
    /// At most this many accepted connections wait; beyond it the backlog holds the rest (default 30).
    /// Stored as given: with 0 or less nothing is accepted.
    void setMaxPendingConnections(int n);
    int maxPendingConnections() const { return maxPending_; }
    /// The backlog passed to listen() (default 50, as Qt).
    void setListenBacklogSize(int n) { backlog_ = n; }
    /// The backlog the next listen() passes.
    int listenBacklogSize() const { return backlog_; }
    HostAddress serverAddress() const;
    std::uint16_t serverPort() const;
    SocketError serverError() const { return error_; }
    std::string errorString() const { return errorString_; }
    /// Stops or resumes accepting.
    void pauseAccepting();
    void resumeAccepting();
    /// Blocks (runs the loop) until a connection is pending or msec pass (-1: no limit). False at once when
    /// not listening; on a timeout false, *timedOut true and serverError() SocketTimeoutError.
    bool waitForNewConnection(int msec = 0, bool* timedOut = nullptr);
    /// The listening descriptor, or -1.
    std::intptr_t socketDescriptor() const;
    /// Listens on an already listening descriptor of this backend. False when already listening, or with
    /// serverError() UnsupportedSocketOperationError when the engine cannot adopt it.
    bool setSocketDescriptor(std::intptr_t descriptor);

private:
    void readNotification() override;
    void writeNotification() override {}
    void connectionNotification() override {}
    void setError(SocketError e, std::string text);
    // Pauses accepting, records the error and emits acceptError.
    void failAccepting(SocketError e, std::string text);

    Backend& backend_;
    std::unique_ptr<SocketEngine> engine_;
    std::deque<std::unique_ptr<TcpSocket>> pending_;
    int maxPending_ = 30;
    int backlog_ = 50;
    bool paused_ = false;
    bool acceptFailed_ = false;  // the listening socket had an accept error (it keeps it, as Qt's does)
    SocketError error_ = SocketError::UnknownSocketError;
    std::string errorString_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simsock
