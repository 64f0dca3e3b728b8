// A reference model of one TCP client socket (SEMANTICS.md) and the system it is checked against: a real
// TcpSocket on a sim::Network, talking to a TcpServer on 127.0.0.1 whose accepted sockets are the peers.
//
// The model is deliberately small. It only predicts what SEMANTICS.md pins down; the commands' preconditions
// keep the run inside that region (for example, no peer data in flight while the client closes), so every
// prediction below is exact. Wild interleavings are invariants_test.cpp's job, where only the grammar holds.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "grammar.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock::testing {

using Events = std::vector<std::string>;

/// The bytes at offset [from, from + n) of every stream in these tests: a-z repeating, so that a lost,
/// duplicated or reordered byte shows up as a wrong letter.
inline std::string pattern(std::int64_t from, std::int64_t n) {
    std::string s(static_cast<std::size_t>(n), ' ');
    for (std::int64_t i = 0; i < n; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>('a' + (from + i) % 26);
    return s;
}

struct SocketModel {
    SocketState state = SocketState::UnconnectedState;
    bool open = false;
    bool refuse = false;        ///< the connect in flight goes to a closed port
    bool closePending = false;  ///< disconnectFromHost was called while connecting
    std::int64_t pendingWrite = 0;  ///< bytesToWrite()
    std::int64_t written = 0;       ///< bytes the app wrote on this connection (accepted by write)
    std::int64_t flushed = 0;       ///< bytes that left the buffer: after a settle the peer has exactly these
    bool peerUp = false;            ///< the server has accepted this connection (the loop ran since connect)
    bool peerClosing = false;       ///< the peer called disconnectFromHost; the client has not seen it yet
    bool peerBehind = false;        ///< bytes left the client since the loop last ran: the peer lacks them
    std::int64_t peerSent = 0;      ///< bytes the peer wrote on this connection
    std::int64_t inFlight = 0;      ///< peer bytes not yet in the client's buffer
    std::int64_t held = 0;          ///< arrived bytes the read buffer limit keeps in the engine
    std::int64_t available = 0;     ///< bytesAvailable()
    std::int64_t readTotal = 0;     ///< bytes the app read on this connection
    std::int64_t readLimit = 0;     ///< readBufferSize(); 0 = unlimited
    std::optional<SocketError> error;  ///< error() when the model knows it
};

namespace model {

inline std::string st(SocketState s) { return "stateChanged(" + std::string(toString(s)) + ")"; }
/// The events evs, as fired inside call.
inline Events inside(const std::string& call, Events evs) {
    for (auto& e : evs) e = call + "{" + e + "}";
    return evs;
}
inline const Events& closeTail() {
    static const Events t = {st(SocketState::UnconnectedState), "readChannelFinished()", "disconnected()"};
    return t;
}
inline void append(Events& to, const Events& from) { to.insert(to.end(), from.begin(), from.end()); }

/// Lets the engine hand over what it holds, as far as the read limit allows; the readyRead that causes.
inline Events takeHeld(SocketModel& m) {
    if (m.held == 0 || (m.readLimit > 0 && m.available >= m.readLimit)) return {};
    const std::int64_t take = m.readLimit > 0 ? std::min(m.readLimit - m.available, m.held) : m.held;
    m.available += take;
    m.held -= take;
    return {"readyRead(" + std::to_string(m.available) + ")"};
}

/// Two arrivals, in this order: bytes the engine held back (resumed by a read), then the bytes on the wire.
/// Each one that reaches the buffer is announced by its own readyRead.
inline Events deliver(SocketModel& m) {
    Events ev = takeHeld(m);
    m.held += m.inFlight;
    m.inFlight = 0;
    append(ev, takeHeld(m));
    return ev;
}

/// The connection is over (orderly or not): nothing more flows on it.
inline void endConnection(SocketModel& m) {
    m.state = SocketState::UnconnectedState;
    m.peerUp = m.peerClosing = m.closePending = m.refuse = false;
    m.inFlight = m.held = 0;
}

/// Everything the loop delivers once it has run long enough for loopback traffic to settle (>= 1 ms).
inline Events settle(SocketModel& m) {
    using S = SocketState;
    Events ev;
    if (m.state == S::ConnectingState && m.refuse) {
        ev = {st(S::UnconnectedState), "errorOccurred(ConnectionRefusedError)"};
        m.error = SocketError::ConnectionRefusedError;
        endConnection(m);
        return ev;
    }
    if (m.state == S::ConnectingState) {
        ev = {st(S::ConnectedState), "connected()"};
        m.state = S::ConnectedState;
        if (m.closePending) {  // preconditions keep the buffer empty here
            append(ev, {st(S::ClosingState)});
            append(ev, closeTail());
            endConnection(m);
            return ev;
        }
    }
    if (m.state == S::ConnectedState || m.state == S::ClosingState) {
        if (m.pendingWrite > 0) ev.push_back("bytesWritten(" + std::to_string(m.pendingWrite) + ")");
        m.flushed += m.pendingWrite;
        m.pendingWrite = 0;
        m.peerBehind = false;
        if (m.state == S::ClosingState) {
            append(ev, closeTail());
            endConnection(m);
            return ev;
        }
        m.peerUp = true;
        append(ev, deliver(m));
        if (m.peerClosing) {
            append(ev, {"errorOccurred(RemoteHostClosedError)", st(S::ClosingState)});
            append(ev, closeTail());
            m.error = SocketError::RemoteHostClosedError;
            endConnection(m);
        }
    }
    return ev;
}

}  // namespace model

/// The real thing: one client socket "c", a server on 127.0.0.1:kPort, and the sockets it accepted.
struct SocketSystem {
    static constexpr std::uint16_t kPort = 5000;
    static constexpr std::uint16_t kClosedPort = 5001;

    struct Peer {
        std::unique_ptr<TcpSocket> socket;
        std::string received;  ///< everything the peer read, in order
    };

    explicit SocketSystem(std::uint64_t seed) : net(seed), server(net) {
        server.listen(HostAddress("127.0.0.1"), kPort);
        server.newConnection.connect([this] {
            while (auto s = server.nextPendingConnection()) {
                auto p = std::make_unique<Peer>();
                Peer* raw = p.get();
                p->socket = std::move(s);
                p->socket->readyRead.connect([raw] { raw->received += raw->socket->readAll(); });
                peers.push_back(std::move(p));
            }
        });
        client.setObjectName("c");
    }

    /// The accepted socket on the other end of the client's connection, or null.
    Peer* findPeer() {
        if (client.state() != SocketState::ConnectedState) return nullptr;
        for (auto it = peers.rbegin(); it != peers.rend(); ++it)
            if ((*it)->socket->peerPort() == client.localPort()) return it->get();
        return nullptr;
    }
    /// The client's events recorded since the last call (and checks them against the grammar).
    Events take() {
        Events out;
        for (std::size_t i = seen; i < trace.events().size(); ++i) {
            out.push_back(trace.events()[i].str());
            if (grammarError.empty()) grammarError = grammar.feed(trace.events()[i]);
        }
        seen = trace.events().size();
        return out;
    }
    void runFor(std::int64_t ms) { net.loop().runUntil([] { return false; }, ms); }

    sim::Network net;
    TcpServer server;
    std::deque<std::unique_ptr<Peer>> peers;
    Trace trace;
    TcpSocket client{net};
    TraceRecorder recorder{client, trace};
    Peer* peer = nullptr;  ///< the current connection's peer, once the model says it was accepted
    GrammarChecker grammar;
    std::string grammarError;
    std::size_t seen = 0;
};

}  // namespace simsock::testing
