// A scripted fake proxy for the socket-level tests: a TcpServer that, on each accepted connection, answers
// scripted bytes once the client has sent enough, records what every connection sent, and after the
// script may play the target through the tunnel (send, close). Works over any Backend.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "simsock/simsock.h"

namespace simsock::testing {

/// One scripted answer: sent once the connection has received `after` bytes in total; then the
/// connection closes if `close` is set.
struct ProxyStep {
    std::size_t after = 0;
    std::string reply;
    bool close = false;
    std::int64_t delayMs = 0;  ///< the answer leaves this long after its condition held
};

class FakeProxy {
public:
    /// Listens on 127.0.0.1:port; every connection plays `script` (or scripts[i] for the i-th one when
    /// perConnection is used).
    FakeProxy(Backend& backend, std::uint16_t port) : backend_(backend), server_(backend) {
        listening_ = server_.listen(HostAddress("127.0.0.1"), port);
        server_.newConnection.connect([this] {
            while (auto s = server_.nextPendingConnection()) adopt(std::move(s));
        });
    }
    bool listening() const { return listening_; }
    std::uint16_t port() const { return server_.serverPort(); }

    /// The script every connection plays (unless a per-connection one exists).
    void setScript(std::vector<ProxyStep> script) { script_ = std::move(script); }
    /// The script the i-th connection (0-based) plays.
    void setScriptFor(std::size_t i, std::vector<ProxyStep> script) {
        if (perConnection_.size() <= i) perConnection_.resize(i + 1);
        perConnection_[i] = std::move(script);
    }

    std::size_t connections() const { return conns_.size(); }
    /// What connection i sent so far.
    const std::string& received(std::size_t i = 0) const { return conns_.at(i)->in; }
    /// The accepted socket of connection i (the proxy's end: to write as the target, close ...).
    TcpSocket& socket(std::size_t i = 0) { return *conns_.at(i)->socket; }

private:
    struct Conn {
        std::unique_ptr<TcpSocket> socket;
        std::vector<ProxyStep> script;
        std::size_t next = 0;
        std::string in;
        bool waiting = false;  // a delayed answer is pending
    };

    void adopt(std::unique_ptr<TcpSocket> s) {
        auto c = std::make_unique<Conn>();
        const std::size_t index = conns_.size();
        c->script = index < perConnection_.size() && !perConnection_[index].empty() ? perConnection_[index] : script_;
        c->socket = std::move(s);
        Conn* raw = c.get();
        c->socket->readyRead.connect([this, raw] { pump(*raw); });
        conns_.push_back(std::move(c));
        pump(*raw);  // a step with after = 0 answers at once
    }

    void pump(Conn& c) {
        if (c.socket->state() == SocketState::ConnectedState) c.in += c.socket->readAll();
        // Bounded by the script's length.
        while (!c.waiting && c.next < c.script.size() && c.in.size() >= c.script[c.next].after &&
               c.socket->state() == SocketState::ConnectedState) {
            const ProxyStep& step = c.script[c.next];
            if (step.delayMs > 0) {
                c.waiting = true;
                backend_.loop().startTimer(step.delayMs * 1'000'000, [this, &c] {
                    c.waiting = false;
                    play(c);
                    pump(c);
                }, false);
                return;
            }
            play(c);
        }
    }
    void play(Conn& c) {
        const ProxyStep& step = c.script[c.next++];
        if (c.socket->state() != SocketState::ConnectedState) return;
        if (!step.reply.empty()) c.socket->write(step.reply);
        if (step.close) c.socket->disconnectFromHost();
    }

    Backend& backend_;
    TcpServer server_;
    bool listening_ = false;
    std::vector<ProxyStep> script_;
    std::vector<std::vector<ProxyStep>> perConnection_;
    std::vector<std::unique_ptr<Conn>> conns_;
};

/// Bytes from a list of octets: bytes({0x05, 0x00}).
inline std::string bytes(std::initializer_list<int> octets) {
    std::string s;
    for (int o : octets) s.push_back(static_cast<char>(o));
    return s;
}

}  // namespace simsock::testing
