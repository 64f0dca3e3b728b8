// The SOCKS5 server's answers (RFC 1928, RFC 1929) as pure incremental parsers: fed byte ranges in any
// split, each consumes exactly its own reply and leaves what follows (tunnel data) to the caller.
// Every reply has a bounded size, so the parsers never buffer more than 262 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "simsock/host_address.h"

namespace simsock::detail {

/// Where an incremental parse stands.
enum class ParseStatus : std::uint8_t {
    Incomplete,  ///< more bytes are needed
    Complete,    ///< the reply is whole; feed() consumed nothing beyond it
    Malformed,   ///< not a reply of this protocol (wrong version, bad field); feed() stops consuming
};

/// The method selection answer: VER METHOD.
class Socks5MethodParser {
public:
    /// Consumes bytes of data[0, size) up to the end of the reply; returns how many.
    std::size_t feed(const char* data, std::size_t size);
    ParseStatus status() const { return status_; }
    /// The chosen method (0x00 none, 0x02 user/password, 0xFF none acceptable); valid when Complete.
    std::uint8_t method() const { return method_; }

private:
    ParseStatus status_ = ParseStatus::Incomplete;
    std::size_t seen_ = 0;
    std::uint8_t method_ = 0;
};

/// The user/password subnegotiation answer (RFC 1929): VER(1) STATUS.
class Socks5AuthParser {
public:
    /// As Socks5MethodParser::feed.
    std::size_t feed(const char* data, std::size_t size);
    ParseStatus status() const { return status_; }
    /// True when the server accepted the credentials (STATUS 0); valid when Complete.
    bool accepted() const { return accepted_; }

private:
    ParseStatus status_ = ParseStatus::Incomplete;
    std::size_t seen_ = 0;
    bool accepted_ = false;
};

/// The CONNECT (or UDP ASSOCIATE) reply: VER REP RSV ATYP BND.ADDR BND.PORT. A reply code other than
/// success completes after its first three bytes, as Qt reports it without waiting for the address.
class Socks5ConnectReplyParser {
public:
    /// As Socks5MethodParser::feed.
    std::size_t feed(const char* data, std::size_t size);
    ParseStatus status() const { return status_; }
    /// REP: 0 success, 1-8 RFC 1928's failures, anything else unknown; valid when Complete.
    std::uint8_t replyCode() const { return reply_; }
    /// BND.ADDR for ATYP 1 and 4 (Null for a name), valid when Complete with reply 0.
    const HostAddress& boundAddress() const { return boundAddress_; }
    /// BND.ADDR for ATYP 3.
    const std::string& boundName() const { return boundName_; }
    std::uint16_t boundPort() const { return boundPort_; }

private:
    void finish();

    ParseStatus status_ = ParseStatus::Incomplete;
    std::uint8_t reply_ = 0;
    std::size_t need_ = 5;  // header bytes and the first address byte, then the whole reply's size
    std::string bytes_;     // at most 4 + 1 + 255 + 2 bytes
    HostAddress boundAddress_;
    std::string boundName_;
    std::uint16_t boundPort_ = 0;
};

}  // namespace simsock::detail
