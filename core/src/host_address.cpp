#include "simsock/host_address.h"

#include <arpa/inet.h>

namespace simsock {

HostAddress::HostAddress(SpecialAddress special) {
    switch (special) {
    case SpecialAddress::Null:
        break;
    case SpecialAddress::Broadcast:
        *this = fromIPv4(0xffffffffu);
        break;
    case SpecialAddress::LocalHost:
        *this = fromIPv4(0x7f000001u);
        break;
    case SpecialAddress::LocalHostIPv6: {
        std::array<std::uint8_t, 16> b{};
        b[15] = 1;
        *this = fromIPv6(b);
        break;
    }
    case SpecialAddress::Any:
        protocol_ = NetworkLayerProtocol::AnyIPProtocol;
        break;
    case SpecialAddress::AnyIPv6:
        *this = fromIPv6({});
        break;
    case SpecialAddress::AnyIPv4:
        *this = fromIPv4(0);
        break;
    }
}

HostAddress::HostAddress(std::string_view text) {
    if (auto parsed = parse(text)) *this = *parsed;
}

HostAddress HostAddress::fromIPv4(std::uint32_t hostOrder) {
    HostAddress a;
    a.protocol_ = NetworkLayerProtocol::IPv4Protocol;
    a.v4_ = hostOrder;
    return a;
}

HostAddress HostAddress::fromIPv6(const std::array<std::uint8_t, 16>& bytes) {
    HostAddress a;
    a.protocol_ = NetworkLayerProtocol::IPv6Protocol;
    a.v6_ = bytes;
    return a;
}

std::optional<HostAddress> HostAddress::parse(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 64) return std::nullopt;
    std::string s(text);
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return fromIPv4(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::array<std::uint8_t, 16> b{};
        for (int i = 0; i < 16; ++i) b[static_cast<std::size_t>(i)] = v6.s6_addr[i];
        return fromIPv6(b);
    }
    return std::nullopt;
}

bool HostAddress::isLoopback() const {
    if (protocol_ == NetworkLayerProtocol::IPv4Protocol) return (v4_ >> 24) == 127;
    if (protocol_ == NetworkLayerProtocol::IPv6Protocol) return *this == HostAddress(SpecialAddress::LocalHostIPv6);
    return false;
}

bool HostAddress::isAny() const {
    if (protocol_ == NetworkLayerProtocol::AnyIPProtocol) return true;
    if (protocol_ == NetworkLayerProtocol::IPv4Protocol) return v4_ == 0;
    if (protocol_ == NetworkLayerProtocol::IPv6Protocol) return v6_ == std::array<std::uint8_t, 16>{};
    return false;
}

std::string HostAddress::toString() const {
    char buf[INET6_ADDRSTRLEN] = {};
    switch (protocol_) {
    case NetworkLayerProtocol::IPv4Protocol: {
        // Dotted decimal by hand: inet_ntop goes through sprintf, and the sim formats an address for
        // every packet it logs.
        std::string out;
        out.reserve(15);
        for (int shift = 24; shift >= 0; shift -= 8) {
            const unsigned octet = (v4_ >> shift) & 0xffu;
            if (octet >= 100) out += static_cast<char>('0' + octet / 100);
            if (octet >= 10) out += static_cast<char>('0' + octet / 10 % 10);
            out += static_cast<char>('0' + octet % 10);
            if (shift) out += '.';
        }
        return out;
    }
    case NetworkLayerProtocol::IPv6Protocol: {
        in6_addr a{};
        for (int i = 0; i < 16; ++i) a.s6_addr[i] = v6_[static_cast<std::size_t>(i)];
        inet_ntop(AF_INET6, &a, buf, sizeof buf);
        return buf;
    }
    case NetworkLayerProtocol::AnyIPProtocol:
        return "::";
    default:
        return "";
    }
}

}  // namespace simsock
