#include "line_server.h"

namespace lineproto {

LineServer::LineServer(simsock::TcpServer& server, simsock::EventLoop& loop, ServerOptions options,
                       std::function<void(simsock::TcpSocket&, std::int64_t)> onAccept)
    : server_(server), loop_(loop), options_(options), onAccept_(std::move(onAccept)) {
    connections_.push_back(server_.newConnection.connect([this] { accept(); }));
}

LineServer::~LineServer() {
    for (auto& c : connections_) c.disconnect();
    if (wakeTimer_ != simsock::kNoTimer) loop_.cancelTimer(wakeTimer_);
}

void LineServer::accept() {
    while (auto socket = server_.nextPendingConnection()) {
        simsock::TcpSocket& s = *socket;
        sockets_.push_back(std::move(socket));
        ++stats_.connections;
        if (onAccept_) onAccept_(s, stats_.connections);
        connections_.push_back(s.readyRead.connect([this, &s] { serve(s); }));
        serve(s);  // data may have arrived with the connection
    }
}

bool LineServer::silent() const { return silenced_; }

void LineServer::serve(simsock::TcpSocket& socket) {
    while (!silent() && socket.canReadLine()) {
        std::string line = socket.readLine();
        line.pop_back();
        auto request = parseRequest(line);
        if (!request) {
            ++stats_.badRequests;
            continue;
        }
        auto known = answers_.find(request->id);
        if (known == answers_.end()) {
            ++stats_.executed;
            known = answers_.emplace(request->id, valueOf(request->key)).first;
        } else {
            ++stats_.duplicateRequests;
        }
        socket.write(encode(Response{request->id, known->second}));
        if (++answeredRequests_ == options_.silentAfter) {
            silenced_ = true;
            if (options_.silentForNs >= 0)
                wakeTimer_ = loop_.startTimer(options_.silentForNs, [this] {
                    wakeTimer_ = simsock::kNoTimer;
                    silenced_ = false;
                    for (auto& s : sockets_)
                        if (s->state() == simsock::SocketState::ConnectedState) serve(*s);
                }, false);
        }
    }
}

}  // namespace lineproto
