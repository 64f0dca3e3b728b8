// lineproto: a line-based request/response protocol. One request, one line: `GET <id> <key>`; one answer,
// one line: `VALUE <id> <value>`. Ids are chosen by the client and unique per client, so a request resent
// after a reset is recognisable on both sides: the server executes an id once and answers a repeat from
// its memory, the client counts an answer to an id it already has as a duplicate.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lineproto {

struct Request {
    std::string id;
    std::string key;
};

struct Response {
    std::string id;
    std::string value;
};

/// "GET <id> <key>\n".
std::string encode(const Request& r);
/// "VALUE <id> <value>\n".
std::string encode(const Response& r);
/// A request line without its "\n"; nullopt when malformed.
std::optional<Request> parseRequest(std::string_view line);
/// A response line without its "\n"; nullopt when malformed.
std::optional<Response> parseResponse(std::string_view line);
/// What the server answers for key (the example's whole database).
std::string valueOf(std::string_view key);

}  // namespace lineproto
