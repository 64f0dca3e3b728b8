// Finding 4: `run`/`validate` on a directory holding something the walk cannot read (a folder without
// permission, a symlink loop) died of an uncaught std::filesystem::filesystem_error. Finding 10: FIFOs,
// devices and dangling symlinks were "no such file or directory", and `record`/`trace` opened them:
// blocked on a FIFO, read /dev/zero for ever. Each is now named for what it is, checked before it is
// opened, and a file is read up to a bound.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "reliability_support.h"

namespace simsock {
namespace {

using reliability::Outcome;
using reliability::runSimsock;
namespace fs = std::filesystem;

constexpr const char* kPathsScenario = R"({
  "format": 1,
  "engines": ["sim"],
  "sockets": [{"name": "c", "type": "tcp"}],
  "actions": [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 9}],
  "runFor": "1ms"
}
)";

class CliPaths : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_FALSE(dir.path().empty());
        ASSERT_TRUE(reliability::writeText(dir / "ok.json", kPathsScenario));
    }
    reliability::ScratchDir dir;
};

// As root no permission keeps a folder closed; a loop of symlinks named like a scenario trips the walk
// the same way (the walk asks every *.json entry what it is).
TEST_F(CliPaths, ASymlinkLoopInsideADirectoryIsReportedNotThrown) {
    fs::create_directory(dir / "sub");
    fs::create_directory_symlink("loop.json", dir / "sub/loop.json");
    Outcome run = runSimsock("run " + dir.path());
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_EQ(run.output, "ERROR " + (dir / "sub/loop.json") + ": is a symlink loop\n"
                          "PASS " + (dir / "ok.json") + "\n1 passed, 1 failed\n");
    Outcome validate = runSimsock("validate " + dir.path());
    EXPECT_EQ(validate.exitCode, 2);
    EXPECT_EQ(validate.output, (dir / "sub/loop.json") + ": is a symlink loop\nOK " + (dir / "ok.json") + "\n");
}

// The folder the issue names, made unreadable for real: the CLI runs as an unprivileged user.
TEST_F(CliPaths, AnUnreadableSubfolderIsReportedAndTheRestStillRuns) {
    fs::create_directory(dir / "locked");
    ASSERT_TRUE(reliability::writeText(dir / "locked/hidden.json", kPathsScenario));
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir / "ok.json", fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    fs::permissions(dir / "locked", fs::perms::none);
    Outcome run = reliability::runSimsockAs(65534, "run " + dir.path());
    Outcome validate = reliability::runSimsockAs(65534, "validate " + dir.path());
    fs::permissions(dir / "locked", fs::perms::owner_all);
    EXPECT_EQ(run.output, "ERROR " + (dir / "locked") + ": cannot read the directory: Permission denied\n"
                          "PASS " + (dir / "ok.json") + "\n1 passed, 1 failed\nexit 2\n");
    EXPECT_EQ(validate.output, (dir / "locked") + ": cannot read the directory: Permission denied\nOK " +
                                   (dir / "ok.json") + "\nexit 2\n");
}

TEST_F(CliPaths, AFifoIsNamedAndNeverOpened) {
    const std::string fifo = dir / "pipe.json";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    Outcome run = runSimsock("run " + fifo);
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_EQ(run.output, "ERROR " + fifo + ": is a FIFO, not a regular file\n0 passed, 1 failed\n");
    Outcome validate = runSimsock("validate " + fifo);
    EXPECT_EQ(validate.exitCode, 2);
    EXPECT_EQ(validate.output, fifo + ": is a FIFO, not a regular file\n");
    // record and trace take the file itself: before, they blocked in open() until timeout(1) ended them.
    Outcome record = runSimsock("record " + fifo);
    EXPECT_EQ(record.exitCode, 2);
    EXPECT_EQ(record.output, fifo + ": is a FIFO, not a regular file\n");
    // Inside a directory the walk says the same.
    Outcome walk = runSimsock("validate " + dir.path());
    EXPECT_EQ(walk.exitCode, 2);
    EXPECT_EQ(walk.output, fifo + ": is a FIFO, not a regular file\nOK " + (dir / "ok.json") + "\n");
}

TEST_F(CliPaths, ADeviceIsNamedAndNeverRead) {
    Outcome run = runSimsock("run /dev/zero");
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_EQ(run.output, "ERROR /dev/zero: is a character device, not a regular file\n0 passed, 1 failed\n");
    // trace read /dev/zero until memory ran out.
    Outcome trace = runSimsock("trace /dev/zero -o " + (dir / "out.svg"));
    EXPECT_EQ(trace.exitCode, 2);
    EXPECT_EQ(trace.output, "/dev/zero: is a character device, not a regular file\n");
}

TEST_F(CliPaths, DanglingSymlinksAndMissingFilesAreToldApart) {
    fs::create_symlink(dir / "gone.json", dir / "dangling.json");
    Outcome run = runSimsock("run " + (dir / "dangling.json") + " " + (dir / "missing.json"));
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_EQ(run.output, "ERROR " + (dir / "dangling.json") + ": is a dangling symlink\nERROR " + (dir / "missing.json") +
                              ": no such file or directory\n0 passed, 2 failed\n");
    Outcome record = runSimsock("record " + (dir / "dangling.json"));
    EXPECT_EQ(record.exitCode, 2);
    EXPECT_EQ(record.output, (dir / "dangling.json") + ": is a dangling symlink\n");
}

TEST_F(CliPaths, AFileAboveTheSizeBoundIsRefusedUnread) {
    const std::string big = dir / "big.json";
    ASSERT_TRUE(reliability::writeText(big, ""));
    fs::resize_file(big, 64 * 1024 * 1024 + 1);  // sparse: costs no disk
    Outcome o = runSimsock("validate " + big);
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_EQ(o.output, big + ": is larger than 67108864 bytes (64 MiB): not a scenario file\n");
}

}  // namespace
}  // namespace simsock
