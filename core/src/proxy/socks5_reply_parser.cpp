// SOCKS5 reply parsing (RFC 1928 §6, RFC 1929 §2). Each parser keeps only what it still needs.
#include "socks5_reply_parser.h"

#include <array>

namespace simsock::detail {
namespace {

constexpr std::uint8_t kSocks5Version = 0x05;
constexpr std::uint8_t kPasswordAuthVersion = 0x01;
constexpr std::uint8_t kAtypIPv4 = 0x01;
constexpr std::uint8_t kAtypName = 0x03;
constexpr std::uint8_t kAtypIPv6 = 0x04;
constexpr std::size_t kConnectHeaderSize = 4;  // VER REP RSV ATYP

std::uint8_t octet(char c) { return static_cast<std::uint8_t>(c); }

}  // namespace

std::size_t Socks5MethodParser::feed(const char* data, std::size_t size) {
    std::size_t used = 0;
    while (status_ == ParseStatus::Incomplete && used < size) {
        const std::uint8_t b = octet(data[used++]);
        if (seen_++ == 0) {
            if (b != kSocks5Version) status_ = ParseStatus::Malformed;
            continue;
        }
        method_ = b;
        status_ = ParseStatus::Complete;
    }
    return used;
}

std::size_t Socks5AuthParser::feed(const char* data, std::size_t size) {
    std::size_t used = 0;
    while (status_ == ParseStatus::Incomplete && used < size) {
        const std::uint8_t b = octet(data[used++]);
        if (seen_++ == 0) {
            if (b != kPasswordAuthVersion) status_ = ParseStatus::Malformed;
            continue;
        }
        accepted_ = b == 0;
        status_ = ParseStatus::Complete;
    }
    return used;
}

std::size_t Socks5ConnectReplyParser::feed(const char* data, std::size_t size) {
    std::size_t used = 0;
    while (status_ == ParseStatus::Incomplete && used < size) {
        bytes_.push_back(data[used++]);
        const std::size_t n = bytes_.size();
        if (n == 3) {
            // Qt checks VER and RSV, then fails on a reply code before reading the address.
            if (octet(bytes_[0]) != kSocks5Version || octet(bytes_[2]) != 0) {
                status_ = ParseStatus::Malformed;
                break;
            }
            reply_ = octet(bytes_[1]);
            if (reply_ != 0) {
                status_ = ParseStatus::Complete;
                break;
            }
        } else if (n == kConnectHeaderSize + 1) {
            switch (octet(bytes_[3])) {
                case kAtypIPv4: need_ = kConnectHeaderSize + 4 + 2; break;
                case kAtypIPv6: need_ = kConnectHeaderSize + 16 + 2; break;
                case kAtypName: need_ = kConnectHeaderSize + 1 + octet(bytes_[4]) + 2; break;
                default: status_ = ParseStatus::Malformed; break;
            }
        }
        if (status_ == ParseStatus::Incomplete && n >= need_ && n > kConnectHeaderSize + 1) finish();
    }
    return used;
}

void Socks5ConnectReplyParser::finish() {
    const std::uint8_t atyp = octet(bytes_[3]);
    std::size_t pos = kConnectHeaderSize;
    if (atyp == kAtypIPv4) {
        std::uint32_t v4 = 0;
        for (int i = 0; i < 4; ++i) v4 = (v4 << 8) | octet(bytes_[pos++]);
        boundAddress_ = HostAddress::fromIPv4(v4);
    } else if (atyp == kAtypIPv6) {
        std::array<std::uint8_t, 16> v6{};
        for (auto& b : v6) b = octet(bytes_[pos++]);
        boundAddress_ = HostAddress::fromIPv6(v6);
    } else {
        const std::size_t len = octet(bytes_[pos++]);
        boundName_.assign(bytes_, pos, len);
        pos += len;
    }
    boundPort_ = static_cast<std::uint16_t>((octet(bytes_[pos]) << 8) | octet(bytes_[pos + 1]));
    status_ = ParseStatus::Complete;
}

}  // namespace simsock::detail
