#include "simsock/socket_types.h"

#include <array>
#include <utility>

namespace simsock {
namespace {

// One table per enum: the value and Qt's spelling. Everything else derives from these.
template <typename E>
using Entry = std::pair<E, std::string_view>;

constexpr Entry<SocketState> kStates[] = {
    {SocketState::UnconnectedState, "UnconnectedState"}, {SocketState::HostLookupState, "HostLookupState"},
    {SocketState::ConnectingState, "ConnectingState"},   {SocketState::ConnectedState, "ConnectedState"},
    {SocketState::BoundState, "BoundState"},             {SocketState::ListeningState, "ListeningState"},
    {SocketState::ClosingState, "ClosingState"},
};

constexpr Entry<SocketError> kErrors[] = {
    {SocketError::ConnectionRefusedError, "ConnectionRefusedError"},
    {SocketError::RemoteHostClosedError, "RemoteHostClosedError"},
    {SocketError::HostNotFoundError, "HostNotFoundError"},
    {SocketError::SocketAccessError, "SocketAccessError"},
    {SocketError::SocketResourceError, "SocketResourceError"},
    {SocketError::SocketTimeoutError, "SocketTimeoutError"},
    {SocketError::DatagramTooLargeError, "DatagramTooLargeError"},
    {SocketError::NetworkError, "NetworkError"},
    {SocketError::AddressInUseError, "AddressInUseError"},
    {SocketError::SocketAddressNotAvailableError, "SocketAddressNotAvailableError"},
    {SocketError::UnsupportedSocketOperationError, "UnsupportedSocketOperationError"},
    {SocketError::UnfinishedSocketOperationError, "UnfinishedSocketOperationError"},
    {SocketError::ProxyAuthenticationRequiredError, "ProxyAuthenticationRequiredError"},
    {SocketError::SslHandshakeFailedError, "SslHandshakeFailedError"},
    {SocketError::ProxyConnectionRefusedError, "ProxyConnectionRefusedError"},
    {SocketError::ProxyConnectionClosedError, "ProxyConnectionClosedError"},
    {SocketError::ProxyConnectionTimeoutError, "ProxyConnectionTimeoutError"},
    {SocketError::ProxyNotFoundError, "ProxyNotFoundError"},
    {SocketError::ProxyProtocolError, "ProxyProtocolError"},
    {SocketError::OperationError, "OperationError"},
    {SocketError::SslInternalError, "SslInternalError"},
    {SocketError::SslInvalidUserDataError, "SslInvalidUserDataError"},
    {SocketError::TemporaryError, "TemporaryError"},
    {SocketError::UnknownSocketError, "UnknownSocketError"},
};

constexpr Entry<SocketType> kTypes[] = {
    {SocketType::TcpSocket, "TcpSocket"},
    {SocketType::UdpSocket, "UdpSocket"},
    {SocketType::SctpSocket, "SctpSocket"},
    {SocketType::UnknownSocketType, "UnknownSocketType"},
};

constexpr Entry<NetworkLayerProtocol> kProtocols[] = {
    {NetworkLayerProtocol::IPv4Protocol, "IPv4Protocol"},
    {NetworkLayerProtocol::IPv6Protocol, "IPv6Protocol"},
    {NetworkLayerProtocol::AnyIPProtocol, "AnyIPProtocol"},
    {NetworkLayerProtocol::UnknownNetworkLayerProtocol, "UnknownNetworkLayerProtocol"},
};

constexpr Entry<SocketOption> kOptions[] = {
    {SocketOption::LowDelayOption, "LowDelayOption"},
    {SocketOption::KeepAliveOption, "KeepAliveOption"},
    {SocketOption::MulticastTtlOption, "MulticastTtlOption"},
    {SocketOption::MulticastLoopbackOption, "MulticastLoopbackOption"},
    {SocketOption::TypeOfServiceOption, "TypeOfServiceOption"},
    {SocketOption::SendBufferSizeSocketOption, "SendBufferSizeSocketOption"},
    {SocketOption::ReceiveBufferSizeSocketOption, "ReceiveBufferSizeSocketOption"},
    {SocketOption::PathMtuSocketOption, "PathMtuSocketOption"},
};

constexpr Entry<BindFlag> kBindFlags[] = {
    {BindFlag::DefaultForPlatform, "DefaultForPlatform"},
    {BindFlag::ShareAddress, "ShareAddress"},
    {BindFlag::DontShareAddress, "DontShareAddress"},
    {BindFlag::ReuseAddressHint, "ReuseAddressHint"},
};

constexpr Entry<PauseMode> kPauseModes[] = {
    {PauseMode::PauseNever, "PauseNever"},
    {PauseMode::PauseOnSslErrors, "PauseOnSslErrors"},
};

constexpr Entry<OpenModeFlag> kOpenModes[] = {
    {OpenModeFlag::NotOpen, "NotOpen"},     {OpenModeFlag::ReadOnly, "ReadOnly"},
    {OpenModeFlag::WriteOnly, "WriteOnly"}, {OpenModeFlag::ReadWrite, "ReadWrite"},
    {OpenModeFlag::Append, "Append"},       {OpenModeFlag::Truncate, "Truncate"},
    {OpenModeFlag::Text, "Text"},           {OpenModeFlag::Unbuffered, "Unbuffered"},
};

constexpr Entry<NetworkProxy::ProxyType> kProxyTypes[] = {
    {NetworkProxy::DefaultProxy, "DefaultProxy"},     {NetworkProxy::Socks5Proxy, "Socks5Proxy"},
    {NetworkProxy::NoProxy, "NoProxy"},               {NetworkProxy::HttpProxy, "HttpProxy"},
    {NetworkProxy::HttpCachingProxy, "HttpCachingProxy"}, {NetworkProxy::FtpCachingProxy, "FtpCachingProxy"},
};

// Not Qt's words: the scenario key "dispatch" spells the loop's order in lower case, as the dispatchers' names.
constexpr Entry<DispatchOrder> kDispatchOrders[] = {
    {DispatchOrder::Glib, "glib"},
    {DispatchOrder::Unix, "unix"},
};

// The values of a table, in its order.
template <typename E, std::size_t N>
constexpr std::array<E, N> valuesOf(const Entry<E> (&table)[N]) {
    std::array<E, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = table[i].first;
    return out;
}
constexpr auto kStateValues = valuesOf(kStates);
constexpr auto kErrorValues = valuesOf(kErrors);
constexpr auto kOptionValues = valuesOf(kOptions);
constexpr auto kProxyTypeValues = valuesOf(kProxyTypes);
constexpr auto kDispatchOrderValues = valuesOf(kDispatchOrders);

template <typename E, std::size_t N>
std::string_view nameOf(const Entry<E> (&table)[N], E value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "Unknown";
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const Entry<E> (&table)[N], std::string_view name) {
    for (const auto& [v, n] : table)
        if (n == name) return v;
    return std::nullopt;
}

// Prints a flag set; ReadWrite is preferred over ReadOnly|WriteOnly as Qt does.
template <typename E, std::size_t N>
std::string flagsToString(const Entry<E> (&table)[N], Flags<E> flags) {
    if (flags.bits() == 0) return std::string(nameOf(table, E{}));
    std::string out;
    std::uint32_t covered = 0;
    for (auto it = std::rbegin(table); it != std::rend(table); ++it) {
        auto bits = static_cast<std::uint32_t>(it->first);
        if (bits == 0 || (flags.bits() & bits) != bits || (covered & bits) == bits) continue;
        covered |= bits;
        out = out.empty() ? std::string(it->second) : std::string(it->second) + "|" + out;
    }
    return out;
}

}  // namespace

std::string_view toString(SocketState s) { return nameOf(kStates, s); }
std::string_view toString(SocketError e) { return nameOf(kErrors, e); }
std::string_view toString(SocketType t) { return nameOf(kTypes, t); }
std::string_view toString(NetworkLayerProtocol p) { return nameOf(kProtocols, p); }
std::string_view toString(SocketOption o) { return nameOf(kOptions, o); }
std::string_view toString(BindFlag f) { return nameOf(kBindFlags, f); }
std::string_view toString(PauseMode m) { return nameOf(kPauseModes, m); }
std::string_view toString(OpenModeFlag f) { return nameOf(kOpenModes, f); }
std::string_view toString(NetworkProxy::ProxyType t) { return nameOf(kProxyTypes, t); }
std::string_view toString(DispatchOrder d) { return nameOf(kDispatchOrders, d); }
std::string toString(BindMode m) { return flagsToString(kBindFlags, m); }
std::string toString(OpenMode m) { return flagsToString(kOpenModes, m); }

std::optional<SocketState> parseSocketState(std::string_view s) { return valueOf(kStates, s); }
std::optional<SocketError> parseSocketError(std::string_view s) { return valueOf(kErrors, s); }
std::optional<SocketType> parseSocketType(std::string_view s) { return valueOf(kTypes, s); }
std::optional<NetworkLayerProtocol> parseNetworkLayerProtocol(std::string_view s) {
    return valueOf(kProtocols, s);
}
std::optional<SocketOption> parseSocketOption(std::string_view s) { return valueOf(kOptions, s); }
std::optional<BindFlag> parseBindFlag(std::string_view s) { return valueOf(kBindFlags, s); }
std::optional<PauseMode> parsePauseMode(std::string_view s) { return valueOf(kPauseModes, s); }
std::optional<OpenModeFlag> parseOpenModeFlag(std::string_view s) { return valueOf(kOpenModes, s); }
std::optional<NetworkProxy::ProxyType> parseProxyType(std::string_view s) { return valueOf(kProxyTypes, s); }
std::optional<DispatchOrder> parseDispatchOrder(std::string_view s) { return valueOf(kDispatchOrders, s); }

template <>
std::span<const SocketState> allValues<SocketState>() { return kStateValues; }
template <>
std::span<const SocketError> allValues<SocketError>() { return kErrorValues; }
template <>
std::span<const SocketOption> allValues<SocketOption>() { return kOptionValues; }
template <>
std::span<const NetworkProxy::ProxyType> allValues<NetworkProxy::ProxyType>() { return kProxyTypeValues; }
template <>
std::span<const DispatchOrder> allValues<DispatchOrder>() { return kDispatchOrderValues; }

}  // namespace simsock
