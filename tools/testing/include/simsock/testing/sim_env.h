// Env's sim flavour: a SimNet with the code under test on host "local" and servers and peers on host
// "server" (10.0.0.2); virtual time; seeded like every SimNet (SIMSOCK_SEED overrides).
#pragma once

#include <string>

#include "simsock/testing/env.h"
#include "simsock/testing/sim_net.h"

namespace simsock::testing {

class SimEnv final : public Env {
public:
    /// The registry name, also the typed test's name suffix.
    static constexpr const char* kEngine = "sim";
    static constexpr const char* kServerHost = "server";
    static constexpr const char* kServerAddress = "10.0.0.2";

    explicit SimEnv(std::uint64_t seed = kDefaultSeed, const char* file = __builtin_FILE(), int line = __builtin_LINE())
        : SimEnv(seed, CodeLocation{file, line}) {}
    /// The same, with failures pointing at where (EngineTest: the test's own line).
    SimEnv(std::uint64_t seed, CodeLocation where);

    std::string engine() const override { return kEngine; }
    Backend& backend() override { return net_.host(); }
    Backend& serverBackend() override { return net_.host(kServerHost); }
    HostAddress serverAddress() const override { return HostAddress(kServerAddress); }
    void advance(std::int64_t ms) override { net_.advance(ms); }
    ::testing::AssertionResult runUntil(const std::function<bool()>& pred, std::int64_t limitMs = kEnvLimitMs) override {
        return net_.runUntil(pred, limitMs);
    }
    ::testing::AssertionResult runUntilIdle(std::int64_t limitMs = kEnvLimitMs) override {
        return net_.runUntilIdle(limitMs);
    }

    /// The network, for what only the sim can do (faults, links, virtual-time checks): in a typed test,
    /// `if constexpr (std::is_same_v<TypeParam, SimEnv>) this->env.net().dropSyn(...)`.
    SimNet& net() { return net_; }

protected:
    Stage& stage() override { return net_.stage(); }
    const Stage& stage() const override { return net_.stage(); }
    peer::PeerEnvironment peerEnvironment() override { return net_.peerEnvironment(); }

private:
    SimNet net_;
};

}  // namespace simsock::testing
