#include "protocol.h"

namespace lineproto {
namespace {

// "<word> <id> <rest>" with a non-empty id and rest; rest may not hold a line break.
bool split(std::string_view line, std::string_view word, std::string& id, std::string& rest) {
    if (line.substr(0, word.size()) != word || line.size() <= word.size() || line[word.size()] != ' ') return false;
    line.remove_prefix(word.size() + 1);
    const auto space = line.find(' ');
    if (space == 0 || space == std::string_view::npos || space + 1 == line.size()) return false;
    id = std::string(line.substr(0, space));
    rest = std::string(line.substr(space + 1));
    return rest.find('\n') == std::string::npos;
}

}  // namespace

std::string encode(const Request& r) { return "GET " + r.id + " " + r.key + "\n"; }

std::string encode(const Response& r) { return "VALUE " + r.id + " " + r.value + "\n"; }

std::optional<Request> parseRequest(std::string_view line) {
    Request r;
    if (!split(line, "GET", r.id, r.key)) return std::nullopt;
    return r;
}

std::optional<Response> parseResponse(std::string_view line) {
    Response r;
    if (!split(line, "VALUE", r.id, r.value)) return std::nullopt;
    return r;
}

std::string valueOf(std::string_view key) { return "v(" + std::string(key) + ")"; }

}  // namespace lineproto
