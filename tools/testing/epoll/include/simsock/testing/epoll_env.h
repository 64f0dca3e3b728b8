// Env's epoll flavour: the real Linux engine on loopback (127.0.0.1) and real time. Client and server
// share one EpollBackend; peers bind 127.0.0.1 only, on a free port of their own, so nothing is reachable
// from outside and parallel tests do not collide.
#pragma once

#include <cstdint>
#include <string>

#include "simsock/epoll/epoll_backend.h"
#include "simsock/testing/env.h"

namespace simsock::testing {

/// The most one advance() may wait on epoll: a typed test's waits must stay short on a real clock.
inline constexpr std::int64_t kMaxRealAdvanceMs = 2'000;
/// How long nothing must be recorded before epoll's runUntilIdle calls it idle.
inline constexpr std::int64_t kEpollQuietMs = 50;

class EpollEnv final : public Env {
public:
    /// The registry name, also the typed test's name suffix.
    static constexpr const char* kEngine = "epoll";

    EpollEnv() = default;

    std::string engine() const override { return kEngine; }
    Backend& backend() override { return backend_; }
    Backend& serverBackend() override { return backend_; }
    HostAddress serverAddress() const override { return HostAddress::SpecialAddress::LocalHost; }
    /// Waits ms of real time (at most kMaxRealAdvanceMs; more is a test failure).
    void advance(std::int64_t ms) override;
    ::testing::AssertionResult runUntil(const std::function<bool()>& pred, std::int64_t limitMs = kEnvLimitMs) override;
    /// Runs until nothing was recorded for kEpollQuietMs, for at most limitMs.
    ::testing::AssertionResult runUntilIdle(std::int64_t limitMs = kEnvLimitMs) override;

protected:
    Stage& stage() override { return stage_; }
    const Stage& stage() const override { return stage_; }
    peer::PeerEnvironment peerEnvironment() override;

private:
    epoll::EpollBackend backend_;
    Stage stage_;  // after the backend: destroyed first, as EpollBackend requires
};

}  // namespace simsock::testing
