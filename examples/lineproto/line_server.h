// The lineproto server: answers `GET <id> <key>` with `VALUE <id> v(<key>)`, executing each id once and
// answering a repeated id (a client's resend after a reset) from memory. For tests it can go silent: after
// silentAfter requests it stops reading (the data stays in the kernel and socket buffers) for silentFor,
// then catches up.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "protocol.h"
#include "simsock/event_loop.h"
#include "simsock/tcp_server.h"
#include "simsock/tcp_socket.h"

namespace lineproto {

struct ServerOptions {
    std::int64_t silentAfter = -1;  ///< requests answered before going silent; -1: never silent
    std::int64_t silentForNs = -1;  ///< how long it stays silent; -1: for ever
};

struct ServerStats {
    std::int64_t executed = 0;           ///< distinct ids executed
    std::int64_t duplicateRequests = 0;  ///< requests for an id already executed (answered from memory)
    std::int64_t badRequests = 0;
    std::int64_t connections = 0;
};

class LineServer {
public:
    /// Serves the connections server accepts (server must be listening or about to, and outlive this);
    /// onAccept sees each accepted connection first (to trace it).
    LineServer(simsock::TcpServer& server, simsock::EventLoop& loop, ServerOptions options,
               std::function<void(simsock::TcpSocket&, std::int64_t index)> onAccept = {});
    ~LineServer();
    LineServer(const LineServer&) = delete;
    LineServer& operator=(const LineServer&) = delete;
    const ServerStats& stats() const { return stats_; }

private:
    void accept();
    void serve(simsock::TcpSocket& socket);
    bool silent() const;

    simsock::TcpServer& server_;
    simsock::EventLoop& loop_;
    ServerOptions options_;
    std::function<void(simsock::TcpSocket&, std::int64_t)> onAccept_;
    ServerStats stats_;
    std::map<std::string, std::string> answers_;  // id -> value, for repeats
    std::int64_t answeredRequests_ = 0;
    bool silenced_ = false;
    simsock::TimerId wakeTimer_ = simsock::kNoTimer;
    std::vector<std::unique_ptr<simsock::TcpSocket>> sockets_;
    std::vector<simsock::Connection> connections_;
};

}  // namespace lineproto
