// Invariants over random command sequences on random links (latency, jitter, loss, bandwidth) between two
// simulated hosts: the signal grammar, determinism of the whole trace, and no data loss under back-pressure.
// Reproduce as described at the top of model_test.cpp (RC_PARAMS seed / reproduce).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "simsock/sim/sim_backend.h"
#include "socket_model.h"

namespace simsock::testing {
namespace {

constexpr std::uint16_t kPort = 8080;
const char* const kServerAddress = "10.0.0.2";

enum class Act { Connect, ConnectClosed, Write, Read, Flush, Disconnect, Abort, Close, ReadLimit, WaitConnected,
                 WaitReadyRead, WaitBytesWritten, PeerSend, PeerClose, PeerAbort, Advance };

struct Step {
    Act act = Act::Advance;
    std::int64_t amount = 1;  ///< bytes, a limit, or milliseconds, depending on act
};

struct Scenario {
    std::uint64_t seed = 1;
    sim::LinkParams link;
    int sendBuffer = 0;     ///< SO_SNDBUF on both ends; 0 = the stack's default
    int receiveBuffer = 0;  ///< SO_RCVBUF on both ends
    std::int64_t readLimit = 0;
    bool waitInsideReadyRead = false;  ///< provokes nesting: the readyRead handler blocks for more data
    std::vector<Step> steps;
};

sim::LinkParams genLink() {
    sim::LinkParams p;
    p.latencyNs = *rc::gen::inRange<std::int64_t>(10'000, 20'000'000);
    p.jitterNs = *rc::gen::inRange<std::int64_t>(0, 5'000'000);
    p.lossPpm = *rc::gen::element<std::uint32_t>(0u, 10'000u, 100'000u, 300'000u);
    p.bandwidthBytesPerSec = *rc::gen::element<std::int64_t>(0, 50'000, 1'000'000, 100'000'000);
    return p;
}

Scenario genScenario(int maxSteps) {
    Scenario s;
    s.seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
    s.link = genLink();
    s.sendBuffer = *rc::gen::element(0, 2304, 4608, 65536);
    s.receiveBuffer = *rc::gen::element(0, 2304, 4608, 65536);
    s.readLimit = *rc::gen::element<std::int64_t>(0, 0, 1, 100, 4096);
    s.waitInsideReadyRead = *rc::gen::arbitrary<bool>();
    // Start connected most of the time, and weight traffic and time above the ways of ending a connection,
    // so that most runs get somewhere before they close.
    s.steps.push_back({Act::Connect, 1});
    const auto n = *rc::gen::inRange(0, maxSteps + 1);
    for (int i = 0; i < n; ++i) {
        Step st;
        st.act = *rc::gen::weightedElement<Act>(
            {{2, Act::Connect}, {1, Act::ConnectClosed}, {4, Act::Write}, {3, Act::Read}, {1, Act::Flush},
             {1, Act::Disconnect}, {1, Act::Abort}, {1, Act::Close}, {1, Act::ReadLimit}, {1, Act::WaitConnected},
             {1, Act::WaitReadyRead}, {1, Act::WaitBytesWritten}, {4, Act::PeerSend}, {1, Act::PeerClose},
             {1, Act::PeerAbort}, {6, Act::Advance}});
        st.amount = *rc::gen::inRange<std::int64_t>(1, 20'000);
        s.steps.push_back(st);
    }
    return s;
}

/// A client on "local", a server on "srv" over the scenario's link; records the client's trace.
struct Chaos {
    explicit Chaos(const Scenario& sc) : s(sc), net(sc.seed), srvHost(net, "srv"), server(srvHost) {
        net.addHost("srv", {HostAddress(kServerAddress)});
        net.setLink("local", "srv", sc.link);
        server.listen(HostAddress(kServerAddress), kPort);
        server.newConnection.connect([this] {
            while (auto p = server.nextPendingConnection()) {
                applyBuffers(*p);
                peers.push_back(std::move(p));
            }
        });
        client = std::make_unique<TcpSocket>(net);
        client->setObjectName("c");
        recorder = std::make_unique<TraceRecorder>(*client, trace);
        applyBuffers(*client);
        client->setReadBufferSize(sc.readLimit);
        client->readyRead.connect([this] { onReadyRead(); });
    }
    void applyBuffers(TcpSocket& t) const {
        if (s.sendBuffer) t.setSocketOption(SocketOption::SendBufferSizeSocketOption, s.sendBuffer);
        if (s.receiveBuffer) t.setSocketOption(SocketOption::ReceiveBufferSizeSocketOption, s.receiveBuffer);
    }
    void onReadyRead() {
        maxDepth = std::max(maxDepth, ++depth);
        // Blocking for more data inside the handler is where a nested readyRead would come from.
        if (s.waitInsideReadyRead && (++readyReads % 3) == 0) client->waitForReadyRead(5);
        --depth;
    }
    TcpSocket* peer() {
        for (auto it = peers.rbegin(); it != peers.rend(); ++it)
            if ((*it)->state() == SocketState::ConnectedState) return it->get();
        return nullptr;
    }
    void connectClient(std::uint16_t port) { client->connectToHost(kServerAddress, port); }
    void runFor(std::int64_t ms) { net.loop().runUntil([] { return false; }, ms); }
    void step(const Step& st);
    /// Runs every step, lets the network settle, then destroys the client and counts later signals.
    void runAll() {
        for (const auto& st : s.steps) step(st);
        runFor(2'000);
        const auto before = trace.events().size();
        client.reset();  // the recorder outlives the socket: anything recorded from here on is a bug
        runFor(2'000);
        signalsAfterDestruction = trace.events().size() - before;
        recorder.reset();
    }

    const Scenario& s;
    sim::Network net;
    sim::SimBackend srvHost;  // the server and what it accepts live on "srv"; the client on "local"
    TcpServer server;
    std::vector<std::unique_ptr<TcpSocket>> peers;
    Trace trace;
    std::unique_ptr<TcpSocket> client;
    std::unique_ptr<TraceRecorder> recorder;
    int depth = 0, maxDepth = 0, readyReads = 0;
    std::size_t signalsAfterDestruction = 0;
};

void Chaos::step(const Step& st) {
    TcpSocket& c = *client;
    const auto n = st.amount;
    switch (st.act) {
    case Act::Connect: connectClient(kPort); break;
    case Act::ConnectClosed: connectClient(kPort + 1); break;
    case Act::Write: c.write(pattern(0, n)); break;
    case Act::Read: c.read(n); break;
    case Act::Flush: c.flush(); break;
    case Act::Disconnect: c.disconnectFromHost(); break;
    case Act::Abort: c.abort(); break;
    case Act::Close: c.close(); break;
    case Act::ReadLimit: c.setReadBufferSize(n % 3 == 0 ? 0 : n % 5000); break;
    case Act::WaitConnected: c.waitForConnected(static_cast<int>(n % 50)); break;
    case Act::WaitReadyRead: c.waitForReadyRead(static_cast<int>(n % 50)); break;
    case Act::WaitBytesWritten: c.waitForBytesWritten(static_cast<int>(n % 50)); break;
    case Act::PeerSend: if (auto* p = peer()) p->write(pattern(0, n)); break;
    case Act::PeerClose: if (auto* p = peer()) p->disconnectFromHost(); break;
    case Act::PeerAbort: if (auto* p = peer()) p->abort(); break;
    case Act::Advance: runFor(n % 200); break;
    }
}

RC_GTEST_PROP(Invariants, SignalGrammarHoldsUnderRandomCommandsAndLinks, ()) {
    const Scenario sc = genScenario(40);
    Chaos run(sc);
    run.runAll();
    bool connected = false, remoteClosed = false;
    for (const auto& e : run.trace.events()) {
        connected = connected || e.signal == "connected";
        remoteClosed = remoteClosed || (e.signal == "errorOccurred" && e.args[0] == "RemoteHostClosedError");
    }
    RC_CLASSIFY(connected, "connected");
    RC_CLASSIFY(remoteClosed, "remote close");
    GrammarChecker g;
    const std::string why = g.feedAll(run.trace);
    RC_ASSERT(why == "");
    RC_ASSERT(run.maxDepth <= 1);
    RC_ASSERT(run.signalsAfterDestruction == 0u);
}

RC_GTEST_PROP(Invariants, SameSeedGivesAByteIdenticalTrace, ()) {
    const Scenario sc = genScenario(40);
    Chaos a(sc);
    a.runAll();
    Chaos b(sc);
    b.runAll();
    RC_ASSERT(a.trace.serialize() == b.trace.serialize());
}

/// Streams pattern bytes in random chunks: writes the next chunk every gapMs while connected.
struct Sender {
    std::vector<std::int64_t> chunks;
    std::int64_t gapMs = 1;
    std::size_t next = 0;
    std::int64_t offset = 0;
    std::int64_t total() const {
        std::int64_t t = 0;
        for (auto c : chunks) t += c;
        return t;
    }
    void start(EventLoop& loop, TcpSocket& to) {
        if (next == chunks.size()) return;
        to.write(pattern(offset, chunks[next]));
        offset += chunks[next++];
        loop.singleShot(gapMs, [this, &loop, &to] { start(loop, to); });
    }
    bool done() const { return next == chunks.size(); }
};

Sender genSender() {
    Sender s;
    s.chunks = *rc::gen::container<std::vector<std::int64_t>>(*rc::gen::inRange<std::size_t>(1, 8),
                                                              rc::gen::inRange<std::int64_t>(1, 30'000));
    s.gapMs = *rc::gen::inRange<std::int64_t>(0, 20);
    return s;
}

// Both ends stream under random latency, loss and back-pressure; the client closes once it has everything.
RC_GTEST_PROP(Invariants, OrderlyCloseDeliversEveryByteOnceInOrder, ()) {
    Scenario sc = genScenario(1);
    sc.waitInsideReadyRead = false;
    Sender up = genSender(), down = genSender();
    const auto readChunk = *rc::gen::inRange<std::int64_t>(1, 5000);
    Chaos run(sc);
    TcpSocket& c = *run.client;
    std::string clientGot, peerGot;
    TcpSocket* peer = nullptr;
    auto drain = [&] { clientGot += c.read(readChunk); };
    c.readyRead.connect(drain);
    run.server.newConnection.connect([&] {
        peer = run.peers.back().get();
        peer->readyRead.connect([&] { peerGot += peer->readAll(); });
        down.start(run.net.loop(), *peer);
    });
    c.connected.connect([&] { up.start(run.net.loop(), c); });
    // A reader that is not told (the tail past a full read buffer gets no readyRead) polls, and the client
    // closes once it has written everything and received the whole stream.
    run.net.loop().startTimer(3'000'000, [&] {
        drain();
        if (up.done() && clientGot.size() == static_cast<std::size_t>(down.total()) &&
            c.state() == SocketState::ConnectedState)
            c.disconnectFromHost();
    }, true);
    run.connectClient(kPort);
    const bool finished = run.net.loop().runUntil([&] {
        return c.state() == SocketState::UnconnectedState && peer && peer->state() == SocketState::UnconnectedState;
    }, 3'600'000);
    const std::string where = std::string(toString(c.state())) + " peer " +
                              (peer ? std::string(toString(peer->state())) : "none") + " client got " +
                              std::to_string(clientGot.size()) + " peer got " + std::to_string(peerGot.size());
    if (!finished) RC_FAIL(where);
    if (peer) peerGot += peer->readAll();
    RC_ASSERT(clientGot == pattern(0, down.total()));
    RC_ASSERT(peerGot == pattern(0, up.total()));
    for (const auto& e : run.trace.events()) RC_ASSERT(e.signal != std::string("errorOccurred"));
    RC_ASSERT(run.trace.events().back().signal == std::string("disconnected"));
}

// However data and the close race on the link, the error comes while the client is still connected, and
// the trace ends with one of SEMANTICS.md's two remote-close tails.
RC_GTEST_PROP(Invariants, RemoteCloseIsReportedWhileConnected, ()) {
    Scenario sc = genScenario(1);
    sc.waitInsideReadyRead = false;
    Sender up = genSender(), down = genSender();
    const bool peerAborts = *rc::gen::arbitrary<bool>();
    const auto closeAfterMs = *rc::gen::inRange<std::int64_t>(0, 200);
    Chaos run(sc);
    TcpSocket& c = *run.client;
    TcpSocket* peer = nullptr;
    run.server.newConnection.connect([&] {
        peer = run.peers.back().get();
        down.start(run.net.loop(), *peer);
        run.net.loop().singleShot(closeAfterMs, [&] { peerAborts ? peer->abort() : peer->disconnectFromHost(); });
    });
    // The client must read: with a full read buffer the engine is not read, and the close stays unseen (Qt too).
    c.readyRead.connect([&] { c.readAll(); });
    c.connected.connect([&] { up.start(run.net.loop(), c); });
    run.connectClient(kPort);
    if (!run.net.loop().runUntil([&] { return c.state() == SocketState::UnconnectedState; }, 3'600'000)) {
        std::string why = "client never saw the close; peer " +
                          (peer ? std::string(toString(peer->state())) : std::string("none")) + "; trace:";
        for (const auto& e : run.trace.compact("c")) why += " " + e;
        RC_FAIL(why);
    }
    std::vector<std::string> tail;
    for (const auto& e : run.trace.events()) {
        if (e.signal == "errorOccurred") RC_ASSERT(e.state == std::string("ConnectedState"));
        if (e.signal != "readyRead" && e.signal != "bytesWritten") tail.push_back(e.str());
    }
    const std::vector<std::string> head = {"connectToHost{stateChanged(HostLookupState)}",
                                           "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}",
                                           "stateChanged(ConnectedState)", "connected()"};
    std::vector<std::string> closeTail = head, resetTail = head;
    for (const char* e : {"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                          "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"})
        closeTail.push_back(e);
    for (const char* e : {"errorOccurred(RemoteHostClosedError)", "aboutToClose()", "stateChanged(UnconnectedState)",
                          "readChannelFinished()", "disconnected()"})
        resetTail.push_back(e);
    RC_ASSERT(tail == closeTail || tail == resetTail);
}

}  // namespace
}  // namespace simsock::testing
