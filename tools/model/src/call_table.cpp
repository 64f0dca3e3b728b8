// The table of scenario calls (calls.h).
#include <array>

#include "simsock/abstract_socket.h"
#include "simsock/check.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/model.h"
#include "simsock/udp_socket.h"

namespace simsock::scenario {
namespace {

using A = CallArg;
using R = ReturnKind;
using Result = std::optional<ReturnValue>;

constexpr std::int64_t kDefaultDatagramSize = 65536;

UdpSocket& udpOf(CallTarget& t) {
    // The loader only lets datagram calls act on udp sockets (the row's onTcp is false).
    auto* udp = dynamic_cast<UdpSocket*>(&t.socket);
    SIMSOCK_ASSERT(udp != nullptr);
    return *udp;
}

Result readInto(CallTarget& t, std::string data) {
    t.read += data;
    return ReturnValue(std::move(data));
}

Result readDatagram(CallTarget& t, const ActionSpec& a) {
    const std::int64_t max = a.size > 0 ? a.size : kDefaultDatagramSize;
    std::string buf(static_cast<std::size_t>(max), '\0');
    const std::int64_t n = udpOf(t).readDatagram(buf.data(), max);
    if (n > 0) t.read.append(buf.data(), static_cast<std::size_t>(n));
    return ReturnValue(n);
}

// {call, name, takes, needs, returns, onTcp, onUdp, blocking, perform}
constexpr CallInfo kCalls[] = {
    {Call::ConnectToHost, "connectToHost", {A::HostName, A::Port}, {A::HostName, A::Port}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         t.socket.connectToHost(a.host, a.port);
         return std::nullopt;
     }},
    {Call::Bind, "bind", {A::LocalAddress, A::Port}, {}, R::Boolean, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         if (a.host.empty()) return ReturnValue(t.socket.bind(a.port));
         return ReturnValue(t.socket.bind(HostAddress(a.host), a.port));
     }},
    {Call::Write, "write", {A::Payload}, {A::Payload}, R::Integer, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result { return ReturnValue(t.socket.write(a.data)); }},
    {Call::Read, "read", {A::MaxSize}, {A::MaxSize}, R::String, true, true, false,
     [](CallTarget& t, const ActionSpec& a) { return readInto(t, t.socket.read(a.size)); }},
    {Call::ReadAll, "readAll", {}, {}, R::String, true, true, false,
     [](CallTarget& t, const ActionSpec&) { return readInto(t, t.socket.readAll()); }},
    {Call::Flush, "flush", {}, {}, R::Boolean, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return ReturnValue(t.socket.flush()); }},
    {Call::DisconnectFromHost, "disconnectFromHost", {}, {}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         t.socket.disconnectFromHost();
         return std::nullopt;
     }},
    {Call::Abort, "abort", {}, {}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         t.socket.abort();
         return std::nullopt;
     }},
    {Call::Close, "close", {}, {}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result {
         t.socket.close();
         return std::nullopt;
     }},
    {Call::SetReadBufferSize, "setReadBufferSize", {A::BufferSize}, {A::BufferSize}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         t.socket.setReadBufferSize(a.size);
         return std::nullopt;
     }},
    {Call::SetSocketOption, "setSocketOption", {A::Option, A::Value}, {A::Option, A::Value}, R::None, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         t.socket.setSocketOption(a.option, a.value);
         return std::nullopt;
     }},
    {Call::WriteDatagram, "writeDatagram", {A::Payload, A::RemoteAddress, A::Port}, {A::Payload, A::RemoteAddress, A::Port},
     R::Integer, false, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         return ReturnValue(udpOf(t).writeDatagram(a.data, HostAddress(a.host), a.port));
     }},
    {Call::ReadDatagram, "readDatagram", {A::MaxSize}, {}, R::Integer, false, true, false, readDatagram},
    {Call::WaitForConnected, "waitForConnected", {A::Timeout}, {}, R::Boolean, true, true, true,
     [](CallTarget& t, const ActionSpec& a) -> Result { return ReturnValue(t.socket.waitForConnected(a.timeoutMs)); }},
    {Call::WaitForReadyRead, "waitForReadyRead", {A::Timeout}, {}, R::Boolean, true, true, true,
     [](CallTarget& t, const ActionSpec& a) -> Result { return ReturnValue(t.socket.waitForReadyRead(a.timeoutMs)); }},
    {Call::WaitForBytesWritten, "waitForBytesWritten", {A::Timeout}, {}, R::Boolean, true, true, true,
     [](CallTarget& t, const ActionSpec& a) -> Result { return ReturnValue(t.socket.waitForBytesWritten(a.timeoutMs)); }},
    {Call::WaitForDisconnected, "waitForDisconnected", {A::Timeout}, {}, R::Boolean, true, true, true,
     [](CallTarget& t, const ActionSpec& a) -> Result { return ReturnValue(t.socket.waitForDisconnected(a.timeoutMs)); }},
    {Call::BytesAvailable, "bytesAvailable", {}, {}, R::Integer, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return ReturnValue(t.socket.bytesAvailable()); }},
    {Call::State, "state", {}, {}, R::String, true, true, false,
     [](CallTarget& t, const ActionSpec&) -> Result { return ReturnValue(std::string(toString(t.socket.state()))); }},
    {Call::SocketOption, "socketOption", {A::Option}, {A::Option}, R::Integer, true, true, false,
     [](CallTarget& t, const ActionSpec& a) -> Result {
         // -1 stands for "the engine cannot tell" (nullopt), which no real option value is.
         return ReturnValue(static_cast<std::int64_t>(t.socket.socketOption(a.option).value_or(-1)));
     }},
};

constexpr bool rowsComplete() {
    for (std::size_t i = 0; i < std::size(kCalls); ++i)
        if (static_cast<std::size_t>(kCalls[i].call) != i || kCalls[i].perform == nullptr) return false;
    return true;
}
static_assert(rowsComplete(), "one row per Call, in enum order, each with a performer");
// Names the last Call: a call added to the enum without a row fails here.
static_assert(static_cast<std::size_t>(Call::SocketOption) + 1 == std::size(kCalls), "a Call without a row");

constexpr std::array<CallArg, kCallArgCount> kArgOrder{A::Payload, A::HostName,   A::LocalAddress, A::RemoteAddress,
                                                      A::Port,    A::MaxSize,    A::BufferSize,   A::Option,
                                                      A::Value,   A::Timeout};

constexpr std::string_view kPayloadKeys[] = {"data", "size"};
constexpr std::string_view kHostKey[] = {"host"};
constexpr std::string_view kPortKey[] = {"port"};
constexpr std::string_view kSizeKey[] = {"size"};
constexpr std::string_view kOptionKey[] = {"option"};
constexpr std::string_view kValueKey[] = {"value"};
constexpr std::string_view kTimeoutKey[] = {"timeout"};

}  // namespace

std::span<const std::string_view> callArgKeys(CallArg arg) {
    switch (arg) {
    case A::Payload: return kPayloadKeys;
    case A::HostName:
    case A::LocalAddress:
    case A::RemoteAddress: return kHostKey;
    case A::Port: return kPortKey;
    case A::MaxSize:
    case A::BufferSize: return kSizeKey;
    case A::Option: return kOptionKey;
    case A::Value: return kValueKey;
    case A::Timeout: return kTimeoutKey;
    }
    SIMSOCK_ASSERT(false);
    return {};
}

std::span<const CallInfo> calls() { return kCalls; }

const CallInfo& callInfo(Call call) {
    const auto i = static_cast<std::size_t>(call);
    SIMSOCK_ASSERT(i < std::size(kCalls));
    return kCalls[i];
}

const char* toString(Call call) { return callInfo(call).name; }

std::optional<Call> parseCall(std::string_view name) {
    for (const auto& row : kCalls)
        if (name == row.name) return row.call;
    return std::nullopt;
}

std::span<const CallArg> callArgOrder() { return kArgOrder; }

const char* toString(ReturnKind kind) {
    switch (kind) {
    case ReturnKind::None: return "";
    case ReturnKind::Boolean: return "boolean";
    case ReturnKind::Integer: return "integer";
    case ReturnKind::String: return "string";
    }
    return "";
}

}  // namespace simsock::scenario
