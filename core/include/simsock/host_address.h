// An IPv4 or IPv6 address, as QHostAddress models it.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "simsock/socket_types.h"

namespace simsock {

class HostAddress {
public:
    enum class SpecialAddress { Null, Broadcast, LocalHost, LocalHostIPv6, Any, AnyIPv6, AnyIPv4 };

    /// The Null address.
    HostAddress() = default;
    HostAddress(SpecialAddress special);  // NOLINT: implicit, as QHostAddress allows
    /// Parses a literal ("127.0.0.1", "::1", "[::1]"); Null if it is not one.
    explicit HostAddress(std::string_view text);
    static HostAddress fromIPv4(std::uint32_t hostOrder);
    static HostAddress fromIPv6(const std::array<std::uint8_t, 16>& bytes);
    /// The parsed address, or nullopt when text is not a literal address.
    static std::optional<HostAddress> parse(std::string_view text);

    bool isNull() const { return protocol_ == NetworkLayerProtocol::UnknownNetworkLayerProtocol; }
    /// IPv4Protocol, IPv6Protocol, AnyIPProtocol (for Any) or UnknownNetworkLayerProtocol (Null).
    NetworkLayerProtocol protocol() const { return protocol_; }
    std::uint32_t toIPv4Address() const { return v4_; }
    const std::array<std::uint8_t, 16>& toIPv6Address() const { return v6_; }
    bool isLoopback() const;
    /// Any, AnyIPv4 or AnyIPv6.
    bool isAny() const;
    /// "127.0.0.1", "::1"; the empty string for Null; Any prints as "::" (dual stack), like Qt.
    std::string toString() const;

    friend bool operator==(const HostAddress&, const HostAddress&) = default;
    friend std::strong_ordering operator<=>(const HostAddress&, const HostAddress&) = default;

private:
    NetworkLayerProtocol protocol_ = NetworkLayerProtocol::UnknownNetworkLayerProtocol;
    std::uint32_t v4_ = 0;
    std::array<std::uint8_t, 16> v6_{};
};

}  // namespace simsock
