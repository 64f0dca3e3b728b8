// One execution of a scenario on a world: sockets and servers with recorders, peers, faults, timed and
// signal-triggered actions (each call recorded as a call event), then the final observation.
#include <algorithm>
#include <memory>
#include <optional>

#include "program_run.h"
#include "run_budget.h"
#include "simsock/scenario/peer.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/check.h"
#include "simsock/scenario/runner.h"
#include "simsock/signal_table.h"
#include "simsock/tcp_socket.h"
#include "simsock/udp_socket.h"
#include "socket_calls.h"

namespace simsock::scenario {
namespace {

// How often the sim's loop asks the budget, in events, and how long a real engine's loop runs between
// two looks at it.
constexpr std::uint64_t kBudgetCheckEvents = 1024;
constexpr std::int64_t kBudgetSliceNs = 50'000'000;

SocketType typeOf(const SocketSpec& s) { return s.type == "udp" ? SocketType::UdpSocket : SocketType::TcpSocket; }

class Execution final : private CallContext {
public:
    Execution(const Scenario& s, World& w, const RunLimits& limits) : s_(s), w_(w), limits_(limits) {}

    Observation run() {
        // Virtual clocks start at 0, real ones do not: scenario times count from here.
        baseNs_ = w_.loop().nowNs();
        budget_.emplace(limits_, w_.loop(), baseNs_);
        createSockets();
        createServers();
        for (const auto& f : s_.faults) {
            std::string err = w_.injectFault(f);
            if (!err.empty()) obs_.problems.push_back(std::string("fault ") + sim::toString(f.kind) + ": " + err);
        }
        startPeers();
        applyProxies();
        schedulePrograms();
        installTriggers();
        scheduleActions();
        runWithinBudget(baseNs_ + s_.runForNs);
        obs_.budget = budget_->message();
        for (auto& p : programs_) p->finish();
        stopRecording();
        collect();
        rebaseTimes();
        teardown();
        return std::move(obs_);
    }

private:
    // The sim's loop asks the budget every kBudgetCheckEvents events, inside nested waits too; a real
    // engine's loop cannot be asked, so it runs in slices with the budget checked between them.
    void runWithinBudget(std::int64_t endNs) {
        detail::RunBudget& budget = *budget_;
        const bool asked = w_.setStopCheck(kBudgetCheckEvents, [this, &budget](std::uint64_t events) {
            return budget.exceeded(events, recorded());
        });
        budget.setVirtualTime(asked);
        if (asked) {
            w_.runUntilNs(endNs);
            w_.setStopCheck(0, nullptr);  // the check refers to this execution, which is about to end
            return;
        }
        for (std::int64_t now = w_.loop().nowNs(); now < endNs && !budget.exceeded(0, recorded());
             now = w_.loop().nowNs())
            w_.runUntilNs(std::min(endNs, now + kBudgetSliceNs));
    }

    // What --trace would write so far: the signals and calls, and the peer and network log.
    std::uint64_t recorded() { return obs_.trace.events().size() + w_.log().size(); }

    struct TriggerState {
        int seen = 0;
    };

    // Sockets a server accepts exist once a nextPendingConnection names them (adopt).
    void createSockets() {
        for (const auto& spec : s_.sockets) {
            specs_.emplace(spec.name, &spec);
            if (!spec.acceptedBy.empty()) continue;
            Backend& b = w_.backendOn(spec.host);
            if (spec.type == "udp") {
                addSocket(spec, std::make_unique<UdpSocket>(b));
            } else {
                addSocket(spec, std::make_unique<TcpSocket>(b));
            }
        }
    }

    void addSocket(const SocketSpec& spec, std::unique_ptr<AbstractSocket> socket) {
        auto sock = std::make_unique<SocketUnderTest>();
        sock->socket = std::move(socket);
        sock->socket->setObjectName(spec.name);
        sock->recorder = std::make_unique<TraceRecorder>(*sock->socket, obs_.trace);
        configureSocket(*sock->socket, spec);
        socks_.emplace(spec.name, std::move(sock));
    }

    void createServers() {
        for (const auto& spec : s_.servers) {
            auto server = std::make_unique<ServerUnderTest>();
            server->server = std::make_unique<TcpServer>(w_.backendOn(spec.host));
            recordServerSignals(*server, spec.name, w_.loop(), obs_.trace);
            servers_.emplace(spec.name, std::move(server));
            serverHosts_.emplace(spec.name, spec.host);
        }
    }

    void startPeers() {
        auto locator = [this](const HostAddress& a, std::uint16_t port) { return locate(a, port); };
        for (const auto& spec : s_.peers) {
            std::string err;
            auto p = makeRunningPeer(s_, spec, w_, locator, err);
            if (p) peers_.push_back(std::move(p));
            if (!err.empty()) obs_.problems.push_back(err);
        }
        for (auto& p : peers_) {
            std::string err = p->start();
            if (!err.empty()) obs_.problems.push_back(err);
        }
    }

    // spec with the proxy's host and port as this world has them (a name no host has is left to the lookup).
    ProxySpec realiseProxy(const ProxySpec& spec, const std::string& fromHost) {
        ProxySpec r = spec;
        if (spec.host.empty()) return r;
        if (auto to = w_.endpointOf(spec.host, spec.port, SocketType::TcpSocket, fromHost)) {
            r.host = to->address.toString();
            r.port = to->port;
        }
        return r;
    }

    // Proxies are set once the peers listen: on a real engine a proxy's port is known only then. The
    // application proxy is process-wide; teardown() puts the previous one back.
    void applyProxies() {
        for (auto& [name, sut] : socks_) {
            const SocketSpec& spec = *specs_.at(name);
            configureProxy(*sut, spec, spec.proxy ? std::optional(realiseProxy(*spec.proxy, spec.host)) : std::nullopt);
        }
        if (s_.applicationProxy) {
            previousApplicationProxy_ = NetworkProxy::applicationProxy();
            const std::string from = s_.sockets.empty() ? std::string() : s_.sockets.front().host;
            NetworkProxy::setApplicationProxy(makeNetworkProxy(realiseProxy(*s_.applicationProxy, from)));
        }
    }

    // Programs start after the peers (a peer listens before a program connects) and before the actions
    // of the same time; those starting together start in file order, from one timer.
    void schedulePrograms() {
        std::map<std::int64_t, std::vector<ProgramRun*>> byTime;
        for (const auto& spec : s_.programs) {
            programs_.push_back(std::make_unique<ProgramRun>(spec, s_, w_, obs_.trace, baseNs_));
            byTime[spec.startNs].push_back(programs_.back().get());
        }
        for (const auto& [at, group] : byTime) {
            std::int64_t delay = baseNs_ + at - w_.loop().nowNs();
            w_.loop().startTimer(delay < 0 ? 0 : delay, [members = group] {
                for (ProgramRun* p : members) p->start();
            }, false);
        }
    }

    // Names the socket under test (or peer) at address:port, for the diagram. A socket's port is only
    // known while it is connected, so a lone socket on the address's host is the fallback.
    std::string locate(const HostAddress& address, std::uint16_t port) const {
        for (const auto& [name, s] : socks_)
            if (s->socket && s->socket->localPort() == port && port != 0) return name;
        for (const auto& p : s_.peers)
            if (p.port == port && port != 0) return p.name;
        std::string host;
        for (const auto& h : s_.network.hosts)
            for (const auto& a : h.addresses)
                if (HostAddress(a) == address) host = h.name;
        std::string only;
        int count = 0;
        for (const auto& spec : s_.sockets) {
            if (spec.host != host) continue;
            only = spec.name;
            ++count;
        }
        return count == 1 ? only : std::string();
    }

    // Each trigger listens to its one signal (the loader checked the name against the signal tables), after
    // the recorder and after the triggers of earlier actions on the same object. An accepted socket's
    // triggers are installed when it is adopted.
    void installTriggers() {
        triggerStates_.resize(s_.actions.size());
        for (const auto& [name, sock] : socks_) installSocketTriggers(name);
        for (std::size_t i = 0; i < s_.actions.size(); ++i) {
            const ActionSpec& a = s_.actions[i];
            if (!a.on || !a.on->server) continue;
            ServerUnderTest& src = *servers_.at(a.on->socket);
            const ServerSignalInfo* signal = findServerSignal(a.on->signal);
            SIMSOCK_ASSERT(signal != nullptr);
            src.connections.push_back(signal->connect(*src.server, [this, i](std::vector<std::string> args) {
                onSignal(i, args);
            }));
        }
    }

    void installSocketTriggers(const std::string& name) {
        SocketUnderTest& src = *socks_.at(name);
        for (std::size_t i = 0; i < s_.actions.size(); ++i) {
            const ActionSpec& a = s_.actions[i];
            if (!a.on || a.on->server || a.on->socket != name) continue;
            const SignalInfo* signal = findSignal(a.on->signal);
            SIMSOCK_ASSERT(signal != nullptr);
            src.connections.push_back(signal->connect(*src.socket, [this, i](std::vector<std::string> args) {
                onSignal(i, args);
            }));
        }
    }

    // The comma-joined arguments, as a trigger spells them: "ConnectedState".
    static std::string joined(const std::vector<std::string>& args) {
        std::string out;
        for (std::size_t k = 0; k < args.size(); ++k) out += (k ? "," : "") + args[k];
        return out;
    }

    void onSignal(std::size_t i, const std::vector<std::string>& args) {
        const ActionSpec& a = s_.actions[i];
        const SignalTrigger& t = *a.on;
        if (!t.args.empty() && joined(args) != t.args) return;
        int n = ++triggerStates_[i].seen;
        if (n < t.nth || (t.times >= 0 && n >= t.nth + t.times)) return;
        perform(a);
    }

    bool untilHolds(const ActionSpec& a) const {
        if (!a.untilReadBytes) return false;
        auto it = socks_.find(a.socket);
        return it != socks_.end() && static_cast<std::int64_t>(it->second->read.size()) >= *a.untilReadBytes;
    }

    // One timer per distinct time, running its actions in file order: "actions at the same time run in
    // file order", with nothing between them. On a real clock, separate timers for one time may fire in
    // any order, and the loop may deliver I/O between them.
    void scheduleActions() {
        std::map<std::int64_t, std::vector<const ActionSpec*>> byTime;
        for (const auto& a : s_.actions)
            if (a.atNs) byTime[*a.atNs].push_back(&a);
        for (const auto& [at, group] : byTime) {
            std::int64_t delay = baseNs_ + at - w_.loop().nowNs();
            w_.loop().startTimer(delay < 0 ? 0 : delay, [this, actions = group] { runTimed(actions); }, false);
        }
    }

    // A program blocked in waitFor* runs none of its own timed code until the call returns (Qt's blocking
    // calls do not even spin the event loop). Timed actions that fall due meanwhile wait for it, so a
    // slow real engine cannot nest them inside the blocking call where the sim would not.
    void runTimed(const std::vector<const ActionSpec*>& actions) {
        if (blockingDepth_ > 0) {
            deferred_.push_back(actions);
            return;
        }
        for (const ActionSpec* a : actions) perform(*a);
    }

    // repeat and until bound the calls one run of the action makes.
    void perform(const ActionSpec& a) {
        // Once a bound is reached nothing more is done; an action that re-triggers itself from inside
        // its own call is stopped at the nesting bound instead of overflowing the stack.
        if (budget_->reached() || !budget_->admitNesting(performDepth_ + 1)) return;
        const bool blocking = callInfo(a.call).blocking;
        blockingDepth_ += blocking ? 1 : 0;
        ++performDepth_;
        for (int k = 0; k < a.repeat && !untilHolds(a); ++k) {
            if (budget_->reached()) break;
            if (callInfo(a.call).takes.has(CallArg::Payload) && !budget_->admitWrite(a.data.size())) break;
            performOnce(a);
        }
        --performDepth_;
        blockingDepth_ -= blocking ? 1 : 0;
        if (blockingDepth_ == 0 && !deferred_.empty()) {
            auto due = std::move(deferred_);
            deferred_.clear();
            for (const auto& group : due) runTimed(group);
        }
    }

    void performOnce(const ActionSpec& a) {
        ServerUnderTest* server = a.server ? servers_.at(a.socket).get() : nullptr;
        auto sock = socks_.find(a.socket);
        if (!server && sock == socks_.end()) {
            obs_.problems.push_back("socket " + a.socket + ": " + callInfo(a.call).name + " before a nextPendingConnection named it");
            return;
        }
        CallTarget target{server ? nullptr : sock->second->socket.get(), server ? server->server.get() : nullptr,
                          server ? server->read : sock->second->read, *this};
        // Mapped when the call runs, not before: a peer's real port is known once it listens.
        const std::string& host = server ? serverHosts_.at(a.socket) : specs_.at(a.socket)->host;
        ActionSpec realised = w_.realise(a, host, server ? SocketType::TcpSocket : typeOf(*specs_.at(a.socket)));
        if (!a.portOf.empty()) realised.port = runtimePort(a.portOf);
        if (a.call == Call::SetProxy) realised.proxy = realiseProxy(a.proxy, host);
        if (server) server->calls.emplace_back(callInfo(a.call).name);
        std::optional<ReturnValue> r = performAndRecord(target, a, realised, obs_.trace, w_.loop().nowNs());
        if (server) server->calls.pop_back();
        if (r && !a.id.empty()) obs_.returns[a.id] = *r;
    }

    // The port name has now: a socket's local port, a server's, a peer's listening or bound one.
    std::uint16_t runtimePort(const std::string& name) const {
        if (auto it = socks_.find(name); it != socks_.end()) return it->second->socket->localPort();
        if (auto it = servers_.find(name); it != servers_.end()) return it->second->server->serverPort();
        for (const auto& p : peers_)
            if (p->name() == name) return p->localPort();
        return 0;
    }

    // CallContext
    std::intptr_t takeDescriptor(const std::string& peer) override {
        for (const auto& p : peers_)
            if (p->name() == peer) return p->takeDescriptor();
        return -1;
    }

    void adopt(std::unique_ptr<TcpSocket> socket, const std::string& as) override {
        if (socks_.count(as)) {
            obs_.problems.push_back("socket " + as + ": a second nextPendingConnection named it");
            return;
        }
        addSocket(*specs_.at(as), std::move(socket));
        const SocketSpec& spec = *specs_.at(as);
        configureProxy(*socks_.at(as), spec, spec.proxy ? std::optional(realiseProxy(*spec.proxy, spec.host)) : std::nullopt);
        installSocketTriggers(as);
    }

    ReturnValue port(std::uint16_t port) const override { return w_.scenarioPort(port); }
    std::string address(const HostAddress& address) const override { return w_.scenarioAddress(address); }

    void collect() {
        for (const auto& [name, s] : socks_) {
            Observation::SocketFinal f;
            f.state = std::string(toString(s->socket->state()));
            f.error = std::string(toString(s->socket->error()));
            f.bytesAvailable = s->socket->bytesAvailable();
            f.bytesToWrite = s->socket->bytesToWrite();
            f.read = s->read;
            f.isOpen = s->socket->isOpen();
            obs_.sockets[name] = f;
        }
        for (const auto& p : peers_) {
            obs_.peers[p->name()] = Observation::PeerFinal{p->received(), p->accepted()};
            for (const auto& prob : p->problems()) obs_.problems.push_back(prob);
        }
        for (const auto& p : programs_) {
            obs_.programs[p->name()] = p->exposed();
            for (const auto& prob : p->problems()) obs_.problems.push_back(prob);
        }
        for (const auto& prob : w_.problems()) obs_.problems.push_back(prob);
        obs_.log = w_.log();
    }

    // Makes recorded times relative to the start of the run (a no-op on the sim, whose clock starts at 0).
    void rebaseTimes() {
        if (baseNs_ == 0) return;
        std::vector<TraceEvent> events = obs_.trace.events();
        obs_.trace.clear();
        for (auto& e : events) {
            e.timeNs -= baseNs_;
            obs_.trace.record(std::move(e));
        }
        for (auto& l : obs_.log) l.timeNs -= baseNs_;
    }

    // The final snapshot (collect) is the runner's probing, not the program's: a probe that warns (Qt's
    // bytesAvailable after a failed UDP bind) must neither be traced nor fire a trigger.
    void stopRecording() {
        for (auto& [name, s] : socks_) {
            for (auto& c : s->connections) c.disconnect();
            s->recorder->detach();
        }
    }

    void teardown() {
        // Recorders went first (stopRecording): destruction is silent anyway, but a trace must never grow
        // after collect().
        for (auto& [name, s] : servers_)
            for (auto& c : s->connections) c.disconnect();
        for (auto& p : programs_) p->detach();
        programs_.clear();
        socks_.clear();
        servers_.clear();
        peers_.clear();
        if (previousApplicationProxy_) NetworkProxy::setApplicationProxy(*previousApplicationProxy_);
    }

    const Scenario& s_;
    World& w_;
    const RunLimits& limits_;
    std::optional<detail::RunBudget> budget_;
    Observation obs_;
    std::map<std::string, std::unique_ptr<SocketUnderTest>> socks_;
    std::map<std::string, const SocketSpec*> specs_;
    std::map<std::string, std::unique_ptr<ServerUnderTest>> servers_;
    std::map<std::string, std::string> serverHosts_;
    std::vector<std::unique_ptr<RunningPeer>> peers_;
    std::optional<NetworkProxy> previousApplicationProxy_;
    std::vector<std::unique_ptr<ProgramRun>> programs_;
    std::vector<TriggerState> triggerStates_;
    int blockingDepth_ = 0;                                  // waitFor* calls running now
    int performDepth_ = 0;                                   // actions running now, nested in handlers
    std::vector<std::vector<const ActionSpec*>> deferred_;  // timed actions due during one
    std::int64_t baseNs_ = 0;
};

}  // namespace

Observation executeOnce(const Scenario& scenario, World& world, const RunLimits& limits) {
    return Execution(scenario, world, limits).run();
}

}  // namespace simsock::scenario
