// The few DNS messages the run namespace's server (namespace_dns) needs: one question in, its answer out
// (RFC 1035). Only what glibc's stub resolver sends is understood; anything else is not a query to answer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "simsock/host_address.h"

namespace simsock::scenario::detail {

/// The one question of a standard query, as parsed from its packet.
struct DnsQuestion {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;     ///< the query's header flags (RD is echoed back)
    std::string name;            ///< lower case, without the trailing dot
    std::uint16_t type = 0;      ///< 1 = A, 28 = AAAA
    std::size_t end = 0;         ///< the offset just past the question (type and class included)
};

inline constexpr std::uint16_t kDnsTypeA = 1;
inline constexpr std::uint16_t kDnsTypeAaaa = 28;
inline constexpr std::size_t kDnsMaxQuery = 512;

/// Response codes the server answers with.
enum class DnsRcode : std::uint8_t { NoError = 0, ServFail = 2, NxDomain = 3 };

/// The question of a standard query (QR clear, opcode 0, one question of class IN); nullopt for anything
/// else, including truncated or malformed packets and names over 253 characters.
std::optional<DnsQuestion> parseDnsQuery(std::span<const std::uint8_t> packet);

/// The answer to query (whose parsed question is q): the question echoed, rcode, and one record per
/// address of q's type (A for IPv4, AAAA for IPv6; other addresses are left out) with TTL 0.
std::vector<std::uint8_t> buildDnsAnswer(std::span<const std::uint8_t> query, const DnsQuestion& q, DnsRcode rcode,
                                         const std::vector<HostAddress>& addresses);

}  // namespace simsock::scenario::detail
