// The lineproto client: what a real client needs around a socket. It sends `requests` requests (at most
// `window` unanswered at a time) and
//  - gives up a connection attempt after connectTimeout and an unanswered request after requestTimeout
//    (the connection is then aborted: a silent server is a broken server);
//  - reconnects after every loss with exponential backoff and "equal jitter" from a seeded random source:
//    base = min(backoffMax, backoffInitial * 2^(n-1)) for the n-th retry without progress, the delay
//    base/2 + a uniform draw in [0, base/2];
//  - resends every request still unanswered when a connection is lost (at-least-once; ids let the server
//    execute each once and the client count duplicate answers), in id order, before new ones;
//  - reports every request it cannot get answered as failed after maxAttempts tries without progress
//    (a try is a connection; progress is an answer), then stops;
//  - shuts down gracefully (disconnectFromHost) once every request is answered or failed.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "protocol.h"
#include "simsock/event_loop.h"
#include "simsock/program.h"
#include "simsock/tcp_socket.h"

namespace lineproto {

struct ClientOptions {
    std::string server;  ///< host name or address
    std::uint16_t port = 0;
    int requests = 1;
    int window = 1;       ///< unanswered requests at a time
    std::string idPrefix = "r";
    std::int64_t connectTimeoutNs = 1'000'000'000;
    std::int64_t requestTimeoutNs = 500'000'000;
    std::int64_t backoffInitialNs = 100'000'000;
    std::int64_t backoffMaxNs = 2'000'000'000;
    int maxAttempts = 5;
};

/// What the client did; the scenario's expect.programs checks these.
struct ClientStats {
    std::int64_t completed = 0;         ///< requests answered (each once)
    std::int64_t failed = 0;            ///< requests given up
    std::int64_t duplicateReplies = 0;  ///< answers to an id already answered
    std::int64_t badReplies = 0;        ///< malformed lines, unknown ids, wrong values
    std::int64_t resent = 0;            ///< requests sent again after a loss
    std::int64_t connectAttempts = 0;
    std::int64_t connects = 0;          ///< attempts that connected
    std::int64_t connectTimeouts = 0;
    std::int64_t requestTimeouts = 0;
    std::string backoffsMs;             ///< every retry delay, comma-separated ("51,180")
    std::string lastError;              ///< the last SocketError seen, Qt spelling
    bool done = false;
    std::int64_t doneAtNs = -1;         ///< when it finished (loop clock)
};

class LineClient {
public:
    /// The client drives socket (which must outlive it) on loop; where() gives the address to connect to
    /// (called at each attempt), random draws the jitter, log receives one line per decision.
    LineClient(simsock::TcpSocket& socket, simsock::EventLoop& loop, simsock::ProgramRandom& random,
               ClientOptions options, std::function<simsock::ProgramAddress()> where,
               std::function<void(const std::string&)> log);
    ~LineClient();
    LineClient(const LineClient&) = delete;
    LineClient& operator=(const LineClient&) = delete;

    /// Connects and starts sending.
    void start();
    const ClientStats& stats() const { return stats_; }
    /// Called once when every request is answered or failed.
    std::function<void()> onDone;

private:
    void connect();
    void onConnected();
    void onReadyRead();
    void handleLine(const std::string& line);
    void fill();
    void lost(const std::string& why);
    void retry();
    void finish();
    void armRequestTimer();
    void cancel(simsock::TimerId& timer);
    bool allSettled() const;

    simsock::TcpSocket& socket_;
    simsock::EventLoop& loop_;
    simsock::ProgramRandom& random_;
    ClientOptions options_;
    std::function<simsock::ProgramAddress()> where_;
    std::function<void(const std::string&)> log_;
    ClientStats stats_;
    int nextSeq_ = 1;                        // the next new request's number
    std::deque<Request> resend_;             // unanswered requests of lost connections, in id order
    std::map<int, Request> inFlight_;        // sent on this connection, by number
    std::set<std::string> answered_;
    int triesWithoutProgress_ = 0;
    bool live_ = false;                      // a connection attempt or connection is current
    simsock::TimerId connectTimer_ = simsock::kNoTimer;
    simsock::TimerId requestTimer_ = simsock::kNoTimer;
    simsock::TimerId retryTimer_ = simsock::kNoTimer;
    std::vector<simsock::Connection> connections_;
};

}  // namespace lineproto
