// QAbstractSocket's public API. This class is thin: every decision about states, errors and signal order
// is made by detail::SocketMachine, which it forwards to.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "simsock/backend.h"
#include "simsock/host_address.h"
#include "simsock/network_proxy.h"
#include "simsock/signal.h"
#include "simsock/socket_types.h"

namespace simsock {

namespace detail {
class SocketMachine;
}

class AbstractSocket {
public:
    /// A socket of the given type on backend. The backend must outlive the socket.
    AbstractSocket(SocketType type, Backend& backend);
    /// Releases everything silently: no signal is emitted once destruction has begun.
    virtual ~AbstractSocket();
    AbstractSocket(const AbstractSocket&) = delete;
    AbstractSocket& operator=(const AbstractSocket&) = delete;

    // --- Signals (handlers run synchronously; see SEMANTICS.md for the orders) ---
    Signal<> hostFound;
    Signal<> connected;
    Signal<> disconnected;
    Signal<SocketState> stateChanged;
    Signal<SocketError> errorOccurred;
    Signal<> readyRead;
    Signal<std::int64_t> bytesWritten;
    Signal<> aboutToClose;
    Signal<> readChannelFinished;
    Signal<const NetworkProxy&, Authenticator*> proxyAuthenticationRequired;
    /// Where Qt prints a qWarning for API misuse, simsock emits the same text here, synchronously inside
    /// the call, with this socket's class name where Qt prints its metaObject's ("QIODevice::write
    /// (TcpSocket): device not open"). Not a Qt signal: nothing is printed unless a handler is connected.
    Signal<const std::string&> warning;

    // --- Connection management ---
    /// Resolves hostName if needed and connects; opens the device in mode.
    void connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode = OpenModeFlag::ReadWrite,
                       NetworkLayerProtocol protocol = NetworkLayerProtocol::AnyIPProtocol);
    /// Connects to a literal address.
    void connectToHost(const HostAddress& address, std::uint16_t port, OpenMode mode = OpenModeFlag::ReadWrite);
    /// Closes after pending data is written (enters ClosingState while it drains).
    void disconnectFromHost();
    /// Closes at once, discarding pending data.
    void abort();
    /// Binds to address:port (port 0: an ephemeral port). Enters BoundState on success.
    bool bind(const HostAddress& address, std::uint16_t port = 0, BindMode mode = BindFlag::DefaultForPlatform);
    /// Binds to Any:port.
    bool bind(std::uint16_t port = 0, BindMode mode = BindFlag::DefaultForPlatform);

    // --- State and errors ---
    SocketState state() const;
    SocketType socketType() const;
    SocketError error() const;
    std::string errorString() const;
    /// True when the socket has an engine socket and is ready for use.
    bool isValid() const;

    // --- Addresses ---
    HostAddress localAddress() const;
    std::uint16_t localPort() const;
    HostAddress peerAddress() const;
    std::uint16_t peerPort() const;
    std::string peerName() const;

    // --- Options and settings ---
    void setSocketOption(SocketOption option, int value);
    /// The value the engine reports, or the kept value when no engine socket exists yet, or nullopt.
    std::optional<int> socketOption(SocketOption option) const;
    std::int64_t readBufferSize() const;
    void setReadBufferSize(std::int64_t size);
    PauseModes pauseMode() const;
    void setPauseMode(PauseModes mode);
    /// Continues a paused transfer; a no-op unless paused (only SSL errors pause, and there is no SSL).
    void resume();
    NetworkProxy proxy() const;
    void setProxy(const NetworkProxy& proxy);
    std::string protocolTag() const;
    void setProtocolTag(const std::string& tag);
    /// The per-attempt connect timeout (Qt: 30 s). A simsock extension, for tests.
    void setConnectTimeoutMs(std::int64_t ms);
    std::int64_t connectTimeoutMs() const;

    /// Adopts an engine descriptor; enters state and opens the device in openMode. -1 is refused (false)
    /// with no error and nothing changed; another descriptor the engine cannot adopt gives
    /// errorOccurred(UnsupportedSocketOperationError).
    bool setSocketDescriptor(std::intptr_t descriptor, SocketState state = SocketState::ConnectedState,
                             OpenMode openMode = OpenModeFlag::ReadWrite);
    /// The engine descriptor, or -1.
    std::intptr_t socketDescriptor() const;

    // --- Blocking use (advance virtual time on the sim) ---
    bool waitForConnected(int msecs = 30000);
    bool waitForReadyRead(int msecs = 30000);
    bool waitForBytesWritten(int msecs = 30000);
    bool waitForDisconnected(int msecs = 30000);
    /// Writes what it can now; emits bytesWritten synchronously. True if anything was written.
    bool flush();

    // --- The device part (QIODevice) ---
    bool isOpen() const;
    OpenMode openMode() const;
    bool isReadable() const;
    bool isWritable() const;
    /// Closes the device: emits aboutToClose, then disconnects as disconnectFromHost does.
    virtual void close();
    std::int64_t read(char* data, std::int64_t maxSize);
    std::string read(std::int64_t maxSize);
    std::string readAll();
    /// Stores at most maxSize - 1 bytes of a line (up to and including '\n') and a terminating '\0'; the
    /// count, or -1 when maxSize < 2 or when nothing is buffered and nothing more can come.
    std::int64_t readLine(char* data, std::int64_t maxSize);
    /// A line including its '\n', or the buffered partial line; at most maxSize - 1 bytes, 0 = no limit.
    std::string readLine(std::int64_t maxSize = 0);
    bool canReadLine() const;
    std::int64_t peek(char* data, std::int64_t maxSize);
    std::string peek(std::int64_t maxSize);
    std::int64_t write(const char* data, std::int64_t size);
    std::int64_t write(std::string_view data);
    bool getChar(char* c);
    bool putChar(char c);
    void ungetChar(char c);
    std::int64_t bytesAvailable() const;
    std::int64_t bytesToWrite() const;
    bool atEnd() const;
    /// Reads and discards up to maxSize bytes (one datagram on UDP); the count, or -1 as read() returns.
    std::int64_t skip(std::int64_t maxSize);
    /// Always true: a socket is a sequential device (no seeking, no size).
    bool isSequential() const { return true; }

    // --- Introspection (for traces) ---
    /// The innermost public call running on this socket ("connectToHost"), or empty outside any call.
    std::string_view currentCall() const;
    const std::string& objectName() const { return objectName_; }
    void setObjectName(std::string name) { objectName_ = std::move(name); }
    Backend& backend() const;

protected:
    void setLocalPort(std::uint16_t port);
    void setLocalAddress(const HostAddress& address);
    void setPeerPort(std::uint16_t port);
    void setPeerAddress(const HostAddress& address);
    void setPeerName(const std::string& name);
    void setSocketState(SocketState state);
    void setSocketError(SocketError error);
    void setErrorString(const std::string& text);

    detail::SocketMachine& machine() { return *machine_; }
    const detail::SocketMachine& machine() const { return *machine_; }

private:
    std::unique_ptr<detail::SocketMachine> machine_;
    std::string objectName_;
};

}  // namespace simsock
