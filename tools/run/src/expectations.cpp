// Comparing one observation with a scenario's expectations. Every message names what was expected and
// what happened, in a fixed form, because negative scenarios match on these texts.
#include "simsock/scenario/runner.h"
#include "simsock/scenario/trace_diff.h"

namespace simsock::scenario {
namespace {

std::string quoted(const std::string& s) {
    std::string out;
    appendJsonString(out, s);
    return out;
}

// Texts in full (a failure must show what differs), everything else as a trace spells it.
std::string show(const ReturnValue& v) {
    if (const std::string* s = std::get_if<std::string>(&v)) return quoted(*s);
    return traceSpelling(v);
}

template <typename T>
void compareField(std::vector<std::string>& failures, const std::string& who, const char* field,
                  const std::optional<T>& want, const T& got) {
    if (!want || *want == got) return;
    if constexpr (std::is_same_v<T, std::string>) {
        bool isEnum = std::string(field) == "state" || std::string(field) == "error";
        failures.push_back(who + ": " + field + ": expected " + (isEnum ? *want : quoted(*want)) + ", got " +
                           (isEnum ? got : quoted(got)));
    } else if constexpr (std::is_same_v<T, bool>) {
        failures.push_back(who + ": " + field + ": expected " + (*want ? "true" : "false") + ", got " +
                           (got ? "true" : "false"));
    } else {
        failures.push_back(who + ": " + field + ": expected " + std::to_string(*want) + ", got " + std::to_string(got));
    }
}

void checkSockets(const Scenario& s, const Observation& obs, std::vector<std::string>& failures) {
    for (const auto& [name, want] : s.expect.sockets) {
        std::string who = "socket " + name;
        auto it = obs.sockets.find(name);
        if (it == obs.sockets.end()) {
            failures.push_back(who + ": no connection was accepted as it (no nextPendingConnection named it)");
            continue;
        }
        const auto& got = it->second;
        compareField(failures, who, "state", want.state, got.state);
        compareField(failures, who, "error", want.error, got.error);
        compareField(failures, who, "bytesAvailable", want.bytesAvailable, got.bytesAvailable);
        compareField(failures, who, "bytesToWrite", want.bytesToWrite, got.bytesToWrite);
        compareField(failures, who, "readBytes", want.readBytes, static_cast<std::int64_t>(got.read.size()));
        compareField(failures, who, "read", want.read, got.read);
        compareField(failures, who, "isOpen", want.isOpen, got.isOpen);
    }
}

void checkPeers(const Scenario& s, const Observation& obs, std::vector<std::string>& failures) {
    for (const auto& [name, want] : s.expect.peers) {
        auto it = obs.peers.find(name);
        Observation::PeerFinal got = it == obs.peers.end() ? Observation::PeerFinal{} : it->second;
        std::string who = "peer " + name;
        compareField(failures, who, "received", want.received, got.received);
        compareField(failures, who, "receivedBytes", want.receivedBytes, static_cast<std::int64_t>(got.received.size()));
        compareField(failures, who, "accepted", want.accepted, got.accepted);
    }
}

void checkReturns(const Scenario& s, const Observation& obs, std::vector<std::string>& failures) {
    for (const auto& [id, want] : s.expect.returns) {
        auto it = obs.returns.find(id);
        if (it == obs.returns.end()) {
            failures.push_back("return " + id + ": expected " + show(want) + ", but the action never ran");
        } else if (it->second != want) {
            failures.push_back("return " + id + ": expected " + show(want) + ", got " + show(it->second));
        }
    }
}

std::string showValue(const ProgramValue& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    return quoted(std::get<std::string>(v));
}

void checkPrograms(const Scenario& s, const Observation& obs, std::vector<std::string>& failures) {
    for (const auto& [name, values] : s.expect.programs) {
        auto program = obs.programs.find(name);
        for (const auto& [key, want] : values) {
            const std::string who = "program " + name + ": " + key + ": expected " + showValue(want);
            const ProgramValue* got = nullptr;
            if (program != obs.programs.end())
                if (auto it = program->second.find(key); it != program->second.end()) got = &it->second;
            if (!got) {
                failures.push_back(who + ", but the program never exposed it");
            } else if (*got != want) {
                failures.push_back(who + ", got " + showValue(*got));
            }
        }
    }
}

}  // namespace

void checkExpectations(const Scenario& s, const Observation& obs, std::vector<std::string>& failures,
                       std::string& diff) {
    if (s.expect.trace) {
        TraceComparison c = compareTrace(*s.expect.trace, obs.trace.events());
        if (!c.equal) {
            failures.push_back(c.summary);
            diff = c.diff;
        }
    }
    if (s.expect.subsequence) {
        std::string missing = checkSubsequence(*s.expect.subsequence, obs.trace.events());
        if (!missing.empty()) failures.push_back(missing);
    }
    checkSockets(s, obs, failures);
    checkPeers(s, obs, failures);
    checkReturns(s, obs, failures);
    checkPrograms(s, obs, failures);
}

}  // namespace simsock::scenario
