// The socket state machine: the only code that changes a socket's state, maps engine facts to
// SocketErrors, and orders signals. AbstractSocket forwards every public call here.
//
// Structure:
//  - Every call and notification whose meaning depends on the state goes through one dispatch over a
//    (state x event) table (socket_machine_table.cpp). Each cell is a handler, or an always-on assertion
//    naming the state: an unexpected pair stops the program instead of returning silently.
//  - This class is the connection part shared by every socket type (lookup, the address list, connect
//    timers, close and disconnect sequencing). What differs between TCP and UDP lives in the Channel
//    chosen at construction: StreamChannel (buffers, the Closing drain) or DatagramChannel.
//  - Signals leave only through a SignalSink, and only through emit(), which reports (with the Lifeline)
//    whether the socket survived the handlers: destroyed, or superseded by a re-entrant call.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "error_mapping.h"
#include "lifeline.h"
#include "signal_sink.h"
#include "simsock/backend.h"
#include "simsock/engine.h"
#include "simsock/network_proxy.h"
#include "simsock/resolver.h"
#include "proxy/proxy_engine.h"
#include "socket_channel.h"

namespace simsock::detail {

class SocketMachine final : public EngineReceiver, public ProxyAuthenticationHandler {
public:
    SocketMachine(std::unique_ptr<SignalSink> sink, SocketType type, Backend& backend);
    ~SocketMachine() override;

    /// Marks a public call as running, for the trace's in-call marker.
    class CallScope {
    public:
        CallScope(SocketMachine& m, const char* name) : m_(m), mark_(m.life_.mark()) { m.calls_.push_back(name); }
        ~CallScope() {
            if (!mark_.destroyed()) m_.calls_.pop_back();
        }
        CallScope(const CallScope&) = delete;
        CallScope& operator=(const CallScope&) = delete;

    private:
        SocketMachine& m_;
        Lifeline::Mark mark_;
    };
    std::string_view currentCall() const { return calls_.empty() ? std::string_view() : calls_.back(); }

    // Public calls (dispatched in socket_machine_table.cpp)
    void connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode, NetworkLayerProtocol proto);
    bool bind(const HostAddress& address, std::uint16_t port, BindMode mode);
    bool setSocketDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode);
    void disconnectFromHost();
    void abort();
    void close();
    std::int64_t read(char* data, std::int64_t maxSize);
    std::int64_t readLine(char* data, std::int64_t maxSize);
    std::int64_t write(const char* data, std::int64_t size);
    bool flush();
    std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port);
    std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address, std::uint16_t port);
    bool waitForConnected(int msecs);
    bool waitForReadyRead(int msecs);
    bool waitForBytesWritten(int msecs);
    bool waitForDisconnected(int msecs);

    // Calls that do not depend on the state (socket_machine_io.cpp)
    std::int64_t peek(char* data, std::int64_t maxSize) const;
    bool canReadLine() const;
    void ungetChar(char c);
    bool hasPendingDatagrams() const;
    std::int64_t pendingDatagramSize() const;
    std::int64_t bytesAvailable() const { return channel_->bytesAvailable(); }
    /// Qt's bytesAvailable() after a failed UDP bind: its unbound native engine answers -1 with a warning
    /// (issue 11 §1.4). True in that case, when the public call must do so.
    bool bytesAvailableFromUnboundEngine() const { return unboundAfterFailedBind_; }
    std::int64_t bytesToWrite() const { return channel_->bytesToWrite(); }
    void setReadBufferSize(std::int64_t size) { channel_->setReadBufferSize(size); }
    std::int64_t readBufferSize() const { return channel_->readBufferSize(); }

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

    /// setSocketState: changes the state and emits stateChanged, with no other effect. It bypasses the
    /// grammar on purpose (a subclass may put the socket in any state); engine notifications that the
    /// forced state contradicts then meet their table cells' assertions.
    void forceState(SocketState s);
    /// Emits Qt's qWarning text for a misuse (AbstractSocket::warning), inside the running call.
    Fate warn(const std::string& text) { return emit(&SignalSink::emitWarning, text); }
    /// QIODevice's checkWarnMessage: "QIODevice::<function> (<class>): <what>", the class being TcpSocket or
    /// UdpSocket where Qt prints QTcpSocket or QUdpSocket.
    Fate warnDevice(const char* function, const char* what);
    /// setSocketError / setErrorString: record without emitting.
    void setError(SocketError e, std::string text);
    void setErrorString(std::string text) { errorString_ = std::move(text); }

private:
    friend class StreamChannel;
    friend class DatagramChannel;
    friend struct MachineTestAccess;  // tests/core: drives the machine's internals directly

    // ---- The table (socket_machine_table.cpp) ----
    static constexpr std::size_t kStateCount = 7;
    /// One event's cells, indexed by state; a null cell is an unexpected pair.
    template <class Fn>
    struct Row {
        const char* unexpected;  ///< the assertion text: "unexpected connectionNotification"
        std::array<Fn, kStateCount> cells;
    };
    template <class Fn, class... A>
    auto dispatch(const Row<Fn>& row, A&&... args);

    // Engine notifications (EngineReceiver) and loop callbacks: dispatched like the public calls.
    void readNotification() override;
    void writeNotification() override;
    void connectionNotification() override;
    void lookupDone(const HostInfo& info);
    // ProxyAuthenticationHandler: the proxy engine asks for credentials, from the loop.
    void proxyAuthenticationRequired(const NetworkProxy& proxy, Authenticator* authenticator) override;
    void connectTimeout();
    // Internal events: the orderly close step, and releasing the connection after aboutToClose.
    Fate disconnect();
    Fate release();

    // ---- Emission (socket_machine.cpp): every signal goes through emit() ----
    template <class... P, class... A>
    Fate emit(void (SignalSink::*signal)(P...), A&&... args) {
        const Lifeline::Mark mark = life_.mark();
        (sink_.get()->*signal)(std::forward<A>(args)...);
        return mark.fate();
    }
    Fate setState(SocketState s);
    Fate setErrorAndEmit(SocketError e, std::string text);
    Fate setErrorAndEmit(const MappedError& m) { return setErrorAndEmit(m.error, m.text); }
    Fate emitReadyRead();
    Fate emitBytesWritten(std::int64_t n);

    // ---- Guards: re-checks of the state after user code ran ----
    bool inState(SocketState s) const { return state_ == s; }
    bool lookingUpOrConnecting() const {
        return state_ == SocketState::HostLookupState || state_ == SocketState::ConnectingState;
    }
    bool hasUsableState() const {  // isValid(): an engine socket that is (being) connected or bound
        return state_ == SocketState::ConnectedState || state_ == SocketState::BoundState ||
               state_ == SocketState::ClosingState || state_ == SocketState::ConnectingState;
    }
    bool readsFlow() const { return state_ == SocketState::ConnectedState || state_ == SocketState::BoundState; }

    // ---- Handlers: connecting (socket_machine_connect.cpp) ----
    void startConnect(const std::string& hostName, std::uint16_t port, OpenMode mode, NetworkLayerProtocol proto);
    void rejectConnect(const std::string& hostName, std::uint16_t port, OpenMode mode, NetworkLayerProtocol proto);
    void beginConnecting(const HostInfo& info);
    bool refuseUnsupportedProxy(const std::string& hostName);
    // ---- Handlers: UDP and proxies (socket_machine_proxy.cpp) ----
    bool udpThroughProxy() const { return activeProxy_ && channel_->carriesDatagrams(); }
    std::unique_ptr<SocketEngine> associateThroughProxy(MappedError* failure);
    bool adoptRelayEngine(std::unique_ptr<SocketEngine> relay, const HostAddress& address, std::uint16_t port,
                          BindMode mode);
    void connectUdpThroughProxy(bool byName);
    void failUdpConnect(const MappedError& e, bool byName);
    std::optional<bool> bindThroughProxy(const HostAddress& address, std::uint16_t port, BindMode mode);
    std::optional<std::int64_t> sendDatagramThroughProxy(const char* data, std::int64_t size, const HostAddress& a,
                                                         std::uint16_t port);
    void connectByNameThroughProxy();
    void startConnectTimer();
    void tryNextAddressAfterTimeout();
    void completeConnect();
    void connectToNextAddress();
    void connectionEstablished();
    void failConnect(SocketError e, const std::string& text);
    void stopConnecting();
    bool ensureEngine(NetworkLayerProtocol proto, MappedError* failure);
    void fetchAddresses();
    /// The error a close by the peer gives: through a proxy its errorString is the proxy engine's.
    MappedError remoteClosedError() const;

    // ---- Handlers: binding and adopting (socket_machine.cpp) ----
    bool bindUnconnected(const HostAddress& address, std::uint16_t port, BindMode mode);
    /// Binds engine_ and enters BoundState; on failure drops the engine (unboundAfterFailure: Qt's UDP socket
    /// then answers as an unbound native engine) and reports the error.
    bool bindEngine(const HostAddress& address, std::uint16_t port, BindMode mode, bool unboundAfterFailure);
    bool rejectBind(const HostAddress& address, std::uint16_t port, BindMode mode);
    bool adoptDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode);

    // ---- Handlers: closing (socket_machine_close.cpp) ----
    Fate ignoreDisconnect();
    Fate deferDisconnect();
    Fate beginClosing();
    Fate continueClosing();
    Fate closeNow();
    Fate drainThenFinish();
    Fate finishDisconnect();
    Fate closeDevice();
    Fate abortDevice();
    Fate releaseConnection();
    Fate keepUnconnected();
    void resetEngine();

    // ---- Handlers: data (socket_machine_io.cpp) ----
    std::int64_t readOpen(char* data, std::int64_t maxSize);
    std::int64_t readEnded(char* data, std::int64_t maxSize);
    std::int64_t readLineOpen(char* data, std::int64_t maxSize);
    std::int64_t readLineEnded(char* data, std::int64_t maxSize);
    std::int64_t readLineFrom(char* data, std::int64_t maxSize, bool more);
    std::int64_t writeUnconnected(const char* data, std::int64_t size);
    std::int64_t writeEstablishing(const char* data, std::int64_t size);
    std::int64_t writeConnected(const char* data, std::int64_t size);
    std::int64_t writeClosing(const char* data, std::int64_t size);
    bool flushConnection();
    bool flushNothing();
    void channelReadable();
    void channelWritable();
    std::int64_t receiveDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port);
    std::int64_t refuseDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port);
    std::int64_t sendDatagramUnbound(const char* data, std::int64_t size, const HostAddress& a, std::uint16_t port);
    std::int64_t sendDatagram(const char* data, std::int64_t size, const HostAddress& a, std::uint16_t port);
    void resumeReading();

    // ---- Handlers: blocking waits (socket_machine_wait.cpp) ----
    bool refuseWait(int msecs);
    bool refuseBytesWrittenWait(int msecs);
    bool refuseDisconnectedWait(int msecs);
    bool alreadyConnected(int msecs);
    bool awaitConnected(int msecs);
    bool awaitConnection(std::int64_t msecs);
    bool readyReadAfterConnect(int msecs);
    bool awaitReadyRead(int msecs);
    bool awaitArrival(std::int64_t startNs, int msecs);
    bool bytesWrittenAfterConnect(int msecs);
    bool awaitBytesWritten(int msecs);
    bool awaitWrite(std::int64_t startNs, int msecs);
    bool disconnectedAfterConnect(int msecs);
    bool awaitDisconnected(int msecs);
    bool awaitUnconnected(std::int64_t startNs, int msecs);
    template <class Pred>
    bool waitUntil(Pred pred, std::int64_t msecs);
    std::int64_t remainingMs(std::int64_t startNs, int msecs) const;

    const std::unique_ptr<SignalSink> sink_;
    const SocketType type_;
    Backend& backend_;
    const std::unique_ptr<Channel> channel_;
    std::unique_ptr<SocketEngine> engine_;
    ProxyEngine* proxyEngine_ = nullptr;  // engine_ when this connection goes through a proxy
    // The proxy the current connect goes through; on the heap, as most sockets never have one (a
    // NetworkProxy is 120 bytes of a machine that every simulated socket carries).
    std::unique_ptr<NetworkProxy> activeProxy_;
    Lifeline life_;
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
    // A UDP bind failed: Qt keeps its native engine, unbound, until the socket is closed or used again.
    bool unboundAfterFailedBind_ = false;

    // Closing
    bool pendingClose_ = false;
    bool abortCalled_ = false;
    bool closeCalled_ = false;

    // Data: never nested (bytes that arrive while a handler runs are announced by the next arrival).
    bool emittingReadyRead_ = false;
    bool emittingBytesWritten_ = false;
    std::uint64_t arrivals_ = 0;    // new data or datagrams seen (for waitForReadyRead)
    std::uint64_t writesDone_ = 0;  // engine writes that moved bytes (for waitForBytesWritten)

    std::map<SocketOption, int> options_;
};

}  // namespace simsock::detail
