// Cases are independent (each run builds its own network, loop and sockets; nothing global is written on
// the run path), so workers take positions from the ledger and only the ledger is shared.
#include "explore_sweep.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "simsock/scenario/explore.h"

namespace simsock::cli {
namespace {

namespace ex = scenario::explore;
using Clock = std::chrono::steady_clock;

// Written by the signal handler, read by the sweep's main loop: lock-free, so async-signal-safe.
std::atomic<int> gStopSignal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void onStopSignal(int signo) { gStopSignal.store(signo); }

/// SIGINT and SIGTERM set gStopSignal while it lives; the previous handlers come back after.
class StopSignals {
public:
    explicit StopSignals(bool active) : active_(active) {
        if (!active_) return;
        gStopSignal.store(0);
        struct sigaction sa {};
        sa.sa_handler = onStopSignal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &oldInt_);
        sigaction(SIGTERM, &sa, &oldTerm_);
    }
    ~StopSignals() {
        if (!active_) return;
        sigaction(SIGINT, &oldInt_, nullptr);
        sigaction(SIGTERM, &oldTerm_, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    bool active_;
    struct sigaction oldInt_ {};
    struct sigaction oldTerm_ {};
};

std::string clockText(double seconds) {
    auto s = static_cast<long long>(seconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    return buf;
}

/// A bar redrawn in place on a terminal; a plain line every 10 s when stderr is a file or pipe.
class Progress {
public:
    Progress(std::uint64_t total, std::uint64_t already)
        : total_(total), already_(already), tty_(isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

    void update(std::uint64_t done, std::uint64_t failed) {
        double elapsed = seconds();
        if (!tty_ && elapsed < lastPlain_ + 10.0) return;
        lastPlain_ = elapsed;
        double rate = elapsed > 0 ? static_cast<double>(done - already_) / elapsed : 0.0;
        double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
        int filled = total_ ? static_cast<int>(30 * done / total_) : 30;
        auto d = static_cast<unsigned long long>(done), t = static_cast<unsigned long long>(total_),
             f = static_cast<unsigned long long>(failed);
        if (tty_) {
            std::fprintf(stderr, "\r[%s%s] %llu/%llu %llu failed %.0f cases/s ETA %s ", std::string(filled, '#').c_str(),
                         std::string(30 - filled, '.').c_str(), d, t, f, rate, clockText(eta).c_str());
        } else {
            std::fprintf(stderr, "explore: %llu/%llu seeds, %llu failed, %.0f cases/s, ETA %s\n", d, t, f, rate,
                         clockText(eta).c_str());
        }
        std::fflush(stderr);
    }
    void finish() {
        if (tty_) std::fprintf(stderr, "\n");
    }
    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

private:
    std::uint64_t total_;
    std::uint64_t already_;
    bool tty_;
    Clock::time_point start_;
    double lastPlain_ = 0.0;
};

}  // namespace

SweepOutcome runSweep(ex::SeedLedger& ledger, const ex::Progression& p, const SweepSettings& settings,
                      const std::function<void(const ex::SeedLedger::Snapshot&, double)>& checkpoint) {
    StopSignals signals(settings.stopOnSignals);
    const std::uint64_t already = ledger.snapshot().finished;
    std::atomic<unsigned> running{std::max(1u, settings.jobs)};
    auto worker = [&](unsigned w) {
        while (auto position = ledger.take(w)) {
            auto violation = scenario::runCase(ex::generateCase(p.at(*position)));
            ledger.finish(w, violation ? std::optional<std::string>(violation->message) : std::nullopt);
        }
        running.fetch_sub(1);
    };
    std::vector<std::thread> threads;
    for (unsigned j = 0; j < std::max(1u, settings.jobs); ++j) threads.emplace_back(worker, j);
    Progress progress(p.length, already);
    double lastCheckpoint = 0.0;
    SweepOutcome out;
    while (running.load() > 0) {
        if (int signo = gStopSignal.load(); settings.stopOnSignals && signo != 0 && out.stopSignal == 0) {
            out.stopSignal = signo;
            ledger.stop();
        }
        auto now = ledger.snapshot();
        progress.update(now.finished, now.failed);
        if (progress.seconds() >= lastCheckpoint + settings.checkpointSeconds) {
            lastCheckpoint = progress.seconds();
            checkpoint(now, lastCheckpoint);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& t : threads) t.join();
    out.last = ledger.snapshot();
    out.seconds = progress.seconds();
    out.ran = out.last.finished - already;
    progress.update(out.last.finished, out.last.failed);
    progress.finish();
    return out;
}

}  // namespace simsock::cli
