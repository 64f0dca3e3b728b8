// Thin forwarding to the state machine. Each public call opens a CallScope so that the trace can say
// which call a signal fired inside.
#include "simsock/abstract_socket.h"

#include <algorithm>

#include "datagram_channel.h"
#include "socket_machine.h"

namespace simsock {

using detail::SocketMachine;
#define SIMSOCK_CALL(name) SocketMachine::CallScope simsockCallScope(*machine_, name)

namespace {

// The machine's signal sink: the public signals, and nothing else of the socket.
class SocketSignals final : public detail::SignalSink {
public:
    explicit SocketSignals(AbstractSocket& q) : q_(q) {}
    void emitHostFound() override { q_.hostFound.emit(); }
    void emitConnected() override { q_.connected.emit(); }
    void emitDisconnected() override { q_.disconnected.emit(); }
    void emitStateChanged(SocketState state) override { q_.stateChanged.emit(state); }
    void emitErrorOccurred(SocketError error) override { q_.errorOccurred.emit(error); }
    void emitReadyRead() override { q_.readyRead.emit(); }
    void emitBytesWritten(std::int64_t bytes) override { q_.bytesWritten.emit(bytes); }
    void emitAboutToClose() override { q_.aboutToClose.emit(); }
    void emitReadChannelFinished() override { q_.readChannelFinished.emit(); }
    void emitProxyAuthenticationRequired(const NetworkProxy& proxy, Authenticator* authenticator) override {
        q_.proxyAuthenticationRequired.emit(proxy, authenticator);
    }
    void emitWarning(const std::string& text) override { q_.warning.emit(text); }

private:
    AbstractSocket& q_;
};

// The buffer an allocating read (read, peek, readLine) needs for maxSize: what can be there to take (the
// buffered bytes of a stream, one datagram), never more than asked. maxSize may be anything up to
// INT64_MAX: allocating it before reading would fail. Zero and negative sizes pass through unchanged.
std::int64_t bufferFor(const AbstractSocket& s, std::int64_t maxSize) {
    if (maxSize <= 0) return maxSize;
    // A datagram may arrive between asking and reading on a real engine: size for the largest one.
    if (s.socketType() != SocketType::TcpSocket) return std::min(maxSize, detail::kMaxDatagramPayload);
    return std::min(maxSize, std::max<std::int64_t>(s.bytesAvailable(), 1));
}

// QIODevice's CHECK_READABLE: Qt's warning, and whether the call is refused.
bool deviceRefusesRead(SocketMachine& m, const char* function) {
    if (m.openMode().testFlag(OpenModeFlag::ReadOnly)) return false;
    (void)m.warnDevice(function, m.isOpen() ? "WriteOnly device" : "device not open");
    return true;
}

// QIODevice's CHECK_MAXLEN.
bool deviceRefusesSize(SocketMachine& m, const char* function, std::int64_t maxSize) {
    if (maxSize >= 0) return false;
    (void)m.warnDevice(function, "Called with maxSize < 0");
    return true;
}

// QIODevice's CHECK_LINEMAXLEN: room for one byte and the terminating '\0'.
bool deviceRefusesLineSize(SocketMachine& m, std::int64_t maxSize) {
    if (maxSize >= 2) return false;
    (void)m.warnDevice("readLine", "Called with maxSize < 2");
    return true;
}

// QIODevice's CHECK_WRITABLE, then CHECK_MAXLEN.
bool deviceRefusesWrite(SocketMachine& m, std::int64_t size) {
    if (!m.openMode().testFlag(OpenModeFlag::WriteOnly)) {
        (void)m.warnDevice("write", m.isOpen() ? "ReadOnly device" : "device not open");
        return true;
    }
    if (size < 0) {
        (void)m.warnDevice("write", "Called with maxSize < 0");
        return true;
    }
    return false;
}

}  // namespace

AbstractSocket::AbstractSocket(SocketType type, Backend& backend)
    : machine_(std::make_unique<SocketMachine>(std::make_unique<SocketSignals>(*this), type, backend)) {}

AbstractSocket::~AbstractSocket() = default;

void AbstractSocket::connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode,
                                   NetworkLayerProtocol protocol) {
    SIMSOCK_CALL("connectToHost");
    machine_->connectToHost(hostName, port, mode, protocol);
}

void AbstractSocket::connectToHost(const HostAddress& address, std::uint16_t port, OpenMode mode) {
    SIMSOCK_CALL("connectToHost");
    machine_->connectToHost(address.toString(), port, mode, NetworkLayerProtocol::AnyIPProtocol);
}

void AbstractSocket::disconnectFromHost() {
    SIMSOCK_CALL("disconnectFromHost");
    machine_->disconnectFromHost();
}

void AbstractSocket::abort() {
    SIMSOCK_CALL("abort");
    machine_->abort();
}

void AbstractSocket::close() {
    SIMSOCK_CALL("close");
    machine_->close();
}

bool AbstractSocket::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    SIMSOCK_CALL("bind");
    return machine_->bind(address, port, mode);
}

bool AbstractSocket::bind(std::uint16_t port, BindMode mode) {
    return bind(HostAddress(HostAddress::SpecialAddress::Any), port, mode);
}

SocketState AbstractSocket::state() const { return machine_->state(); }
SocketType AbstractSocket::socketType() const { return machine_->type(); }
SocketError AbstractSocket::error() const { return machine_->error(); }
std::string AbstractSocket::errorString() const { return machine_->errorString(); }
bool AbstractSocket::isValid() const { return machine_->isValid(); }

HostAddress AbstractSocket::localAddress() const { return machine_->localAddress; }
std::uint16_t AbstractSocket::localPort() const { return machine_->localPort; }
HostAddress AbstractSocket::peerAddress() const { return machine_->peerAddress; }
std::uint16_t AbstractSocket::peerPort() const { return machine_->peerPort; }
std::string AbstractSocket::peerName() const { return machine_->peerName; }

void AbstractSocket::setSocketOption(SocketOption option, int value) {
    SIMSOCK_CALL("setSocketOption");
    machine_->setSocketOption(option, value);
}
std::optional<int> AbstractSocket::socketOption(SocketOption option) const { return machine_->socketOption(option); }
std::int64_t AbstractSocket::readBufferSize() const { return machine_->readBufferSize(); }
void AbstractSocket::setReadBufferSize(std::int64_t size) {
    SIMSOCK_CALL("setReadBufferSize");
    machine_->setReadBufferSize(size);
}
PauseModes AbstractSocket::pauseMode() const { return machine_->pauseMode; }
void AbstractSocket::setPauseMode(PauseModes mode) { machine_->pauseMode = mode; }
void AbstractSocket::resume() {}
NetworkProxy AbstractSocket::proxy() const { return machine_->proxy; }
void AbstractSocket::setProxy(const NetworkProxy& proxy) { machine_->proxy = proxy; }
std::string AbstractSocket::protocolTag() const { return machine_->protocolTag; }
void AbstractSocket::setProtocolTag(const std::string& tag) { machine_->protocolTag = tag; }
void AbstractSocket::setConnectTimeoutMs(std::int64_t ms) { machine_->connectTimeoutMs = ms; }
std::int64_t AbstractSocket::connectTimeoutMs() const { return machine_->connectTimeoutMs; }

bool AbstractSocket::setSocketDescriptor(std::intptr_t descriptor, SocketState state, OpenMode openMode) {
    SIMSOCK_CALL("setSocketDescriptor");
    // -1 is no descriptor at all: refused with no error and nothing changed (QT-DETAILS §8).
    if (descriptor == -1) return false;
    return machine_->setSocketDescriptor(descriptor, state, openMode);
}
std::intptr_t AbstractSocket::socketDescriptor() const { return machine_->socketDescriptor(); }

bool AbstractSocket::waitForConnected(int msecs) {
    SIMSOCK_CALL("waitForConnected");
    return machine_->waitForConnected(msecs);
}
bool AbstractSocket::waitForReadyRead(int msecs) {
    SIMSOCK_CALL("waitForReadyRead");
    return machine_->waitForReadyRead(msecs);
}
bool AbstractSocket::waitForBytesWritten(int msecs) {
    SIMSOCK_CALL("waitForBytesWritten");
    return machine_->waitForBytesWritten(msecs);
}
bool AbstractSocket::waitForDisconnected(int msecs) {
    SIMSOCK_CALL("waitForDisconnected");
    return machine_->waitForDisconnected(msecs);
}
bool AbstractSocket::flush() {
    SIMSOCK_CALL("flush");
    return machine_->flush();
}

bool AbstractSocket::isOpen() const { return machine_->isOpen(); }
OpenMode AbstractSocket::openMode() const { return machine_->openMode(); }
bool AbstractSocket::isReadable() const { return machine_->openMode().testFlag(OpenModeFlag::ReadOnly); }
bool AbstractSocket::isWritable() const { return machine_->openMode().testFlag(OpenModeFlag::WriteOnly); }

std::int64_t AbstractSocket::read(char* data, std::int64_t maxSize) {
    SIMSOCK_CALL("read");
    // Qt's order of checks differs between functions; each follows its own (qiodevice.cpp).
    if (deviceRefusesRead(*machine_, "read") || deviceRefusesSize(*machine_, "read", maxSize)) return -1;
    return machine_->read(data, maxSize);
}
std::string AbstractSocket::read(std::int64_t maxSize) {
    const std::int64_t size = bufferFor(*this, maxSize);
    std::string out(static_cast<std::size_t>(std::max<std::int64_t>(size, 0)), '\0');
    auto n = read(out.data(), size);
    out.resize(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
    return out;
}
std::string AbstractSocket::readAll() {
    // Qt's readAll reads through read(), whose check warns under read's name.
    if (!isReadable()) {
        SIMSOCK_CALL("readAll");
        (void)deviceRefusesRead(*machine_, "read");
        return {};
    }
    std::string out;
    for (;;) {
        auto avail = bytesAvailable();
        if (avail <= 0) break;
        auto chunk = read(avail);
        if (chunk.empty()) break;
        out += chunk;
        if (socketType() == SocketType::UdpSocket) break;  // one datagram per read
    }
    return out;
}
std::int64_t AbstractSocket::readLine(char* data, std::int64_t maxSize) {
    SIMSOCK_CALL("readLine");
    if (deviceRefusesRead(*machine_, "readLine") || deviceRefusesLineSize(*machine_, maxSize)) return -1;
    return machine_->readLine(data, maxSize);
}
std::string AbstractSocket::readLine(std::int64_t maxSize) {
    if (!isReadable() || (maxSize != 0 && maxSize < 2)) {  // 0 is no limit
        SIMSOCK_CALL("readLine");
        if (!deviceRefusesRead(*machine_, "readLine")) (void)deviceRefusesLineSize(*machine_, maxSize);
        return {};
    }
    // Qt's array form passes maxSize on to the char* form, which keeps a byte for its terminator: at most
    // maxSize - 1 bytes (QT-DETAILS.md §1). 0 means no limit: the whole buffered line.
    std::int64_t want = std::max<std::int64_t>(bytesAvailable(), 1);
    if (maxSize > 0) want = std::min(want, maxSize - 1);
    if (want < 1) return {};
    std::string out(static_cast<std::size_t>(want) + 1, '\0');
    auto n = readLine(out.data(), want + 1);
    out.resize(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
    return out;
}
bool AbstractSocket::canReadLine() const { return machine_->canReadLine(); }
std::int64_t AbstractSocket::peek(char* data, std::int64_t maxSize) {
    if (!isReadable() || maxSize < 0) {
        SIMSOCK_CALL("peek");
        if (!deviceRefusesSize(*machine_, "peek", maxSize)) (void)deviceRefusesRead(*machine_, "peek");
        return -1;
    }
    return machine_->peek(data, maxSize);
}
std::string AbstractSocket::peek(std::int64_t maxSize) {
    const std::int64_t size = bufferFor(*this, maxSize);
    std::string out(static_cast<std::size_t>(std::max<std::int64_t>(size, 0)), '\0');
    auto n = peek(out.data(), size);
    out.resize(static_cast<std::size_t>(std::max<std::int64_t>(n, 0)));
    return out;
}
std::int64_t AbstractSocket::write(const char* data, std::int64_t size) {
    SIMSOCK_CALL("write");
    if (deviceRefusesWrite(*machine_, size)) return -1;
    return machine_->write(data, size);
}
std::int64_t AbstractSocket::write(std::string_view data) {
    return write(data.data(), static_cast<std::int64_t>(data.size()));
}
bool AbstractSocket::getChar(char* c) {
    char tmp = 0;
    if (read(&tmp, 1) != 1) return false;
    if (c) *c = tmp;
    return true;
}
bool AbstractSocket::putChar(char c) { return write(&c, 1) == 1; }
void AbstractSocket::ungetChar(char c) {
    SIMSOCK_CALL("ungetChar");
    if (deviceRefusesRead(*machine_, "read")) return;  // Qt checks under read's name here
    machine_->ungetChar(c);
}
std::int64_t AbstractSocket::bytesAvailable() const {
    if (machine_->bytesAvailableFromUnboundEngine()) {
        SocketMachine::CallScope scope(*machine_, "bytesAvailable");
        // Qt's QNativeSocketEngine check; a const call in Qt too, and the warning its one side effect.
        (void)machine_->warn("QNativeSocketEngine::bytesAvailable() was called in QAbstractSocket::UnconnectedState");
        return -1;
    }
    return machine_->bytesAvailable();
}
std::int64_t AbstractSocket::bytesToWrite() const { return machine_->bytesToWrite(); }
bool AbstractSocket::atEnd() const { return bytesAvailable() == 0; }
std::int64_t AbstractSocket::skip(std::int64_t maxSize) {
    SIMSOCK_CALL("skip");
    if (deviceRefusesSize(*machine_, "skip", maxSize) || deviceRefusesRead(*machine_, "skip")) return -1;
    // As QIODevice::skip on a sequential device: reads into scratch space until maxSize is consumed or a
    // read gives nothing more.
    char scratch[4096];
    std::int64_t total = 0;
    while (total < maxSize) {
        const std::int64_t n = machine_->read(scratch, std::min<std::int64_t>(maxSize - total, sizeof scratch));
        if (n < 0) return total > 0 ? total : n;
        total += n;
        if (n == 0 || socketType() == SocketType::UdpSocket) break;
    }
    return total;
}

std::string_view AbstractSocket::currentCall() const { return machine_->currentCall(); }
Backend& AbstractSocket::backend() const { return machine_->backend(); }

void AbstractSocket::setLocalPort(std::uint16_t port) { machine_->localPort = port; }
void AbstractSocket::setLocalAddress(const HostAddress& address) { machine_->localAddress = address; }
void AbstractSocket::setPeerPort(std::uint16_t port) { machine_->peerPort = port; }
void AbstractSocket::setPeerAddress(const HostAddress& address) { machine_->peerAddress = address; }
void AbstractSocket::setPeerName(const std::string& name) { machine_->peerName = name; }
void AbstractSocket::setSocketState(SocketState state) { machine_->forceState(state); }
void AbstractSocket::setSocketError(SocketError error) { machine_->setError(error, machine_->errorString()); }
void AbstractSocket::setErrorString(const std::string& text) { machine_->setErrorString(text); }

}  // namespace simsock
