#include "dns_message.h"

#include <algorithm>
#include <cctype>

namespace simsock::scenario::detail {
namespace {

constexpr std::size_t kDnsHeader = 12;
constexpr std::size_t kDnsMaxName = 253;
constexpr std::uint16_t kDnsClassIn = 1;

std::uint16_t readU16(std::span<const std::uint8_t> p, std::size_t at) {
    return static_cast<std::uint16_t>((p[at] << 8) | p[at + 1]);
}

void putU16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

}  // namespace

std::optional<DnsQuestion> parseDnsQuery(std::span<const std::uint8_t> packet) {
    if (packet.size() < kDnsHeader || packet.size() > kDnsMaxQuery) return std::nullopt;
    DnsQuestion q;
    q.id = readU16(packet, 0);
    q.flags = readU16(packet, 2);
    const bool isResponse = (q.flags & 0x8000) != 0;
    const int opcode = (q.flags >> 11) & 0xf;
    if (isResponse || opcode != 0 || readU16(packet, 4) != 1) return std::nullopt;
    // Labels are read until the root; a compression pointer has no place in a query's only question.
    std::size_t at = kDnsHeader;
    for (;;) {
        if (at >= packet.size()) return std::nullopt;
        const std::uint8_t len = packet[at++];
        if (len == 0) break;
        if (len > 63 || at + len > packet.size()) return std::nullopt;
        if (!q.name.empty()) q.name += '.';
        for (std::size_t i = 0; i < len; ++i)
            q.name += static_cast<char>(std::tolower(packet[at + i]));
        at += len;
        if (q.name.size() > kDnsMaxName) return std::nullopt;
    }
    if (at + 4 > packet.size()) return std::nullopt;
    q.type = readU16(packet, at);
    if (readU16(packet, at + 2) != kDnsClassIn) return std::nullopt;
    q.end = at + 4;
    return q;
}

std::vector<std::uint8_t> buildDnsAnswer(std::span<const std::uint8_t> query, const DnsQuestion& q, DnsRcode rcode,
                                         const std::vector<HostAddress>& addresses) {
    std::vector<const HostAddress*> matching;
    for (const HostAddress& a : addresses) {
        const bool v4 = a.protocol() == NetworkLayerProtocol::IPv4Protocol;
        const bool v6 = a.protocol() == NetworkLayerProtocol::IPv6Protocol;
        if (rcode == DnsRcode::NoError && ((q.type == kDnsTypeA && v4) || (q.type == kDnsTypeAaaa && v6)))
            matching.push_back(&a);
    }
    std::vector<std::uint8_t> out;
    putU16(out, q.id);
    // QR, AA and RA set; RD echoed from the query; the opcode is 0 (parseDnsQuery saw to it).
    putU16(out, static_cast<std::uint16_t>(0x8400 | 0x0080 | (q.flags & 0x0100) | static_cast<std::uint16_t>(rcode)));
    putU16(out, 1);
    putU16(out, static_cast<std::uint16_t>(matching.size()));
    putU16(out, 0);
    putU16(out, 0);
    out.insert(out.end(), query.begin() + kDnsHeader, query.begin() + static_cast<std::ptrdiff_t>(q.end));
    for (const HostAddress* a : matching) {
        putU16(out, 0xc000 | kDnsHeader);  // the name: a pointer to the question's
        putU16(out, q.type);
        putU16(out, kDnsClassIn);
        putU16(out, 0);
        putU16(out, 0);  // TTL 0: nothing may keep the answer beyond the run's own cache
        if (q.type == kDnsTypeA) {
            const std::uint32_t v = a->toIPv4Address();
            putU16(out, 4);
            for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
        } else {
            putU16(out, 16);
            const auto& bytes = a->toIPv6Address();
            out.insert(out.end(), bytes.begin(), bytes.end());
        }
    }
    return out;
}

}  // namespace simsock::scenario::detail
