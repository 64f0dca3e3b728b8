// Model-based test: random command sequences run against a real TcpSocket on the sim engine and against
// SocketModel (socket_model.h); after every command state, device, buffers and the exact signals agree.
//
// Reproducing a failure: RapidCheck prints the seed and a `reproduce` string. CTest runs this binary with
//   RC_PARAMS="seed=20261125 max_success=100"
// By hand:
//   RC_PARAMS="seed=20261125 max_success=100" ./simsock_property_test --gtest_filter='SocketModel.*'
//   RC_PARAMS="reproduce=<string printed by the failure>" ./simsock_property_test --gtest_filter='SocketModel.*'
// Add verbose_progress=1 to see each case, noshrink=1 to skip shrinking.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include "socket_model.h"

namespace simsock::testing {
namespace {

using S = SocketState;
using Cmd = rc::state::Command<SocketModel, SocketSystem>;

// Peer bytes will reach the client's buffer when the loop next runs.
bool arrivalPending(const SocketModel& m) {
    return m.inFlight > 0 || (m.held > 0 && (m.readLimit == 0 || m.available < m.readLimit));
}
// Connected with nothing coming from the peer: client-side writes and closes have one predictable order.
bool connectedQuiet(const SocketModel& m) {
    return m.state == S::ConnectedState && !arrivalPending(m) && !m.peerClosing;
}

// Checks everything observable against the model after a command, and that the command emitted exactly want.
void agree(const SocketModel& m, SocketSystem& s, const Events& want) {
    auto join = [](const Events& evs) {
        std::string out;
        for (const auto& e : evs) out += e + " ";
        return out;
    };
    RC_ASSERT(join(s.take()) == join(want));
    RC_ASSERT(s.grammarError == "");
    RC_ASSERT(std::string(toString(s.client.state())) == std::string(toString(m.state)));
    RC_ASSERT(s.client.isOpen() == m.open);
    RC_ASSERT(s.client.bytesToWrite() == m.pendingWrite);
    RC_ASSERT(s.client.bytesAvailable() == m.available);
    RC_ASSERT(s.client.readBufferSize() == m.readLimit);
    if (m.error) RC_ASSERT(std::string(toString(s.client.error())) == std::string(toString(*m.error)));
    if (m.peerUp && !s.peer) s.peer = s.findPeer();
    RC_ASSERT(!m.peerUp || s.peer != nullptr);
}

struct ConnectTo : Cmd {
    bool open = *rc::gen::weightedElement<bool>({{4, true}, {1, false}});
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.state == S::UnconnectedState && m.available == 0);
    }
    void apply(SocketModel& m) const override {
        const auto limit = m.readLimit;
        m = SocketModel{};
        m.readLimit = limit;
        m.state = S::ConnectingState;
        m.open = true;
        m.refuse = !open;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.peer = nullptr;
        s.client.connectToHost("127.0.0.1", open ? SocketSystem::kPort : SocketSystem::kClosedPort);
        auto next = m;
        apply(next);
        agree(next, s, model::inside("connectToHost", {model::st(S::HostLookupState), model::st(S::ConnectingState),
                                                        "hostFound()"}));
    }
    void show(std::ostream& os) const override { os << "connectToHost(" << (open ? "open" : "closed") << " port)"; }
};

struct ConnectWhileBusy : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.state == S::ConnectingState || m.state == S::ConnectedState);
    }
    void apply(SocketModel& m) const override { m.error = SocketError::OperationError; }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.client.connectToHost("127.0.0.1", SocketSystem::kPort);
        auto next = m;
        apply(next);
        // Qt's qWarning first (the warning channel), then the error.
        agree(next, s, {"connectToHost{warning(\"QAbstractSocket::connectToHost() called when already looking up or "
                        "connecting/connected to \\\"127.0.0.1\\\"\")}",
                        "connectToHost{errorOccurred(OperationError)}"});
    }
    void show(std::ostream& os) const override { os << "connectToHost(while busy)"; }
};

struct Write : Cmd {
    std::int64_t n = *rc::gen::inRange<std::int64_t>(1, 3000);
    void checkPreconditions(const SocketModel& m) const override {
        const bool connecting = m.state == S::ConnectingState && !m.refuse && !m.closePending;
        RC_PRE(m.state == S::UnconnectedState || connecting || connectedQuiet(m));
        RC_PRE(m.pendingWrite + n <= 8000);
    }
    void apply(SocketModel& m) const override {
        if (m.state == S::UnconnectedState) {
            // Qt's writeData: setError(UnknownSocketError, "Socket is not connected") without emitting.
            if (m.open) m.error = SocketError::UnknownSocketError;
            return;
        }
        m.pendingWrite += n;
        m.written += n;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        const auto r = s.client.write(pattern(m.written, n));
        RC_ASSERT(r == (m.state == S::UnconnectedState ? -1 : n));
        auto next = m;
        apply(next);
        // A device never opened (or closed) refuses with QIODevice's warning; an open one silently.
        Events want;
        if (!m.open) want = {"write{warning(\"QIODevice::write (TcpSocket): device not open\")}"};
        agree(next, s, want);
    }
    void show(std::ostream& os) const override { os << "write(" << n << ")"; }
};

struct Read : Cmd {
    std::int64_t k = *rc::gen::inRange<std::int64_t>(1, 200);
    void checkPreconditions(const SocketModel& m) const override {
        // Reading below the limit resumes held bytes; SEMANTICS.md does not order that against a pending write.
        RC_PRE(m.open && !(m.pendingWrite > 0 && m.held > 0));
    }
    void apply(SocketModel& m) const override {
        const auto got = std::min(k, m.available);
        m.available -= got;
        m.readTotal += got;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        const std::string data = s.client.read(k);
        RC_ASSERT(data == pattern(m.readTotal, std::min(k, m.available)));
        auto next = m;
        apply(next);
        agree(next, s, {});
    }
    void show(std::ostream& os) const override { os << "read(" << k << ")"; }
};

struct Flush : Cmd {
    void checkPreconditions(const SocketModel& m) const override { RC_PRE(connectedQuiet(m)); }
    void apply(SocketModel& m) const override {
        m.peerBehind = m.peerBehind || m.pendingWrite > 0;
        m.flushed += m.pendingWrite;
        m.pendingWrite = 0;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        RC_ASSERT(s.client.flush() == (m.pendingWrite > 0));
        auto next = m;
        apply(next);
        agree(next, s, m.pendingWrite > 0 ? Events{"flush{bytesWritten(" + std::to_string(m.pendingWrite) + ")}"} : Events{});
    }
    void show(std::ostream& os) const override { os << "flush()"; }
};

struct Disconnect : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        const bool connecting = m.state == S::ConnectingState && !m.refuse && m.pendingWrite == 0;
        RC_PRE(m.state == S::UnconnectedState || connecting || connectedQuiet(m));
    }
    void apply(SocketModel& m) const override {
        if (m.state == S::ConnectingState) m.closePending = true;
        if (m.state != S::ConnectedState) return;
        if (m.pendingWrite > 0) {
            m.state = S::ClosingState;
        } else {
            model::endConnection(m);
        }
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.client.disconnectFromHost();
        Events want;
        if (m.state == S::ConnectedState) {
            want = {model::st(S::ClosingState)};
            if (m.pendingWrite == 0) model::append(want, model::closeTail());
        }
        auto next = m;
        apply(next);
        agree(next, s, model::inside("disconnectFromHost", want));
    }
    void show(std::ostream& os) const override { os << "disconnectFromHost()"; }
};

struct Abort : Cmd {
    void apply(SocketModel& m) const override {
        model::endConnection(m);
        m.open = false;
        m.pendingWrite = m.available = 0;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.client.abort();
        Events want;
        if (m.open) want = {"aboutToClose()"};
        if (m.state != S::UnconnectedState) model::append(want, {model::st(S::UnconnectedState), "readChannelFinished()"});
        if (m.state == S::ConnectedState || m.state == S::ClosingState) want.push_back("disconnected()");
        auto next = m;
        apply(next);
        agree(next, s, model::inside("abort", want));
    }
    void show(std::ostream& os) const override { os << "abort()"; }
};

struct Close : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.state == S::UnconnectedState || connectedQuiet(m));
    }
    void apply(SocketModel& m) const override {
        m.open = false;
        m.available = 0;  // closing the device drops its read buffer
        if (m.state == S::ConnectedState && m.pendingWrite > 0) m.state = S::ClosingState;
        else if (m.state == S::ConnectedState) model::endConnection(m);
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.client.close();
        Events want;
        if (m.open) want = {"aboutToClose()"};
        if (m.state == S::ConnectedState) {
            want.push_back(model::st(S::ClosingState));
            if (m.pendingWrite == 0) model::append(want, model::closeTail());
        }
        auto next = m;
        apply(next);
        agree(next, s, model::inside("close", want));
    }
    void show(std::ostream& os) const override { os << "close()"; }
};

struct SetReadBufferSize : Cmd {
    std::int64_t n = *rc::gen::weightedOneOf<std::int64_t>({{2, rc::gen::just<std::int64_t>(0)},
                                                             {3, rc::gen::inRange<std::int64_t>(1, 64)}});
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.inFlight == 0 && m.held == 0 && !m.peerClosing);
    }
    void apply(SocketModel& m) const override { m.readLimit = n; }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.client.setReadBufferSize(n);
        auto next = m;
        apply(next);
        agree(next, s, {});
    }
    void show(std::ostream& os) const override { os << "setReadBufferSize(" << n << ")"; }
};

struct WaitForConnected : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.state == S::UnconnectedState || m.state == S::ConnectedState ||
               (m.state == S::ConnectingState && !m.closePending));
    }
    void apply(SocketModel& m) const override {
        if (m.state != S::ConnectingState) return;
        if (m.refuse) {
            m.error = SocketError::ConnectionRefusedError;
            model::endConnection(m);
        } else {
            // Returns at once: the server may not have accepted yet. simsock writes buffered data as the
            // connection is established, so it leaves inside this call (SEMANTICS.md: "bytesWritten follows").
            m.state = S::ConnectedState;
            m.peerBehind = m.pendingWrite > 0;
            m.flushed += m.pendingWrite;
            m.pendingWrite = 0;
        }
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        const bool ok = s.client.waitForConnected(20);
        RC_ASSERT(ok == (m.state == S::ConnectedState || (m.state == S::ConnectingState && !m.refuse)));
        Events want;
        if (m.state == S::ConnectingState && m.refuse)
            want = {model::st(S::UnconnectedState), "errorOccurred(ConnectionRefusedError)"};
        else if (m.state == S::ConnectingState)
            want = {model::st(S::ConnectedState), "connected()"};
        if (m.state == S::ConnectingState && !m.refuse && m.pendingWrite > 0)
            want.push_back("bytesWritten(" + std::to_string(m.pendingWrite) + ")");
        auto next = m;
        apply(next);
        agree(next, s, model::inside("waitForConnected", want));
    }
    void show(std::ostream& os) const override { os << "waitForConnected(20)"; }
};

struct WaitForReadyRead : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        RC_PRE(m.state == S::ConnectedState && m.pendingWrite == 0 && !m.peerClosing);
        // Bytes held back by a full read buffer make the outcome depend on engine internals: keep out.
        const bool blocked = m.readLimit > 0 && m.available >= m.readLimit;
        RC_PRE(!(blocked && m.inFlight + m.held > 0));
        RC_PRE(!(m.held > 0 && m.inFlight > 0));  // two arrivals; the wait returns after the first
    }
    void apply(SocketModel& m) const override {
        if (m.inFlight + m.held == 0) {
            m.error = SocketError::SocketTimeoutError;
            m.peerUp = true;  // 20 virtual ms passed: the server has accepted and read everything
            m.peerBehind = false;
            return;
        }
        model::deliver(m);
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        const bool ok = s.client.waitForReadyRead(20);
        auto next = m;
        apply(next);
        const Events want = m.inFlight + m.held > 0 ? Events{"readyRead(" + std::to_string(next.available) + ")"}
                                                    : Events{"errorOccurred(SocketTimeoutError)"};
        RC_ASSERT(ok == (m.inFlight + m.held > 0));
        agree(next, s, model::inside("waitForReadyRead", want));
    }
    void show(std::ostream& os) const override { os << "waitForReadyRead(20)"; }
};

struct WaitForBytesWritten : Cmd {
    void checkPreconditions(const SocketModel& m) const override { RC_PRE(connectedQuiet(m)); }
    void apply(SocketModel& m) const override {
        m.peerBehind = m.peerBehind || m.pendingWrite > 0;
        m.flushed += m.pendingWrite;
        m.pendingWrite = 0;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        RC_ASSERT(s.client.waitForBytesWritten(20) == (m.pendingWrite > 0));
        Events want;
        if (m.pendingWrite > 0) want = {"bytesWritten(" + std::to_string(m.pendingWrite) + ")"};
        auto next = m;
        apply(next);
        agree(next, s, model::inside("waitForBytesWritten", want));
    }
    void show(std::ostream& os) const override { os << "waitForBytesWritten(20)"; }
};

bool peerMaySend(const SocketModel& m) {
    return m.state == S::ConnectedState && m.peerUp && m.pendingWrite == 0 && !m.peerClosing;
}

struct PeerSend : Cmd {
    std::int64_t n = *rc::gen::inRange<std::int64_t>(1, 3000);
    void checkPreconditions(const SocketModel& m) const override { RC_PRE(peerMaySend(m)); }
    void apply(SocketModel& m) const override {
        m.inFlight += n;
        m.peerSent += n;
    }
    void run(const SocketModel& m, SocketSystem& s) const override {
        RC_ASSERT(s.peer != nullptr);
        RC_ASSERT(s.peer->socket->write(pattern(m.peerSent, n)) == n);
        auto next = m;
        apply(next);
        agree(next, s, {});
    }
    void show(std::ostream& os) const override { os << "peer.write(" << n << ")"; }
};

struct PeerClose : Cmd {
    void checkPreconditions(const SocketModel& m) const override {
        // A peer that closes before the client's last bytes reach it never reads them: keep that out, so
        // that "the peer received every flushed byte" stays checkable.
        RC_PRE(peerMaySend(m) && m.readLimit == 0 && m.held == 0 && !m.peerBehind);
    }
    void apply(SocketModel& m) const override { m.peerClosing = true; }
    void run(const SocketModel& m, SocketSystem& s) const override {
        RC_ASSERT(s.peer != nullptr);
        s.peer->socket->disconnectFromHost();
        auto next = m;
        apply(next);
        agree(next, s, {});
    }
    void show(std::ostream& os) const override { os << "peer.disconnectFromHost()"; }
};

struct Advance : Cmd {
    std::int64_t ms = *rc::gen::inRange<std::int64_t>(1, 30);
    void apply(SocketModel& m) const override { model::settle(m); }
    void run(const SocketModel& m, SocketSystem& s) const override {
        s.runFor(ms);
        auto next = m;
        const Events want = model::settle(next);
        agree(next, s, want);
        // Every byte that left the client's buffer has reached the peer application, once, in order.
        if (s.peer && m.state != S::ConnectingState) RC_ASSERT(s.peer->received == pattern(0, next.flushed));
    }
    void show(std::ostream& os) const override { os << "advance(" << ms << " ms)"; }
};

}  // namespace
}  // namespace simsock::testing

namespace {

using namespace simsock::testing;

RC_GTEST_PROP(SocketModel, RealSocketFollowsTheModel, ()) {
    const auto seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
    SocketSystem sys(seed);
    rc::state::check(SocketModel{}, sys,
                     rc::state::gen::execOneOfWithArgs<ConnectTo, ConnectWhileBusy, Write, Read, Flush, Disconnect,
                                                       Abort, Close, SetReadBufferSize, WaitForConnected,
                                                       WaitForReadyRead, WaitForBytesWritten, PeerSend, PeerSend,
                                                       PeerClose, Advance, Advance, Advance>());
}

}  // namespace
