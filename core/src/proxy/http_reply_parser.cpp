// HTTP/1.x response head parsing for the CONNECT handshake.
#include "http_reply_parser.h"

#include <algorithm>
#include <cstring>

namespace simsock::detail {
namespace {

// Byte classes by value: a status line may carry any octet, and <cctype> is undefined for negative chars.
bool isDigitOctet(char c) { return c >= '0' && c <= '9'; }
char lowerOctet(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trimSpaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerOctet(x) == lowerOctet(y); });
}

}  // namespace

std::size_t HttpReplyParser::feed(const char* data, std::size_t size) {
    std::size_t used = 0;
    while (status_ == ParseStatus::Incomplete && used < size) {
        const char* start = data + used;
        const std::size_t rest = size - used;
        const void* nl = std::memchr(start, '\n', rest);
        const std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) + 1 : rest;
        if (headBytes_ + take > kMaxHeadBytes) {
            status_ = ParseStatus::Malformed;
            return used;
        }
        headBytes_ += take;
        used += take;
        if (!nl) {
            line_.append(start, take);
            break;
        }
        line_.append(start, take - 1);
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        const std::string line = std::move(line_);
        line_.clear();
        if (!takeLine(line)) status_ = ParseStatus::Malformed;
    }
    return used;
}

bool HttpReplyParser::takeLine(std::string_view line) {
    if (!sawStatusLine_) {
        sawStatusLine_ = true;
        return parseStatusLine(line);
    }
    if (line.empty()) {
        status_ = ParseStatus::Complete;
        return true;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || headers_.size() >= kMaxHeaders) return false;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), lowerOctet);
    headers_.emplace_back(std::move(name), std::string(trimSpaces(line.substr(colon + 1))));
    return true;
}

bool HttpReplyParser::parseStatusLine(std::string_view line) {
    // "HTTP/x.y NNN reason": the reason may be absent or hold any octets.
    constexpr std::string_view kPrefix = "HTTP/";
    if (line.size() < kPrefix.size() + 7 || line.substr(0, kPrefix.size()) != kPrefix) return false;
    const std::string_view v = line.substr(kPrefix.size());
    if (!isDigitOctet(v[0]) || v[1] != '.' || !isDigitOctet(v[2]) || v[3] != ' ') return false;
    major_ = v[0] - '0';
    minor_ = v[2] - '0';
    const std::string_view code = v.substr(4, 3);
    if (!std::all_of(code.begin(), code.end(), isDigitOctet)) return false;
    if (v.size() > 7 && v[7] != ' ') return false;
    statusCode_ = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    return true;
}

std::optional<std::string_view> HttpReplyParser::header(std::string_view name) const {
    for (const auto& [n, value] : headers_)
        if (equalsIgnoringCase(n, name)) return value;
    return std::nullopt;
}

}  // namespace simsock::detail
