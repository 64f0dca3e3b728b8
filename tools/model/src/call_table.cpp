// The table of scenario calls (calls.h).
#include <algorithm>
#include <array>

#include "simsock/abstract_socket.h"
#include "simsock/check.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/tcp_server.h"
#include "simsock/udp_socket.h"

namespace simsock::scenario {
namespace {

using A = CallArg;
using R = ReturnKind;
using T = Target;
using Result = std::optional<ReturnValue>;

// Above the largest UDP payload: a read of this size takes any datagram whole. Also the most a
// readDatagram action allocates, whatever its size says (the loader accepts up to INT64_MAX).
constexpr std::int64_t kDefaultDatagramSize = 65536;

AbstractSocket& sock(CallTarget& t) {
    // The loader lets a call act only on the targets its row names.
    SIMSOCK_ASSERT(t.socket != nullptr);
    return *t.socket;
}

TcpServer& server(CallTarget& t) {
    SIMSOCK_ASSERT(t.server != nullptr);
    return *t.server;
}

UdpSocket& udpOf(CallTarget& t) {
    auto* udp = dynamic_cast<UdpSocket*>(&sock(t));
    SIMSOCK_ASSERT(udp != nullptr);
    return *udp;
}

Result boolean(bool b) { return ReturnValue(b); }
Result integer(std::int64_t n) { return ReturnValue(n); }
Result text(std::string s) { return ReturnValue(std::move(s)); }
Result name(std::string_view s) { return ReturnValue(Word{std::string(s)}); }
// Descriptor numbers differ between engines (and runs on a real one): a trace says only whether there is one.
Result descriptor(std::intptr_t fd) { return fd >= 0 ? name("valid") : integer(-1); }

Result readInto(CallTarget& t, std::string data) {
    t.read += data;
    return ReturnValue(std::move(data));
}

Result readDatagram(CallTarget& t, const ActionSpec& a) {
    const std::int64_t max = a.size > 0 ? std::min(a.size, kDefaultDatagramSize) : kDefaultDatagramSize;
    std::string buf(static_cast<std::size_t>(max), '\0');
    const std::int64_t n = udpOf(t).readDatagram(buf.data(), max);
    if (n > 0) t.read.append(buf.data(), static_cast<std::size_t>(n));
    return ReturnValue(n);
}

Result receiveDatagram(CallTarget& t, const ActionSpec& a) {
    NetworkDatagram d = udpOf(t).receiveDatagram(a.size > 0 ? a.size : -1);
    if (!d.isValid()) return ReturnValue(nullptr);
    return readInto(t, std::move(d.data));
}

Result getChar(CallTarget& t, const ActionSpec&) {
    char c = 0;
    // The byte read, or "" when getChar returned false (a successful getChar always gives one byte).
    if (!sock(t).getChar(&c)) return text("");
    return readInto(t, std::string(1, c));
}

std::intptr_t descriptorOf(CallTarget& t, const ActionSpec& a) {
    return a.descriptorFrom.empty() ? static_cast<std::intptr_t>(a.descriptor) : t.context.takeDescriptor(a.descriptorFrom);
}

Result setSocketDescriptor(CallTarget& t, const ActionSpec& a) {
    return boolean(sock(t).setSocketDescriptor(descriptorOf(t, a), a.state.value_or(SocketState::ConnectedState),
                                               a.openMode.value_or(OpenModeFlag::ReadWrite)));
}

Result nextPendingConnection(CallTarget& t, const ActionSpec& a) {
    std::unique_ptr<TcpSocket> accepted = server(t).nextPendingConnection();
    if (!accepted) return ReturnValue(nullptr);
    t.context.adopt(std::move(accepted), a.as);
    return name(a.as);
}

Result listen(CallTarget& t, const ActionSpec& a) {
    const HostAddress address = a.host.empty() ? HostAddress(HostAddress::SpecialAddress::Any) : HostAddress(a.host);
    return boolean(server(t).listen(address, a.port));
}

constexpr Targets kSockets{T::Tcp, T::Udp};
constexpr Targets kUdp{T::Udp};
constexpr Targets kServer{T::Server};

// {call, name, takes, needs, returns, on, blocking, perform}
constexpr CallInfo kCalls[] = {
    {Call::ConnectToHost, "connectToHost", {A::HostName, A::Port}, {A::HostName, A::Port}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).connectToHost(a.host, a.port);
         return std::nullopt;
     }},
    {Call::Bind, "bind", {A::LocalAddress, A::Port}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         if (a.host.empty()) return boolean(sock(t).bind(a.port));
         return boolean(sock(t).bind(HostAddress(a.host), a.port));
     }},
    {Call::Write, "write", {A::Payload}, {A::Payload}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return integer(sock(t).write(a.data)); }},
    {Call::Read, "read", {A::MaxSize}, {A::MaxSize}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return readInto(t, sock(t).read(a.size)); }},
    {Call::ReadAll, "readAll", {}, {}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return readInto(t, sock(t).readAll()); }},
    {Call::Flush, "flush", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).flush()); }},
    {Call::DisconnectFromHost, "disconnectFromHost", {}, {}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         sock(t).disconnectFromHost();
         return std::nullopt;
     }},
    {Call::Abort, "abort", {}, {}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         sock(t).abort();
         return std::nullopt;
     }},
    {Call::Close, "close", {}, {}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         sock(t).close();
         return std::nullopt;
     }},
    {Call::SetReadBufferSize, "setReadBufferSize", {A::BufferSize}, {A::BufferSize}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setReadBufferSize(a.size);
         return std::nullopt;
     }},
    {Call::SetSocketOption, "setSocketOption", {A::Option, A::Value}, {A::Option, A::Value}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setSocketOption(a.option, a.value);
         return std::nullopt;
     }},
    {Call::WriteDatagram, "writeDatagram", {A::Payload, A::RemoteAddress, A::Port}, {A::Payload, A::RemoteAddress, A::Port},
     R::Integer, kUdp, false,
     [](CallTarget& t, const ActionSpec& a) { return integer(udpOf(t).writeDatagram(a.data, HostAddress(a.host), a.port)); }},
    {Call::ReadDatagram, "readDatagram", {A::MaxSize}, {}, R::Integer, kUdp, false, readDatagram},
    {Call::WaitForConnected, "waitForConnected", {A::Timeout}, {}, R::Boolean, kSockets, true,
     [](CallTarget& t, const ActionSpec& a) { return boolean(sock(t).waitForConnected(a.timeoutMs)); }},
    {Call::WaitForReadyRead, "waitForReadyRead", {A::Timeout}, {}, R::Boolean, kSockets, true,
     [](CallTarget& t, const ActionSpec& a) { return boolean(sock(t).waitForReadyRead(a.timeoutMs)); }},
    {Call::WaitForBytesWritten, "waitForBytesWritten", {A::Timeout}, {}, R::Boolean, kSockets, true,
     [](CallTarget& t, const ActionSpec& a) { return boolean(sock(t).waitForBytesWritten(a.timeoutMs)); }},
    {Call::WaitForDisconnected, "waitForDisconnected", {A::Timeout}, {}, R::Boolean, kSockets, true,
     [](CallTarget& t, const ActionSpec& a) { return boolean(sock(t).waitForDisconnected(a.timeoutMs)); }},
    {Call::BytesAvailable, "bytesAvailable", {}, {}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return integer(sock(t).bytesAvailable()); }},
    {Call::State, "state", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(sock(t).state())); }},
    {Call::SocketOption, "socketOption", {A::Option}, {A::Option}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) {
         // -1 stands for "the engine cannot tell" (nullopt), which no real option value is.
         return integer(sock(t).socketOption(a.option).value_or(-1));
     }},
    {Call::SocketType, "socketType", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(sock(t).socketType())); }},
    {Call::Error, "error", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(sock(t).error())); }},
    {Call::ErrorString, "errorString", {}, {}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return text(sock(t).errorString()); }},
    {Call::IsValid, "isValid", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).isValid()); }},
    {Call::LocalAddress, "localAddress", {}, {}, R::Address, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return text(t.context.address(sock(t).localAddress())); }},
    {Call::LocalPort, "localPort", {}, {}, R::Port, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return t.context.port(sock(t).localPort()); }},
    {Call::PeerAddress, "peerAddress", {}, {}, R::Address, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return text(t.context.address(sock(t).peerAddress())); }},
    {Call::PeerPort, "peerPort", {}, {}, R::Port, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return t.context.port(sock(t).peerPort()); }},
    {Call::PeerName, "peerName", {}, {}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec&) {
         // The name given to connectToHost; a literal is where the world put the scenario's address.
         const std::string name = sock(t).peerName();
         if (auto literal = HostAddress::parse(name)) return text(t.context.address(*literal));
         return text(name);
     }},
    {Call::ReadBufferSize, "readBufferSize", {}, {}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return integer(sock(t).readBufferSize()); }},
    {Call::PauseMode, "pauseMode", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(static_cast<PauseMode>(sock(t).pauseMode().bits()))); }},
    {Call::SetPauseMode, "setPauseMode", {A::Pause}, {A::Pause}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setPauseMode(a.pauseMode);
         return std::nullopt;
     }},
    {Call::Resume, "resume", {}, {}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         sock(t).resume();
         return std::nullopt;
     }},
    {Call::Proxy, "proxy", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(sock(t).proxy().type())); }},
    {Call::SetProxy, "setProxy", {A::ProxyArg}, {A::ProxyArg}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setProxy(makeNetworkProxy(a.proxy));
         return std::nullopt;
     }},
    {Call::ProtocolTag, "protocolTag", {}, {}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return text(sock(t).protocolTag()); }},
    {Call::SetProtocolTag, "setProtocolTag", {A::Tag}, {A::Tag}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setProtocolTag(a.data);
         return std::nullopt;
     }},
    {Call::ConnectTimeoutMs, "connectTimeoutMs", {}, {}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return integer(sock(t).connectTimeoutMs()); }},
    {Call::SetConnectTimeoutMs, "setConnectTimeoutMs", {A::Timeout}, {A::Timeout}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).setConnectTimeoutMs(a.timeoutMs);
         return std::nullopt;
     }},
    {Call::SocketDescriptor, "socketDescriptor", {}, {}, R::Descriptor, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return descriptor(sock(t).socketDescriptor()); }},
    {Call::SetSocketDescriptor, "setSocketDescriptor", {A::Descriptor, A::StateArg, A::OpenModeArg}, {A::Descriptor},
     R::Boolean, kSockets, false, setSocketDescriptor},
    {Call::IsOpen, "isOpen", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).isOpen()); }},
    {Call::OpenMode, "openMode", {}, {}, R::Name, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(sock(t).openMode())); }},
    {Call::IsReadable, "isReadable", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).isReadable()); }},
    {Call::IsWritable, "isWritable", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).isWritable()); }},
    {Call::IsSequential, "isSequential", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).isSequential()); }},
    {Call::ReadLine, "readLine", {A::MaxSize}, {}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return readInto(t, sock(t).readLine(a.size > 0 ? a.size : 0)); }},
    {Call::CanReadLine, "canReadLine", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).canReadLine()); }},
    {Call::Peek, "peek", {A::MaxSize}, {A::MaxSize}, R::Text, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return text(sock(t).peek(a.size)); }},
    {Call::Skip, "skip", {A::MaxSize}, {A::MaxSize}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return integer(sock(t).skip(a.size)); }},
    {Call::GetChar, "getChar", {}, {}, R::Text, kSockets, false, getChar},
    {Call::PutChar, "putChar", {A::Byte}, {A::Byte}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) { return boolean(sock(t).putChar(a.data.at(0))); }},
    {Call::UngetChar, "ungetChar", {A::Byte}, {A::Byte}, R::None, kSockets, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         sock(t).ungetChar(a.data.at(0));
         return std::nullopt;
     }},
    {Call::BytesToWrite, "bytesToWrite", {}, {}, R::Integer, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return integer(sock(t).bytesToWrite()); }},
    {Call::AtEnd, "atEnd", {}, {}, R::Boolean, kSockets, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(sock(t).atEnd()); }},
    {Call::HasPendingDatagrams, "hasPendingDatagrams", {}, {}, R::Boolean, kUdp, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(udpOf(t).hasPendingDatagrams()); }},
    {Call::PendingDatagramSize, "pendingDatagramSize", {}, {}, R::Integer, kUdp, false,
     [](CallTarget& t, const ActionSpec&) { return integer(udpOf(t).pendingDatagramSize()); }},
    {Call::ReceiveDatagram, "receiveDatagram", {A::MaxSize}, {}, R::Datagram, kUdp, false, receiveDatagram},
    {Call::Listen, "listen", {A::LocalAddress, A::Port}, {}, R::Boolean, kServer, false, listen},
    {Call::ServerClose, "close", {}, {}, R::None, kServer, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         server(t).close();
         return std::nullopt;
     }},
    {Call::IsListening, "isListening", {}, {}, R::Boolean, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(server(t).isListening()); }},
    {Call::NextPendingConnection, "nextPendingConnection", {A::As}, {A::As}, R::Socket, kServer, false,
     nextPendingConnection},
    {Call::HasPendingConnections, "hasPendingConnections", {}, {}, R::Boolean, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return boolean(server(t).hasPendingConnections()); }},
    {Call::MaxPendingConnections, "maxPendingConnections", {}, {}, R::Integer, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return integer(server(t).maxPendingConnections()); }},
    {Call::SetMaxPendingConnections, "setMaxPendingConnections", {A::Value}, {A::Value}, R::None, kServer, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         server(t).setMaxPendingConnections(a.value);
         return std::nullopt;
     }},
    {Call::ListenBacklogSize, "listenBacklogSize", {}, {}, R::Integer, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return integer(server(t).listenBacklogSize()); }},
    {Call::SetListenBacklogSize, "setListenBacklogSize", {A::Value}, {A::Value}, R::None, kServer, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         server(t).setListenBacklogSize(a.value);
         return std::nullopt;
     }},
    {Call::ServerAddress, "serverAddress", {}, {}, R::Address, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return text(t.context.address(server(t).serverAddress())); }},
    {Call::ServerPort, "serverPort", {}, {}, R::Port, kServer, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return t.context.port(server(t).serverPort()); }},
    {Call::ServerError, "serverError", {}, {}, R::Name, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return name(toString(server(t).serverError())); }},
    {Call::ServerErrorString, "errorString", {}, {}, R::Text, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return text(server(t).errorString()); }},
    {Call::PauseAccepting, "pauseAccepting", {}, {}, R::None, kServer, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         server(t).pauseAccepting();
         return std::nullopt;
     }},
    {Call::ResumeAccepting, "resumeAccepting", {}, {}, R::None, kServer, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         server(t).resumeAccepting();
         return std::nullopt;
     }},
    {Call::WaitForNewConnection, "waitForNewConnection", {A::Timeout}, {}, R::Boolean, kServer, true,
     [](CallTarget& t, const ActionSpec& a) { return boolean(server(t).waitForNewConnection(a.timeoutMs)); }},
    {Call::ServerSocketDescriptor, "socketDescriptor", {}, {}, R::Descriptor, kServer, false,
     [](CallTarget& t, const ActionSpec&) { return descriptor(server(t).socketDescriptor()); }},
    {Call::SetServerSocketDescriptor, "setSocketDescriptor", {A::Descriptor}, {A::Descriptor}, R::Boolean, kServer, false,
     [](CallTarget& t, const ActionSpec& a) { return boolean(server(t).setSocketDescriptor(descriptorOf(t, a))); }},
};

// Whether each row has a performer is checked by tables_test: under ASan GCC will not fold a
// lambda-to-pointer comparison in a constant expression.
constexpr bool rowsInEnumOrder() {
    for (std::size_t i = 0; i < std::size(kCalls); ++i)
        if (static_cast<std::size_t>(kCalls[i].call) != i) return false;
    return true;
}
static_assert(rowsInEnumOrder(), "one row per Call, in enum order");
// Names the last Call: a call added to the enum without a row fails here.
static_assert(static_cast<std::size_t>(Call::SetServerSocketDescriptor) + 1 == std::size(kCalls), "a Call without a row");

}  // namespace

std::span<const CallInfo> calls() { return kCalls; }

const CallInfo& callInfo(Call call) {
    const auto i = static_cast<std::size_t>(call);
    SIMSOCK_ASSERT(i < std::size(kCalls));
    return kCalls[i];
}

const char* toString(Call call) { return callInfo(call).name; }

std::optional<Call> parseCall(std::string_view name, Target target) {
    for (const auto& row : kCalls)
        if (name == row.name && row.on.has(target)) return row.call;
    return std::nullopt;
}

bool isCallName(std::string_view name) {
    for (const auto& row : kCalls)
        if (name == row.name) return true;
    return false;
}

const char* toString(Target target) {
    switch (target) {
    case Target::Tcp: return "tcp";
    case Target::Udp: return "udp";
    case Target::Server: return "server";
    }
    return "";
}

const char* toString(ReturnKind kind) {
    switch (kind) {
    case ReturnKind::None: return "";
    case ReturnKind::Boolean: return "boolean";
    case ReturnKind::Integer: return "integer";
    case ReturnKind::Text: return "string";
    case ReturnKind::Name: return "name";
    case ReturnKind::Port: return "port";
    case ReturnKind::Address: return "address";
    case ReturnKind::Descriptor: return "descriptor";
    case ReturnKind::Datagram: return "datagram";
    case ReturnKind::Socket: return "socket";
    }
    return "";
}

}  // namespace simsock::scenario
