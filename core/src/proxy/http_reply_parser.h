// An HTTP proxy's answer to CONNECT: the status line and the header block, parsed incrementally from
// byte ranges in any split. It consumes exactly the head (up to the empty line) and leaves what follows
// (a body, or tunnel data) to the caller. The head is bounded: past kMaxHeadBytes it is Malformed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "socks5_reply_parser.h"  // ParseStatus

namespace simsock::detail {

class HttpReplyParser {
public:
    /// The largest head accepted (status line, headers and line ends); a longer one is Malformed.
    static constexpr std::size_t kMaxHeadBytes = 64 * 1024;
    /// At most this many header lines are kept; more make the head Malformed.
    static constexpr std::size_t kMaxHeaders = 256;

    /// Consumes bytes of data[0, size) up to the end of the head; returns how many.
    std::size_t feed(const char* data, std::size_t size);
    ParseStatus status() const { return status_; }

    /// Valid when Complete.
    int statusCode() const { return statusCode_; }
    int majorVersion() const { return major_; }
    int minorVersion() const { return minor_; }
    /// The first header named `name` (case-insensitive), or nullopt.
    std::optional<std::string_view> header(std::string_view name) const;

private:
    bool takeLine(std::string_view line);
    bool parseStatusLine(std::string_view line);

    ParseStatus status_ = ParseStatus::Incomplete;
    std::size_t headBytes_ = 0;
    std::string line_;  // the line being assembled, without its '\n'
    bool sawStatusLine_ = false;
    int statusCode_ = 0;
    int major_ = 0;
    int minor_ = 0;
    std::vector<std::pair<std::string, std::string>> headers_;  // names lower-cased
};

}  // namespace simsock::detail
