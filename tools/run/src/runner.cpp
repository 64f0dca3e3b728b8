// Running a scenario: execution(s), the determinism check, expectations and expectFailure.
#include "simsock/scenario/runner.h"

#include <algorithm>
#include <tuple>

#include "isolated_run.h"
#include "simsock/engines.h"
#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario {
namespace {

std::string showReturn(const ReturnValue& v) {
    if (const std::string* s = std::get_if<std::string>(&v)) {
        std::string out;
        appendJsonString(out, *s);
        return out;
    }
    return traceSpelling(v);
}

std::string showProgramValue(const ProgramValue& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    std::string out;
    appendJsonString(out, std::get<std::string>(v));
    return out;
}

bool samePacket(const std::optional<PacketFacts>& a, const std::optional<PacketFacts>& b) {
    if (!a || !b) return a.has_value() == b.has_value();
    return std::tie(a->kind, a->fromHost, a->toHost, a->bytes, a->arrivalNs, a->lostNs, a->retransmitNs) ==
           std::tie(b->kind, b->fromHost, b->toHost, b->bytes, b->arrivalNs, b->lostNs, b->retransmitNs);
}

bool sameLog(const std::vector<LogEvent>& a, const std::vector<LogEvent>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const LogEvent& x, const LogEvent& y) {
        return std::tie(x.timeNs, x.actor, x.what, x.bytes, x.target, x.detail) ==
                   std::tie(y.timeNs, y.actor, y.what, y.bytes, y.target, y.detail) &&
               samePacket(x.packet, y.packet);
    });
}

// Every field serialize() reads, compared as values: equal observations serialize to equal text, so the
// text (most of the determinism check's cost) is only built to locate a difference.
bool sameObservation(const Observation& a, const Observation& b) {
    auto sameSocket = [](const auto& x, const auto& y) {
        return x.first == y.first && std::tie(x.second.state, x.second.error, x.second.bytesAvailable, x.second.bytesToWrite,
                                              x.second.read, x.second.isOpen) ==
                                         std::tie(y.second.state, y.second.error, y.second.bytesAvailable,
                                                  y.second.bytesToWrite, y.second.read, y.second.isOpen);
    };
    auto samePeer = [](const auto& x, const auto& y) {
        return x.first == y.first && x.second.received == y.second.received && x.second.accepted == y.second.accepted;
    };
    return a.trace.events() == b.trace.events() && sameLog(a.log, b.log) && a.returns == b.returns &&
           std::equal(a.sockets.begin(), a.sockets.end(), b.sockets.begin(), b.sockets.end(), sameSocket) &&
           std::equal(a.peers.begin(), a.peers.end(), b.peers.begin(), b.peers.end(), samePeer) &&
           a.programs == b.programs && a.problems == b.problems;
}

// Compares two executions; an empty string when they are identical.
std::string determinismFailure(const Observation& a, const Observation& b) {
    if (sameObservation(a, b)) return {};
    std::string ta = a.trace.serialize(), tb = b.trace.serialize();
    if (ta != tb) return "nondeterministic: first difference at event " + std::to_string(firstDifferingLine(ta, tb));
    std::string sa = a.serialize(), sb = b.serialize();
    if (sa != sb)
        return "nondeterministic: traces match, observations differ at line " + std::to_string(firstDifferingLine(sa, sb));
    return {};
}

// Applies expectFailure: the run passes only if one failure contains the declared text.
void applyExpectFailure(const Scenario& s, RunResult& r) {
    if (!s.expectFailure) return;
    bool found = std::any_of(r.failures.begin(), r.failures.end(),
                             [&](const std::string& f) { return f.find(*s.expectFailure) != std::string::npos; });
    if (found) {
        r.status = RunResult::Status::Passed;
        r.failures.clear();
        r.diff.clear();
        return;
    }
    std::string was = r.failures.empty() ? "the run passed" : "it failed with: " + r.failures.front();
    r.failures.insert(r.failures.begin(), "expected the run to fail with \"" + *s.expectFailure + "\", but " + was);
    r.status = RunResult::Status::Failed;
}

// A run ended by a bound: the bound is the failure. What happened until then is kept for --trace and
// -v, but neither compared nor checked against the expectations: it is a prefix of a run, not a run.
RunResult budgetFailure(const Scenario& s, RunResult r, const std::string& secondBudget = {}) {
    r.failures = {secondBudget.empty() ? r.observation.budget : secondBudget};
    r.diff.clear();
    r.status = RunResult::Status::Failed;
    applyExpectFailure(s, r);
    return r;
}

}  // namespace

std::string Observation::serialize() const {
    std::string out = trace.serialize();
    for (const auto& e : log) out += e.str() + "\n";
    for (const auto& [id, v] : returns) out += "return " + id + " " + showReturn(v) + "\n";
    for (const auto& [name, f] : sockets)
        out += "socket " + name + " " + f.state + " " + f.error + " " + std::to_string(f.bytesAvailable) + " " +
               std::to_string(f.bytesToWrite) + " " + std::to_string(f.read.size()) + (f.isOpen ? " open" : " closed") + "\n";
    for (const auto& [name, p] : peers)
        out += "peer " + name + " " + std::to_string(p.received.size()) + " " + std::to_string(p.accepted) + "\n";
    for (const auto& [name, values] : programs)
        for (const auto& [key, v] : values)
            out += "program " + name + " " + key + " " + showProgramValue(v) + "\n";
    for (const auto& p : problems) out += "problem " + p + "\n";
    return out;
}

std::size_t firstDifferingLine(const std::string& a, const std::string& b) {
    if (a == b) return 0;
    std::size_t line = 1;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        if (a[i] != b[i]) return line;
        if (a[i] == '\n') ++line;
    }
    return line;
}

namespace {

bool lists(const Scenario& s, const std::string& engine) {
    return std::find(s.engines.begin(), s.engines.end(), engine) != s.engines.end();
}

// Real engines run on the real clock: their expectations are compared without times (a file's @time
// prefixes are the sim's virtual times, checked on the sim only).
void dropTimes(Expectations& e) {
    for (auto* lines : {&e.trace, &e.subsequence})
        if (*lines)
            for (auto& l : **lines) l.timeNs.reset();
}

RunResult runOnEngine(const Scenario& original, const RunOptions& options) {
    RunResult r;
    if (!lists(original, options.engine)) {
        r.status = RunResult::Status::Skipped;
        r.skipReason = "not written for engine " + options.engine;
        return r;
    }
    Scenario s = original;
    if (options.seed) s.seed = *options.seed;
    if (options.engine != kDefaultEngine) dropTimes(s.expect);
    if (options.engine != kDefaultEngine && needsNamespace(s)) {
        // Faults on a real kernel: in a child of its own, inside fresh namespaces.
        detail::IsolatedOutcome isolated = detail::executeIsolated(s, options.engine, options.limits);
        if (!isolated.observation) {
            r.status = isolated.skip ? RunResult::Status::Skipped : RunResult::Status::Error;
            (isolated.skip ? r.skipReason : r.failures.emplace_back()) = isolated.why;
            return r;
        }
        r.observation = std::move(*isolated.observation);
    } else {
        std::string error;
        auto world = makeWorld(options.engine, s, error);
        if (!world) {
            r.status = RunResult::Status::Skipped;
            r.skipReason = error;
            return r;
        }
        r.observation = executeOnce(s, *world, options.limits);
    }
    if (!r.observation.budget.empty()) return budgetFailure(s, std::move(r));
    if (options.engine == kDefaultEngine) {
        std::string error;
        auto again = makeWorld(options.engine, s, error);
        Observation second = executeOnce(s, *again, options.limits);
        again.reset();
        // Only the wall clock can stop one execution of two: the other bounds are deterministic.
        if (!second.budget.empty()) return budgetFailure(s, std::move(r), second.budget);
        std::string nd = determinismFailure(r.observation, second);
        if (!nd.empty()) r.failures.push_back(nd);
    }
    for (const auto& p : r.observation.problems) r.failures.push_back("problem: " + p);
    checkExpectations(s, r.observation, r.failures, r.diff);
    r.status = r.failures.empty() ? RunResult::Status::Passed : RunResult::Status::Failed;
    applyExpectFailure(s, r);
    return r;
}

// Each engine's failures, named after it, and its expectation diff under a header naming it.
void absorb(RunResult& into, RunResult& from, const std::string& engine) {
    for (const auto& f : from.failures) into.failures.push_back(engine + ": " + f);
    if (!from.diff.empty()) into.diff += engine + " against the expectations:\n" + from.diff;
}

// The other registered engines the file is written for.
std::vector<std::string> otherEnginesOf(const Scenario& s) {
    std::vector<std::string> out;
    for (const auto& name : engineNames())
        if (name != kDefaultEngine && lists(s, name)) out.push_back(name);
    return out;
}

std::string skipReasonForEvery(const Scenario& s) {
    if (!lists(s, kDefaultEngine)) return std::string("not written for engine ") + kDefaultEngine;
    std::string others;
    for (const auto& name : engineNames())
        if (name != kDefaultEngine) others += (others.empty() ? "" : " or ") + name;
    return "not written for engine " + others;
}

// The sim (twice, for determinism) and every other engine the file lists, each against the expectations,
// then each other engine's trace against the sim's. A file listing an engine that cannot realise it fails:
// it claims to be portable.
RunResult runOnEvery(const Scenario& s, const RunOptions& options) {
    RunResult r;
    const std::vector<std::string> others = otherEnginesOf(s);
    if (!lists(s, kDefaultEngine) || others.empty()) {
        r.status = RunResult::Status::Skipped;
        r.skipReason = skipReasonForEvery(s);
        return r;
    }
    RunResult sim = runOnEngine(s, RunOptions{kDefaultEngine, options.seed, options.limits});
    absorb(r, sim, kDefaultEngine);
    r.observation = std::move(sim.observation);
    for (const auto& engine : others) {
        RunResult other = runOnEngine(s, RunOptions{engine, options.seed, options.limits});
        if (other.status == RunResult::Status::Skipped && other.skipReason.rfind(kNoNamespacePrefix, 0) == 0) {
            // Not a failure of the file, and never a pass: this machine cannot check it.
            r.status = RunResult::Status::Skipped;
            r.skipReason = engine + ": " + other.skipReason;
            return r;
        }
        if (other.status == RunResult::Status::Skipped) {
            r.failures.push_back(engine + ": cannot run: " + other.skipReason);
            continue;
        }
        absorb(r, other, engine);
        // A run ended by a bound is a prefix of a run: comparing it says nothing more than its failure.
        const bool cut = !r.observation.budget.empty() || !other.observation.budget.empty();
        EngineComparison c = cut ? EngineComparison{}
                                 : compareEngineTraces(r.observation.trace, other.observation.trace, engine);
        if (!c.equal) {
            r.failures.push_back(c.summary);
            r.diff += c.diff;
        }
        r.otherObservations.emplace_back(engine, std::move(other.observation));
    }
    r.status = r.failures.empty() ? RunResult::Status::Passed : RunResult::Status::Failed;
    return r;
}

}  // namespace

RunResult runScenario(const Scenario& original, const RunOptions& options) {
    if (options.engine == kEveryEngine) return runOnEvery(original, options);
    return runOnEngine(original, options);
}

}  // namespace simsock::scenario
