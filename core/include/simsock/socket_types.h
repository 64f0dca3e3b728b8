// The enums of QAbstractSocket, with one table of Qt spellings each.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "simsock/network_proxy.h"

namespace simsock {

enum class SocketState {
    UnconnectedState,
    HostLookupState,
    ConnectingState,
    ConnectedState,
    BoundState,
    ListeningState,
    ClosingState,
};

// All 24 errors of the seed, in Qt's numbering order.
enum class SocketError {
    ConnectionRefusedError,
    RemoteHostClosedError,
    HostNotFoundError,
    SocketAccessError,
    SocketResourceError,
    SocketTimeoutError,
    DatagramTooLargeError,
    NetworkError,
    AddressInUseError,
    SocketAddressNotAvailableError,
    UnsupportedSocketOperationError,
    UnfinishedSocketOperationError,
    ProxyAuthenticationRequiredError,
    SslHandshakeFailedError,
    ProxyConnectionRefusedError,
    ProxyConnectionClosedError,
    ProxyConnectionTimeoutError,
    ProxyNotFoundError,
    ProxyProtocolError,
    OperationError,
    SslInternalError,
    SslInvalidUserDataError,
    TemporaryError,
    UnknownSocketError,
};
inline constexpr int kSocketErrorCount = 24;

enum class SocketType { TcpSocket, UdpSocket, SctpSocket, UnknownSocketType };

enum class NetworkLayerProtocol { IPv4Protocol, IPv6Protocol, AnyIPProtocol, UnknownNetworkLayerProtocol };

enum class SocketOption {
    LowDelayOption,
    KeepAliveOption,
    MulticastTtlOption,
    MulticastLoopbackOption,
    TypeOfServiceOption,
    SendBufferSizeSocketOption,
    ReceiveBufferSizeSocketOption,
    PathMtuSocketOption,
};
inline constexpr int kSocketOptionCount = 8;

/// A small typed flag set, so `BindMode` and `PauseModes` read as Qt's flags do.
template <typename E>
class Flags {
public:
    constexpr Flags() = default;
    constexpr Flags(E e) : bits_(static_cast<std::uint32_t>(e)) {}  // NOLINT: implicit like QFlags
    constexpr explicit Flags(std::uint32_t bits) : bits_(bits) {}
    constexpr bool testFlag(E e) const {
        auto b = static_cast<std::uint32_t>(e);
        return b == 0 ? bits_ == 0 : (bits_ & b) == b;
    }
    constexpr std::uint32_t bits() const { return bits_; }
    constexpr Flags operator|(Flags o) const { return Flags(bits_ | o.bits_); }
    constexpr Flags operator&(Flags o) const { return Flags(bits_ & o.bits_); }
    constexpr bool operator==(const Flags&) const = default;

private:
    std::uint32_t bits_ = 0;
};

enum class BindFlag : std::uint32_t {
    DefaultForPlatform = 0x0,
    ShareAddress = 0x1,
    DontShareAddress = 0x2,
    ReuseAddressHint = 0x4,
};
using BindMode = Flags<BindFlag>;
constexpr BindMode operator|(BindFlag a, BindFlag b) { return BindMode(a) | BindMode(b); }

enum class PauseMode : std::uint32_t { PauseNever = 0x0, PauseOnSslErrors = 0x1 };
using PauseModes = Flags<PauseMode>;

/// Which notification an event loop runs first when a socket is readable and writable at once. Qt's two
/// Linux event dispatchers differ, and a reset noticed while a write is queued ends differently under each
/// (SEMANTICS.md, Close). Spelled "glib" and "unix" (a scenario's "dispatch" key).
enum class DispatchOrder : std::uint8_t {
    Glib,  ///< Qt's default (QEventDispatcherGlib): the write notification runs first
    Unix,  ///< QEventDispatcherUNIX (QT_NO_GLIB=1): the read notification runs first
};

/// QIODevice's open modes (the subset a socket uses).
enum class OpenModeFlag : std::uint32_t {
    NotOpen = 0x0,
    ReadOnly = 0x1,
    WriteOnly = 0x2,
    ReadWrite = 0x3,
    Append = 0x4,
    Truncate = 0x8,
    Text = 0x10,
    Unbuffered = 0x20,
};
using OpenMode = Flags<OpenModeFlag>;
constexpr OpenMode operator|(OpenModeFlag a, OpenModeFlag b) { return OpenMode(a) | OpenMode(b); }

/// Qt's spelling of each value ("ConnectingState", "ConnectionRefusedError", ...).
std::string_view toString(SocketState s);
std::string_view toString(SocketError e);
std::string_view toString(SocketType t);
std::string_view toString(NetworkLayerProtocol p);
std::string_view toString(SocketOption o);
std::string_view toString(BindFlag f);
std::string_view toString(PauseMode m);
std::string_view toString(OpenModeFlag f);
std::string_view toString(NetworkProxy::ProxyType t);
std::string_view toString(DispatchOrder d);
/// Flag sets as Qt prints them: names joined by '|', or the zero value's name.
std::string toString(BindMode m);
std::string toString(OpenMode m);

/// Parsers back from Qt's spelling; nullopt for an unknown name.
std::optional<SocketState> parseSocketState(std::string_view s);
std::optional<SocketError> parseSocketError(std::string_view s);
std::optional<SocketType> parseSocketType(std::string_view s);
std::optional<NetworkLayerProtocol> parseNetworkLayerProtocol(std::string_view s);
std::optional<SocketOption> parseSocketOption(std::string_view s);
std::optional<BindFlag> parseBindFlag(std::string_view s);
std::optional<PauseMode> parsePauseMode(std::string_view s);
std::optional<OpenModeFlag> parseOpenModeFlag(std::string_view s);
std::optional<NetworkProxy::ProxyType> parseProxyType(std::string_view s);
std::optional<DispatchOrder> parseDispatchOrder(std::string_view s);

/// Every value of an enum with a spelling table, in the table's order (for lists of choices and checks):
/// SocketState, SocketError, SocketOption, NetworkProxy::ProxyType, DispatchOrder.
template <typename E>
std::span<const E> allValues();
template <>
std::span<const SocketState> allValues<SocketState>();
template <>
std::span<const SocketError> allValues<SocketError>();
template <>
std::span<const SocketOption> allValues<SocketOption>();
template <>
std::span<const NetworkProxy::ProxyType> allValues<NetworkProxy::ProxyType>();
template <>
std::span<const DispatchOrder> allValues<DispatchOrder>();

}  // namespace simsock
