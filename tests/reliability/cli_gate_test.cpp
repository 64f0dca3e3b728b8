// Finding 5: a gate that passed without testing anything: `run` on an empty folder printed "0 passed, 0
// failed" and exited 0, `validate` printed nothing and exited 0, and a report that could not be written
// still exited 0. Zero scenarios is now an error (exit 2) unless --allow-empty; so is an unwritable report.
// Finding 9: --seed took "-1" as 2^64-1, saturated larger values and read "0x10" as 16. A seed inside a
// file is checked; the command line is now as strict: decimal digits within uint64, else exit 2.
#include <gtest/gtest.h>

#include <string>

#include "reliability_support.h"

namespace simsock {
namespace {

using reliability::Outcome;
using reliability::runSimsock;

constexpr const char* kGateScenario = R"({
  "format": 1,
  "engines": ["sim"],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 9}],
  "runFor": "1ms"
}
)";

TEST(CliGate, RunOnAnEmptyFolderIsAnError) {
    reliability::ScratchDir dir;
    Outcome o = runSimsock("run " + dir.path());
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, "simsock run: no scenario files in " + dir.path() +
                            " (a gate that runs nothing tests nothing; --allow-empty accepts it)\n0 passed, 0 failed\n");
    Outcome allowed = runSimsock("run --allow-empty " + dir.path());
    EXPECT_EQ(allowed.exitCode, 0);
    EXPECT_EQ(allowed.output, "0 passed, 0 failed\n");
}

TEST(CliGate, ValidateOnAnEmptyFolderIsAnError) {
    reliability::ScratchDir dir;
    Outcome o = runSimsock("validate " + dir.path());
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, "simsock validate: no scenario files in " + dir.path() +
                            " (a gate that runs nothing tests nothing; --allow-empty accepts it)\n");
    Outcome allowed = runSimsock("validate --allow-empty " + dir.path());
    EXPECT_EQ(allowed.exitCode, 0);
    EXPECT_EQ(allowed.output, "");
}

TEST(CliGate, AReportThatCannotBeWrittenIsAnError) {
    reliability::ScratchDir dir;
    const std::string f = dir / "ok.json";
    ASSERT_TRUE(reliability::writeText(f, kGateScenario));
    for (const char* option : {"--junit", "--trace"}) {
        const std::string nowhere = dir / "no/such/dir/report";
        Outcome o = runSimsock("run " + std::string(option) + " " + nowhere + " " + f);
        EXPECT_EQ(o.exitCode, 2) << option;
        EXPECT_EQ(o.output, "PASS " + f + "\nsimsock: cannot write " + nowhere + "\n1 passed, 0 failed\n") << option;
        // A device that refuses every byte: the error only shows when the buffered text is flushed.
        Outcome full = runSimsock("run " + std::string(option) + " /dev/full " + f);
        EXPECT_EQ(full.exitCode, 2) << option;
        EXPECT_EQ(full.output, "PASS " + f + "\nsimsock: cannot write /dev/full\n1 passed, 0 failed\n") << option;
    }
}

class CliSeed : public ::testing::TestWithParam<const char*> {};

TEST_P(CliSeed, RunRecordAndTraceRejectAnythingButDecimalDigitsWithinUint64) {
    reliability::ScratchDir dir;
    const std::string f = dir / "ok.json";
    ASSERT_TRUE(reliability::writeText(f, kGateScenario));
    const std::string seed = GetParam();
    const std::string message = "--seed: \"" + seed + "\" is not a decimal number from 0 to 18446744073709551615\n";
    for (const std::string& cmd : {"run " + f, "record " + f, "trace " + f + " -o " + (dir / "x.svg")}) {
        Outcome o = runSimsock(cmd + " --seed '" + seed + "'");
        EXPECT_EQ(o.exitCode, 2) << cmd;
        EXPECT_EQ(o.output, message + "Run with --help for more information.\n") << cmd;
    }
}

INSTANTIATE_TEST_SUITE_P(Bad, CliSeed,
                         ::testing::Values("-1", "18446744073709551616", "99999999999999999999999", "0x10", "+5",
                                           " 5", "5 ", "1e3", "", "010x"));

TEST(CliSeedRange, TheWholeUint64RangeIsAccepted) {
    reliability::ScratchDir dir;
    const std::string f = dir / "ok.json";
    ASSERT_TRUE(reliability::writeText(f, kGateScenario));
    for (const char* seed : {"0", "18446744073709551615", "007"}) {
        Outcome o = runSimsock("run --seed " + std::string(seed) + " " + f);
        EXPECT_EQ(o.exitCode, 0) << seed << o.output;
    }
}

// The other unsigned options take the same strict reading.
TEST(CliSeedRange, BudgetOptionsAreAsStrict) {
    reliability::ScratchDir dir;
    const std::string f = dir / "ok.json";
    ASSERT_TRUE(reliability::writeText(f, kGateScenario));
    Outcome o = runSimsock("run --max-events -1 " + f);
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, "--max-events: \"-1\" is not a decimal number from 0 to 18446744073709551615\n"
                        "Run with --help for more information.\n");
}

}  // namespace
}  // namespace simsock
