// The lineproto client's promise, as a property over generated fault plans on the sim: every request is
// answered exactly once or reported failed — never lost, never answered twice — and the client always
// finishes. Each case is a scenario file's text (printed on failure: save it and `lineproto_runner run` it).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"

namespace {

using namespace simsock::scenario;

std::string ms(int v) { return "\"" + std::to_string(v) + "ms\""; }

// One fault of the plan, as a `faults` entry on the server's port 7000.
rc::Gen<std::string> genFault() {
    return rc::gen::oneOf(
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 3000), rc::gen::inRange(1, 2000)), [](auto t) {
            return R"({"kind": "refuse-port", "host": "server", "port": 7000, "at": )" + ms(std::get<0>(t)) +
                   R"(, "duration": )" + ms(std::get<1>(t)) + "}";
        }),
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 3000), rc::gen::inRange(1, 3000)), [](auto t) {
            return R"({"kind": "drop-syn", "host": "server", "port": 7000, "at": )" + ms(std::get<0>(t)) +
                   R"(, "duration": )" + ms(std::get<1>(t)) + "}";
        }),
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(1, 200), rc::gen::inRange(1, 4)), [](auto t) {
            return R"({"kind": "reset-connection", "host": "server", "port": 7000, "on": {"event": "afterBytes", "bytes": )" +
                   std::to_string(std::get<0>(t)) + R"(, "times": )" + std::to_string(std::get<1>(t)) + "}}";
        }),
        rc::gen::map(rc::gen::inRange(1, 4), [](int times) {
            return R"({"kind": "close-connection", "host": "server", "port": 7000, "on": {"event": "accept", "times": )" +
                   std::to_string(times) + "}}";
        }),
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(0, 3000), rc::gen::inRange(1, 3000)), [](auto t) {
            return R"({"kind": "partition", "host": "client", "otherHost": "server", "at": )" + ms(std::get<0>(t)) +
                   R"(, "duration": )" + ms(std::get<1>(t)) + "}";
        }));
}

struct Plan {
    int requests, window, silentAfter, silentForMs;
    std::uint64_t seed;
    std::vector<std::string> faults;
};

std::string scenarioText(const Plan& p) {
    std::string faults;
    for (const auto& f : p.faults) faults += (faults.empty() ? "" : ",\n    ") + f;
    std::string server = R"({"port": 7000)";
    if (p.silentAfter >= 0)
        server += R"(, "silentAfter": )" + std::to_string(p.silentAfter) + R"(, "silentFor": )" + ms(p.silentForMs);
    return R"({
  "format": 1,
  "seed": )" + std::to_string(p.seed) + R"(,
  "engines": ["sim"],
  "faults": [
    )" + faults + R"(
  ],
  "programs": [
    {"name": "srv", "program": "lineproto-server", "host": "server", "params": )" + server + R"(}},
    {"name": "cli", "program": "lineproto-client", "host": "client", "start": "1ms", "params": {"server": "server", "port": 7000, "requests": )" +
           std::to_string(p.requests) + R"(, "window": )" + std::to_string(p.window) +
           R"(, "connectTimeout": "500ms", "requestTimeout": "300ms", "backoffInitial": "50ms", "backoffMax": "800ms", "maxAttempts": 4}}
  ],
  "runFor": "300s"
})";
}

std::int64_t number(const Observation& o, const std::string& program, const std::string& key) {
    return std::get<std::int64_t>(o.programs.at(program).at(key));
}

RC_GTEST_PROP(LineprotoProperty, EveryRequestIsAnsweredExactlyOnceOrReportedFailed, ()) {
    Plan p;
    p.requests = *rc::gen::inRange(1, 8);
    p.window = *rc::gen::inRange(1, 4);
    p.silentAfter = *rc::gen::inRange(-1, 6);
    p.silentForMs = *rc::gen::inRange(1, 2000);
    p.seed = *rc::gen::inRange<std::uint64_t>(1, 1'000'000);
    p.faults = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange(0, 4), genFault());
    const std::string text = scenarioText(p);
    RC_LOG() << text << "\n";
    const Scenario s = loadScenarioText("generated.json", text);
    const RunResult r = runScenario(s, RunOptions{});
    RC_ASSERT(r.status == RunResult::Status::Passed);  // no problem, deterministic on a second run
    const Observation& o = r.observation;
    RC_ASSERT(number(o, "cli", "done") == 1);
    RC_ASSERT(number(o, "cli", "completed") + number(o, "cli", "failed") == p.requests);
    RC_ASSERT(number(o, "cli", "duplicateReplies") == 0);
    RC_ASSERT(number(o, "cli", "badReplies") == 0);
    // The server executed each id at most once: what was answered, plus what was executed but whose
    // answer a fault destroyed before the client gave up.
    RC_ASSERT(number(o, "srv", "executed") >= number(o, "cli", "completed"));
    RC_ASSERT(number(o, "srv", "executed") <= p.requests);
    if (p.faults.empty() && p.silentAfter < 0) RC_ASSERT(number(o, "cli", "completed") == p.requests);
}

}  // namespace
