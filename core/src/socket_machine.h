// The socket state machine: the only code that changes a socket's state, maps engine facts to
// SocketErrors, and orders signals. AbstractSocket forwards every public call here.
//
// Re-entrancy model: every emission can run user code that may call back into this socket (connect,
// abort, close, read, write, a blocking wait) or destroy it. After each emission the code re-checks
// `alive_` (destroyed?) and, where a sequence must not continue on a new connection, `generation_`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "byte_queue.h"
#include "error_mapping.h"
#include "simsock/abstract_socket.h"
#include "simsock/engine.h"
#include "simsock/resolver.h"

namespace simsock::detail {

class SocketMachine final : public EngineReceiver {
public:
    SocketMachine(AbstractSocket& q, SocketType type, Backend& backend);
    ~SocketMachine() override;

    /// Marks a public call as running, for the trace's in-call marker.
    class CallScope {
    public:
        CallScope(SocketMachine& m, const char* name) : m_(m), alive_(m.alive_) { m.calls_.push_back(name); }
        ~CallScope() {
            if (*alive_) m_.calls_.pop_back();
        }
        CallScope(const CallScope&) = delete;
        CallScope& operator=(const CallScope&) = delete;

    private:
        SocketMachine& m_;
        std::shared_ptr<bool> alive_;
    };
    std::string_view currentCall() const { return calls_.empty() ? std::string_view() : calls_.back(); }

    // Connection management (socket_machine_connect.cpp)
    void connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode, NetworkLayerProtocol proto);
    bool bind(const HostAddress& address, std::uint16_t port, BindMode mode);
    bool setSocketDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode);

    // Closing (socket_machine_close.cpp)
    void disconnectFromHost();
    void abort();
    void close();

    // Data (socket_machine_io.cpp)
    std::int64_t read(char* data, std::int64_t maxSize);
    std::int64_t peek(char* data, std::int64_t maxSize) const;
    std::int64_t readLine(char* data, std::int64_t maxSize);
    bool canReadLine() const;
    void ungetChar(char c);
    std::int64_t write(const char* data, std::int64_t size);
    bool flush();
    std::int64_t bytesAvailable() const;
    std::int64_t bytesToWrite() const { return writeBuffer_.size(); }
    bool hasPendingDatagrams() const;
    std::int64_t pendingDatagramSize() const;
    std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port);
    std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address, std::uint16_t port);
    void setReadBufferSize(std::int64_t size);
    std::int64_t readBufferSize() const { return readBufferMaxSize_; }

    // Blocking waits (socket_machine_wait.cpp)
    bool waitForConnected(int msecs);
    bool waitForReadyRead(int msecs);
    bool waitForBytesWritten(int msecs);
    bool waitForDisconnected(int msecs);

    // Options and plain properties (socket_machine.cpp)
    void setSocketOption(SocketOption option, int value);
    std::optional<int> socketOption(SocketOption option) const;

    SocketState state() const { return state_; }
    SocketType type() const { return type_; }
    SocketError error() const { return error_; }
    const std::string& errorString() const { return errorString_; }
    bool isValid() const;
    OpenMode openMode() const { return openMode_; }
    bool isOpen() const { return openMode_.bits() != 0; }
    std::intptr_t socketDescriptor() const;
    Backend& backend() const { return backend_; }

    // Fields the protected Qt setters may overwrite directly.
    HostAddress localAddress, peerAddress;
    std::uint16_t localPort = 0, peerPort = 0;
    std::string peerName;
    PauseModes pauseMode;
    NetworkProxy proxy;
    std::string protocolTag;
    std::int64_t connectTimeoutMs = 30000;

    /// setSocketState: changes the state and emits stateChanged, with no other effect.
    void forceState(SocketState s);
    /// setSocketError / setErrorString: record without emitting.
    void setError(SocketError e, std::string text);
    void setErrorString(std::string text) { errorString_ = std::move(text); }

private:

    // EngineReceiver
    void readNotification() override;
    void writeNotification() override;
    void connectionNotification() override;

    // Emission helpers: each returns false when the socket was destroyed by a handler.
    bool setState(SocketState s);
    bool setErrorAndEmit(SocketError e, std::string text);
    bool setErrorAndEmit(const MappedError& m) { return setErrorAndEmit(m.error, m.text); }
    bool emitReadyRead();
    bool emitBytesWritten(std::int64_t n);

    // Connect steps (socket_machine_connect.cpp)
    void startConnecting(const HostInfo& info);
    void connectToNextAddress();
    void connectionEstablished();
    void abortConnectionAttempt();
    void failConnect(SocketError e, const std::string& text);
    bool ensureEngine(NetworkLayerProtocol proto, MappedError* failure);
    void fetchAddresses();

    // Close steps (socket_machine_close.cpp)
    void doDisconnect();
    void finishDisconnect();
    void doClose();
    void doAbort();
    void resetEngine();
    void stopConnecting();

    // I/O steps (socket_machine_io.cpp)
    enum class ReadOutcome { Ok, Closed, Destroyed };
    ReadOutcome readFromEngine();
    bool writeToEngine();
    void udpReadNotification();
    void resumeReading();

    // Waits
    bool waitUntil(const std::function<bool()>& pred, std::int64_t msecs);
    bool waitForConnectedInternal(std::int64_t msecs);
    std::int64_t remainingMs(std::int64_t startNs, int msecs) const;

    AbstractSocket& q_;
    const SocketType type_;
    Backend& backend_;
    std::unique_ptr<SocketEngine> engine_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::uint64_t generation_ = 0;
    std::vector<const char*> calls_;

    SocketState state_ = SocketState::UnconnectedState;
    SocketError error_ = SocketError::UnknownSocketError;
    std::string errorString_ = "Unknown error";
    OpenMode openMode_;

    // Connecting
    std::vector<HostAddress> addresses_;
    std::size_t nextAddress_ = 0;
    NetworkLayerProtocol preferredProtocol_ = NetworkLayerProtocol::AnyIPProtocol;
    std::optional<MappedError> lastConnectError_;
    LookupId lookupId_ = 0;
    bool lookupPending_ = false;
    TimerId connectTimer_ = kNoTimer;
    bool engineFromBind_ = false;  // the next connect reuses the bound engine

    // Closing
    bool pendingClose_ = false;
    bool abortCalled_ = false;
    bool closeCalled_ = false;

    // Data
    ByteQueue readBuffer_;
    ByteQueue writeBuffer_;
    std::int64_t readBufferMaxSize_ = 0;
    bool emittingReadyRead_ = false;
    bool emittingBytesWritten_ = false;
    std::uint64_t arrivals_ = 0;       // new data or datagrams seen (for waitForReadyRead)
    std::uint64_t writesDone_ = 0;     // engine writes that moved bytes (for waitForBytesWritten)

    std::map<SocketOption, int> options_;
};

}  // namespace simsock::detail
