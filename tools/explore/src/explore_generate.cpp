// Seed -> scenario. Every choice is explicit and bounded: at most 10 calls, 5 peer steps and 3 faults
// per case, times up to 3 s, and a run long enough for any orderly close to settle (see invariants.cpp).
#include <algorithm>

#include "simsock/check.h"
#include "simsock/engines.h"
#include "simsock/scenario/explore.h"
#include "simsock/signal_table.h"

namespace simsock::scenario::explore {
namespace {

constexpr std::uint16_t kPort = 8080;
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kSettleNs = 30'000 * kMs;
const char* const kServerAddress = "10.0.0.2";

template <typename T, std::size_t N>
const T& pick(Chooser& c, const T (&items)[N]) {
    return items[c.below(N)];
}

// "abc...zabc..." of length n, by doubling whole alphabets: appending a character at a time was a fifth
// of explore's time (payloads run to 20,000 bytes).
std::string patternText(std::int64_t n) {
    const std::size_t want = static_cast<std::size_t>(std::max<std::int64_t>(n, 0));
    std::string s = "abcdefghijklmnopqrstuvwxyz";
    s.reserve(want + s.size());
    while (s.size() * 2 <= want) s += s;  // stays a whole number of alphabets
    while (s.size() < want) s.append(s, 0, std::min(s.size(), want - s.size()));
    s.resize(want);
    return s;
}

std::int64_t timeMs(Chooser& c, std::int64_t maxMs) { return c.inRange(0, maxMs) * kMs; }

// How a case uses a fault kind: the host it acts on, the longest delay drawn (in 100 ms steps) when the kind
// takes one, and whether it may fire on a connection event instead of at a time. Kinds without a policy
// are not explored: the client never binds (address-in-use, access-denied) nor sends datagrams
// (datagram-limit), and partitions end by their duration (heal).
struct FaultPolicy {
    sim::FaultKind kind;
    const char* host;
    std::int64_t maxDelaySteps;
    bool onEvents;
};

using FK = sim::FaultKind;
constexpr FaultPolicy kFaultPolicies[] = {
    {FK::RefusePort, "server", 0, false},         {FK::DropSyn, "server", 0, false},
    {FK::CloseConnection, "server", 0, true},     {FK::ResetConnection, "server", 0, true},
    {FK::Partition, "server", 0, false},          {FK::HostUnreachable, "server", 30, false},
    {FK::NetworkUnreachable, "client", 0, false}, {FK::LookupFailure, "", 0, false},
    {FK::ConnectTimeout, "server", 20, false},    {FK::DescriptorExhaustion, "client", 0, false},
};

const FaultPolicy* policyOf(sim::FaultKind kind) {
    for (const auto& p : kFaultPolicies)
        if (p.kind == kind) return &p;
    return nullptr;
}

// The values of the fields the kind takes, in table order; each draws at most once.
void genFaultValues(Chooser& c, const sim::FaultKindInfo& row, const FaultPolicy& policy, sim::FaultValues& v) {
    using F = sim::FaultField;
    for (int i = 0; i < sim::kFaultFieldCount; ++i) {
        const auto field = static_cast<F>(i);
        if (!row.takes.has(field)) continue;
        switch (field) {
        case F::Host: v.host = policy.host; break;
        case F::OtherHost: v.otherHost = "client"; break;
        case F::Port: v.port = kPort; break;
        case F::Name: v.name = "server"; break;
        case F::Failure: v.failure = c.chance(50) ? sim::DnsFailure::NxDomain : sim::DnsFailure::ServFail; break;
        case F::Delay: v.delayNs = c.inRange(1, policy.maxDelaySteps) * 100 * kMs; break;
        case F::Limit: v.limit = 1'000; break;
        }
    }
}

}  // namespace

std::uint64_t SeedChooser::below(std::uint64_t n) {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (z ^ (z >> 31)) % n;
}

Swarm genSwarm(Chooser& c) {
    Swarm w;
    // Half the cases have no faults at all: those are the ones the data-loss rule can judge.
    bool faults = c.chance(50);
    for (const auto& row : sim::faultKinds())
        if (policyOf(row.kind) && c.chance(30) && faults) w.faultKinds.push_back(row.kind);
    w.peerEnds = c.chance(40);
    w.triggers = c.chance(50);
    w.blocking = c.chance(40);
    w.aborts = c.chance(40);
    w.lossyLink = c.chance(40);
    w.lookup = c.chance(30);
    return w;
}

LinkSpec genLink(Chooser& c, const Swarm& w) {
    static const std::int64_t kLatency[] = {50'000, 1 * kMs, 5 * kMs, 20 * kMs};
    static const std::int64_t kJitter[] = {0, 100'000, 1 * kMs};
    static const std::int64_t kBandwidth[] = {0, 50'000, 1'000'000};
    static const std::uint32_t kLoss[] = {1'000, 10'000, 50'000};
    LinkSpec l;
    l.a = "client";
    l.b = "server";
    l.latencyNs = pick(c, kLatency);
    if (std::int64_t j = pick(c, kJitter)) l.jitterNs = j;
    if (std::int64_t b = pick(c, kBandwidth)) l.bandwidthBytesPerSec = b;
    if (w.lossyLink) {
        l.lossPpm = pick(c, kLoss);
        if (c.chance(30)) l.duplicatePpm = 10'000;
        if (c.chance(30)) l.reorderPpm = 10'000;
    }
    return l;
}

PeerStep genPeerStep(Chooser& c, const Swarm& w) {
    using K = PeerStep::Kind;
    static const K kCalm[] = {K::Read, K::Send, K::Send, K::Echo, K::Delay};
    static const K kEnds[] = {K::Close, K::Reset, K::Silent};
    PeerStep s;
    s.kind = w.peerEnds && c.chance(25) ? pick(c, kEnds) : pick(c, kCalm);
    if (s.kind == K::Read) s.count = c.inRange(1, 5'000);
    if (s.kind == K::Send) s.data = patternText(c.inRange(1, 3'000));
    if (s.kind == K::Echo) s.count = c.chance(50) ? 0 : c.inRange(1, 5'000);
    if (s.kind == K::Delay) s.delayNs = timeMs(c, 500);
    return s;
}

std::optional<FaultEntry> genFault(Chooser& c, const Swarm& w) {
    if (w.faultKinds.empty()) return std::nullopt;
    FaultEntry f;
    f.kind = w.faultKinds[c.below(w.faultKinds.size())];
    const FaultPolicy& policy = *policyOf(f.kind);
    f.atNs = timeMs(c, 2'000);
    genFaultValues(c, sim::faultKindInfo(f.kind), policy, f.values);
    if (policy.onEvents && c.chance(60)) {
        f.atNs.reset();
        f.onEvent = c.chance(50) ? sim::FaultTrigger::Kind::OnAccept : sim::FaultTrigger::Kind::AfterBytes;
        if (f.onEvent == sim::FaultTrigger::Kind::AfterBytes) f.onBytes = c.inRange(1, 20'000);
    }
    if (c.chance(50)) f.durationNs = c.inRange(1, 30) * 100 * kMs;
    return f;
}

namespace {

Call genCall(Chooser& c, const Swarm& w) {
    static const Call kPlain[] = {Call::Write, Call::Write, Call::Write, Call::Read, Call::ReadAll, Call::Flush,
                                  Call::DisconnectFromHost, Call::ConnectToHost, Call::SetReadBufferSize};
    static const Call kAborts[] = {Call::Abort, Call::Close};
    static const Call kBlocking[] = {Call::WaitForConnected, Call::WaitForReadyRead, Call::WaitForBytesWritten,
                                     Call::WaitForDisconnected};
    if (w.aborts && c.chance(15)) return pick(c, kAborts);
    if (w.blocking && c.chance(25)) return pick(c, kBlocking);
    return pick(c, kPlain);
}

// Handlers run inside emissions: each fires once (readAll on every readyRead excepted), so a handler
// cannot feed itself for ever (a write on every readyRead against an echoing peer would).
SignalTrigger genTrigger(Chooser& c, Call call) {
    static const char* const kSignals[] = {"connected", "readyRead", "bytesWritten", "disconnected", "errorOccurred",
                                           "hostFound", "stateChanged(ConnectingState)", "stateChanged(ClosingState)"};
    SignalTrigger t;
    t.socket = "c";
    std::string sig = pick(c, kSignals);
    if (auto open = sig.find('('); open != std::string::npos) {
        t.args = sig.substr(open + 1, sig.size() - open - 2);
        sig.resize(open);
    }
    t.signal = sig;
    SIMSOCK_ASSERT(findSignal(t.signal) != nullptr);
    t.nth = static_cast<int>(c.inRange(1, 2));
    if (call == Call::ReadAll && t.signal == "readyRead" && c.chance(50)) t.times = -1;
    return t;
}

// The arguments the call takes, in table order; each draws at most once.
void genCallArgs(Chooser& c, const Swarm& w, ActionSpec& a) {
    const CallInfo& ci = callInfo(a.call);
    for (CallArg arg : callArgOrder()) {
        if (!ci.takes.has(arg)) continue;
        switch (arg) {
        case CallArg::Payload: a.data = patternText(c.chance(30) ? c.inRange(1, 20) : c.inRange(27, 20'000)); break;
        case CallArg::HostName: a.host = w.lookup ? "server" : kServerAddress; break;
        case CallArg::LocalAddress: a.host.clear(); break;
        case CallArg::RemoteAddress: a.host = kServerAddress; break;
        case CallArg::Port: a.port = c.chance(85) ? kPort : kPort + 1; break;
        case CallArg::MaxSize: a.size = c.inRange(1, 5'000); break;
        case CallArg::BufferSize: a.size = c.chance(30) ? 0 : c.inRange(1, 5'000); break;
        case CallArg::Option: a.option = SocketOption::LowDelayOption; break;
        case CallArg::Value: a.value = static_cast<int>(c.inRange(0, 1)); break;
        case CallArg::Timeout: a.timeoutMs = static_cast<int>(c.inRange(0, 300)); break;
        // No generated call takes these (genCall's lists): a case never draws for them.
        case CallArg::Byte:
        case CallArg::Tag:
        case CallArg::Pause:
        case CallArg::ProxyArg:
        case CallArg::Descriptor:
        case CallArg::StateArg:
        case CallArg::OpenModeArg:
        case CallArg::As: SIMSOCK_ASSERT(false); break;
        }
    }
}

}  // namespace

ActionSpec genAction(Chooser& c, const Swarm& w) {
    ActionSpec a;
    a.socket = "c";
    a.call = genCall(c, w);
    if (w.triggers && c.chance(30)) {
        a.on = genTrigger(c, a.call);
    } else {
        a.atNs = timeMs(c, 3'000);
    }
    genCallArgs(c, w, a);
    return a;
}

Scenario assembleCase(std::uint64_t simSeed, const Swarm& w, const LinkSpec& link, const std::vector<PeerStep>& steps,
                      const std::vector<FaultEntry>& faults, const std::vector<ActionSpec>& actions) {
    Scenario s;
    s.seed = simSeed;
    s.engines = {kDefaultEngine};
    s.network.hosts = {HostSpec{"client", {"10.0.0.1"}, false}, HostSpec{"server", {kServerAddress}, true}};
    s.network.links = {link};
    PeerSpec peer;
    peer.name = "srv";
    peer.host = "server";
    peer.port = kPort;
    peer.script.push_back(PeerStep{});  // accept: the default kind
    peer.script.insert(peer.script.end(), steps.begin(), steps.end());
    s.peers = {peer};
    s.faults = faults;
    SocketSpec sock;
    sock.name = "c";
    sock.type = "tcp";
    sock.host = "client";
    sock.connectTimeoutNs = 2'000 * kMs;  // a lost SYN decides in seconds, not in the default 30 s
    s.sockets = {sock};
    ActionSpec connect;
    connect.atNs = 0;
    connect.socket = "c";
    connect.call = Call::ConnectToHost;
    connect.host = w.lookup ? "server" : kServerAddress;
    connect.port = kPort;
    s.actions = {connect};
    s.actions.insert(s.actions.end(), actions.begin(), actions.end());
    // Timed calls in time order (a file reads best that way); handlers keep their relative order at the end.
    std::stable_sort(s.actions.begin(), s.actions.end(), [](const ActionSpec& x, const ActionSpec& y) {
        return x.atNs.value_or(INT64_MAX) < y.atNs.value_or(INT64_MAX);
    });
    std::int64_t last = 0, writes = 0;
    for (auto& a : s.actions) {
        last = std::max(last, a.atNs.value_or(0));
        if (a.call == Call::Write) a.id = "w" + std::to_string(++writes);
    }
    s.runForNs = last + kSettleNs;
    return s;
}

Scenario generateCase(std::uint64_t seed) {
    SeedChooser c(seed);
    Swarm w = genSwarm(c);
    LinkSpec link = genLink(c, w);
    std::vector<PeerStep> steps(static_cast<std::size_t>(c.inRange(0, 5)));
    for (auto& st : steps) st = genPeerStep(c, w);
    std::vector<FaultEntry> faults;
    for (std::int64_t i = c.inRange(0, 3); i > 0; --i)
        if (auto f = genFault(c, w)) faults.push_back(*f);
    std::vector<ActionSpec> actions(static_cast<std::size_t>(c.inRange(0, 10)));
    for (auto& a : actions) a = genAction(c, w);
    Scenario s = assembleCase(c.below(1'000'000) + 1, w, link, steps, faults, actions);
    s.description = "simsock explore case for seed " + std::to_string(seed);
    return s;
}

std::vector<std::uint64_t> shardSeeds(std::uint64_t first, std::uint64_t last, std::uint64_t index, std::uint64_t count) {
    std::vector<std::uint64_t> out;
    if (count == 0 || index >= count || first > last) return out;
    for (std::uint64_t s = first + index; s <= last && s >= first; s += count) out.push_back(s);
    return out;
}

}  // namespace simsock::scenario::explore
