// The invariants explore and the property tests check on every generated run. The grammar is core's
// (simsock/signal_grammar.h) in its re-entrant form: generated scenarios call into the socket from inside
// its handlers, so "right after" becomes "after, within the same connection attempt".
#include "simsock/scenario/invariants.h"

#include <algorithm>

namespace simsock::scenario {
namespace {

bool isStateChange(const TraceEvent& e, const char* state) {
    return e.signal == "stateChanged" && e.args.size() == 1 && e.args[0] == state;
}

// Once a run has settled this long before its end, every byte an orderly close promised has arrived
// (a few seconds of retransmissions on the lossiest generated link, and a full send buffer at 50 kB/s).
constexpr std::int64_t kSettleNs = 20'000'000'000;

}  // namespace

const char* kindName(Violation::Kind k) {
    switch (k) {
    case Violation::Kind::Grammar: return "signal grammar";
    case Violation::Kind::Determinism: return "determinism";
    case Violation::Kind::DataLoss: return "no data loss on orderly close";
    case Violation::Kind::Budget: return "run budget";
    }
    return "";
}

namespace {

TraceLine lineOf(const std::string& socket, const std::string& call, const std::string& signal) {
    TraceLine l;
    l.socket = socket;
    l.compact = call.empty() ? signal : call + "{" + signal + "}";
    return l;
}

// The order SEMANTICS.md requires where e broke it. hostFound and connected are emitted by the same step
// as the stateChanged they must follow, so that stateChanged carries e's call. Other rules have no
// two-event form; their line is e itself and the file's description names the rule.
std::vector<TraceLine> requiredOrder(const TraceEvent& e) {
    std::vector<TraceLine> out;
    if (e.signal == "hostFound") out.push_back(lineOf(e.object, e.call, "stateChanged(ConnectingState)"));
    if (e.signal == "connected") out.push_back(lineOf(e.object, e.call, "stateChanged(ConnectedState)"));
    TraceLine self;
    self.socket = e.object;
    self.compact = e.str();
    out.push_back(self);
    return out;
}

std::optional<Violation> grammarViolation(const Scenario& s, const Trace& trace) {
    for (const auto& sock : s.sockets) {
        if (sock.type != "tcp") continue;
        SignalGrammar g(SignalGrammar::Handlers::Reentrant);
        for (const auto& e : trace.events()) {
            // The grammar is the signals'; call events record what the program did.
            if (e.object != sock.name || e.isCall()) continue;
            std::string why = g.feed(e);
            if (!why.empty()) {
                Violation v;
                v.message = "grammar: " + sock.name + " " + why;
                v.expect.subsequence = requiredOrder(e);
                return v;
            }
        }
    }
    return std::nullopt;
}

// The data-loss rule applies only where nothing may legitimately lose bytes: one TCP socket talking to one
// accepting tcp-server peer that only reads (a peer that sends or echoes can leave bytes unread in the
// client's kernel at close, and Linux then answers with RST, which discards what the peer had not read);
// no faults; no abort; one connection, closed orderly (the socket's last event is disconnected, long
// enough before the end).
bool orderlyCase(const Scenario& s) {
    if (s.sockets.size() != 1 || s.sockets[0].type != "tcp" || s.peers.size() != 1 || !s.faults.empty()) return false;
    const PeerSpec& p = s.peers[0];
    if (p.kind != PeerSpec::Kind::TcpServer) return false;
    bool accepts = false;
    for (const auto& st : p.script) {
        using K = PeerStep::Kind;
        if (st.kind != K::Accept && st.kind != K::Read && st.kind != K::Delay) return false;
        accepts = accepts || st.kind == K::Accept;
    }
    for (const auto& a : s.actions)
        if (a.call == Call::Abort || (a.call == Call::Write && a.id.empty())) return false;
    return accepts;
}

bool closedOrderly(const Scenario& s, const Trace& trace) {
    int lookups = 0, connects = 0;
    const TraceEvent* last = nullptr;
    for (const auto& e : trace.events()) {
        if (e.object != s.sockets[0].name || e.isCall()) continue;
        lookups += isStateChange(e, "HostLookupState") ? 1 : 0;
        connects += e.signal == "connected" ? 1 : 0;
        bool harmless = !e.args.empty() && (e.args[0] == "OperationError" || e.args[0] == "SocketTimeoutError");
        if (e.signal == "errorOccurred" && !harmless) return false;
        last = &e;
    }
    return lookups == 1 && connects == 1 && last && last->signal == "disconnected" &&
           last->timeNs <= s.runForNs - kSettleNs;
}

std::optional<Violation> dataLossViolation(const Scenario& s, const Observation& obs) {
    if (!orderlyCase(s) || !closedOrderly(s, obs.trace)) return std::nullopt;
    std::int64_t accepted = 0;
    for (const auto& a : s.actions) {
        if (a.call != Call::Write) continue;
        auto it = obs.returns.find(a.id);
        if (it == obs.returns.end()) continue;
        if (const std::int64_t* n = std::get_if<std::int64_t>(&it->second); n && *n > 0) accepted += *n;
    }
    const std::string& peer = s.peers[0].name;
    auto got = obs.peers.find(peer);
    std::int64_t received = got == obs.peers.end() ? 0 : static_cast<std::int64_t>(got->second.received.size());
    if (received == accepted) return std::nullopt;
    Violation v;
    v.kind = Violation::Kind::DataLoss;
    v.message = "data loss: write() accepted " + std::to_string(accepted) + " bytes, the connection closed orderly, peer " +
                peer + " received " + std::to_string(received);
    v.expect.peers[peer].receivedBytes = accepted;
    return v;
}

}  // namespace

std::optional<Violation> checkInvariants(const Scenario& s, const RunResult& r) {
    // A run cut off by a bound is not checked further: it is a prefix of a run.
    for (const auto& f : r.failures) {
        if (f.rfind("budget: ", 0) != 0) continue;
        Violation v;
        v.kind = Violation::Kind::Budget;
        v.message = f;
        return v;
    }
    for (const auto& f : r.failures) {
        if (f.rfind("nondeterministic", 0) != 0) continue;
        Violation v;
        v.kind = Violation::Kind::Determinism;
        v.message = f;
        return v;
    }
    if (auto v = grammarViolation(s, r.observation.trace)) return v;
    return dataLossViolation(s, r.observation);
}

std::optional<Violation> runCase(const Scenario& original) {
    // The case's own expectations are not invariants: a generated case has none, a shrunk one has the
    // violation's, which must not make shrinking keep a case for failing them.
    Scenario s = original;
    s.expect = Expectations{};
    s.hasExpect = false;
    s.expectFailure.reset();
    s.engines = {"sim"};
    return checkInvariants(s, runScenario(s, RunOptions{"sim", std::nullopt}));
}

Scenario counterexample(Scenario s, const Violation& v, const std::string& foundBy) {
    s.expect = v.expect;
    s.hasExpect = true;
    s.expectFailure.reset();
    s.description = "Counterexample (" + std::string(kindName(v.kind)) + ") found by " + foundBy + ": " + v.message +
                    ". The expectations state the rule; the correct library passes this file.";
    return s;
}

}  // namespace simsock::scenario
