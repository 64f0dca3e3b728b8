// Programs inside scenarios: the registry (filled from a static library linked whole), the loader's exact
// diagnostics for programs and their parameters (through the runner simsock_add_scenarios built, exit 2),
// and runs in process: exposed values, the seeded random source, the log, determinism.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "simsock/program.h"
#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/runner.h"

namespace {

using namespace simsock;
using namespace simsock::scenario;

struct Outcome {
    int exitCode = -1;
    std::string output;
};

Outcome runRunner(const std::string& args) {
    Outcome o;
    std::string cmd = std::string("\"") + SIMSOCK_PROGRAMS_RUNNER + "\" " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return o;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe)) o.output += buf.data();
    int status = pclose(pipe);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

struct Broken {
    const char* file;
    const char* diagnostic;  // everything after the file name
};

constexpr std::array<Broken, 8> kBroken{{
    {"unknown_program.json", ":5:32: $.programs[0].program: no program named \"greeter\" (registered: echo-server, greeter-client)"},
    {"missing_param.json", ":5:60: $.programs[0].params: missing required parameter \"port\""},
    {"wrong_param_type.json", ":5:89: $.programs[0].params.port: expected an integer, got string"},
    {"wrong_duration.json",
     ":5:110: $.programs[0].params.giveUpAfter: duration \"10\" needs a unit: ns, us, ms or s (e.g. \"10ms\")"},
    {"unknown_param.json", ":5:95: $.programs[0].params.retries: unknown parameter (program \"greeter-client\" reads: "
                           "disconnect, giveUpAfter, greeting, port, server)"},
    {"rejected_param.json", ":5:107: $.programs[0].params.greeting: a greeting is one line"},
    {"expect_unknown_program.json", ":8:27: $.expect.programs.client: no program named \"client\" in this scenario"},
    {"trace_unknown_object.json", ":8:24: $.expect.trace[0]: no socket named \"client.conn\""},
}};

class BrokenProgramFile : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenProgramFile, ValidateGivesOneExactDiagnosticAndExitCode2) {
    std::string path = std::string(SIMSOCK_PROGRAMS_BROKEN_DIR) + "/" + GetParam().file;
    Outcome o = runRunner("validate \"" + path + "\"");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, path + GetParam().diagnostic + "\n");
}

TEST_P(BrokenProgramFile, RunAlsoExitsWith2) {
    std::string path = std::string(SIMSOCK_PROGRAMS_BROKEN_DIR) + "/" + GetParam().file;
    Outcome o = runRunner("run \"" + path + "\"");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.output.find("ERROR " + path + GetParam().diagnostic + "\n"), std::string::npos) << o.output;
}

INSTANTIATE_TEST_SUITE_P(All, BrokenProgramFile, ::testing::ValuesIn(kBroken), [](const auto& info) {
    std::string name = info.param.file;
    return name.substr(0, name.find('.'));
});

// The runner links the programs' static library through simsock_add_scenarios: its registrations survived.
TEST(ProgramRunner, ListsTheProgramsOfItsStaticLibrary) {
    Outcome o = runRunner("programs");
    EXPECT_EQ(o.exitCode, 0);
    EXPECT_EQ(o.output, "echo-server\ngreeter-client\n");
}

TEST(ProgramRunner, PrintsTheEnginesForCMake) {
    Outcome o = runRunner("engines");
    EXPECT_EQ(o.exitCode, 0);
    EXPECT_EQ(o.output, "default: sim\nevery: both\nengines: epoll sim\n");
}

TEST(ProgramRegistry, HoldsTheLinkedProgramsSortedAndRefusesASecondName) {
    ProgramRegistry& r = ProgramRegistry::instance();
    EXPECT_EQ(r.names(), (std::vector<std::string>{"echo-server", "greeter-client"}));
    EXPECT_NE(r.find("greeter-client"), nullptr);
    EXPECT_EQ(r.find("greeter"), nullptr);
    EXPECT_FALSE(r.add("echo-server", [](const ProgramParams&) { return std::unique_ptr<Program>(); }));
    EXPECT_FALSE(r.add("", nullptr));
    EXPECT_EQ(r.names().size(), 2u);
}

TEST(ProgramRandom, IsSplitMix64) {
    ProgramRandom r(0);
    EXPECT_EQ(r.next(), 0xE220A8397B1DCDAFull);
    EXPECT_EQ(r.next(), 0x6E789E6AA1B965F4ull);
    ProgramRandom a(42), b(42);
    for (int i = 0; i < 100; ++i) {
        std::int64_t v = a.between(-3, 3);
        EXPECT_EQ(v, b.between(-3, 3));
        EXPECT_GE(v, -3);
        EXPECT_LE(v, 3);
    }
    EXPECT_EQ(a.between(5, 5), 5);
    // Wide ranges stay inside them (the arithmetic is unsigned on the way).
    ProgramRandom wide(7);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_GE(wide.between(-5, INT64_MAX), -5);
        EXPECT_LE(wide.between(INT64_MIN, 5), 5);
    }
}

std::string file(const std::string& name) { return std::string(SIMSOCK_PROGRAMS_SCENARIOS_DIR) + "/" + name; }

TEST(ProgramRun, ExposesValuesLogsAndPassesOnTheSim) {
    Scenario s = loadScenarioFile(file("greeter_peer.json"));
    ASSERT_EQ(s.programs.size(), 1u);
    EXPECT_EQ(s.programs[0].host, "client");
    EXPECT_EQ(s.programs[0].startNs, 10'000'000);
    RunResult r = runScenario(s, RunOptions{});
    EXPECT_EQ(r.status, RunResult::Status::Passed) << (r.failures.empty() ? "" : r.failures.front());
    const auto& cli = r.observation.programs.at("cli");
    EXPECT_EQ(cli.at("reply"), ProgramValue{std::string("hi there")});
    EXPECT_EQ(cli.at("replies"), ProgramValue{std::int64_t{1}});
    EXPECT_EQ(cli.at("connectedAtMs"), ProgramValue{std::int64_t{10}});
    EXPECT_EQ(cli.count("gaveUp"), 0u);
    bool logged = false;
    for (const auto& e : r.observation.log)
        logged = logged || (e.actor == "cli" && e.what == "log" && e.detail == "connecting to server" && e.timeNs == 10'000'000);
    EXPECT_TRUE(logged);
}

// The random source depends on the seed and the program's name only: the same run draws the same, another
// seed draws otherwise.
TEST(ProgramRun, RandomSourceFollowsTheScenarioSeed) {
    Scenario s = loadScenarioFile(file("greeter_peer.json"));
    auto draw = [&](std::uint64_t seed) {
        RunOptions o;
        o.seed = seed;
        return runScenario(s, o).observation.programs.at("cli").at("draw");
    };
    EXPECT_EQ(draw(7), draw(7));
    EXPECT_NE(draw(7), draw(8));
}

TEST(ProgramRun, AMismatchNamesProgramKeyAndBothValues) {
    Scenario s = loadScenarioFile(file("greeter_expect_fails.json"));
    s.expectFailure.reset();
    RunResult r = runScenario(s, RunOptions{});
    EXPECT_EQ(r.status, RunResult::Status::Failed);
    EXPECT_EQ(r.failures, (std::vector<std::string>{"program cli: reply: expected \"goodbye\", got \"hello\""}));
    s.expect.programs["cli"]["never"] = std::int64_t{3};
    r = runScenario(s, RunOptions{});
    ASSERT_EQ(r.failures.size(), 2u);
    EXPECT_EQ(r.failures[0], "program cli: never: expected 3, but the program never exposed it");
}

TEST(ProgramRun, RunsBesideTheOtherEngineWithTracesCompared) {
    Scenario s = loadScenarioFile(file("greeter_echo_both.json"));
    RunResult r = runScenario(s, RunOptions{kEveryEngine, std::nullopt});
    EXPECT_EQ(r.status, RunResult::Status::Passed) << (r.failures.empty() ? "" : r.failures.front());
    ASSERT_EQ(r.otherObservations.size(), 1u);
    EXPECT_EQ(r.otherObservations[0].second.programs.at("cli").at("reply"), ProgramValue{std::string("> ping")});
}

TEST(ProgramLoader, DefaultsAndDuplicateNames) {
    const std::string two = R"({"format": 1, "engines": ["sim"], "runFor": "1s", "programs": [
        {"name": "a", "program": "echo-server", "params": {"port": 1}},
        {"name": "a", "program": "echo-server", "params": {"port": 2}}]})";
    try {
        loadScenarioText("t.json", two);
        FAIL() << "loaded";
    } catch (const ScenarioError& e) {
        EXPECT_STREQ(e.what(), "t.json:3:18: $.programs[1].name: program \"a\" is declared twice");
    }
    const std::string dotted = R"({"format": 1, "engines": ["sim"], "runFor": "1s", "programs": [
        {"name": "a.b", "program": "echo-server", "params": {"port": 1}}]})";
    EXPECT_THROW(loadScenarioText("t.json", dotted), ScenarioError);
    const std::string noParams = R"({"format": 1, "engines": ["sim"], "runFor": "1s", "programs": [
        {"name": "a", "program": "echo-server"}]})";
    try {
        loadScenarioText("t.json", noParams);
        FAIL() << "loaded";
    } catch (const ScenarioError& e) {
        EXPECT_STREQ(e.what(), "t.json:2:9: $.programs[0].params: missing required parameter \"port\"");
    }
}

}  // namespace
