// The simulator's only source of randomness: xoshiro256** seeded through SplitMix64.
// Everything random in a simulated run draws from one Random owned by the Network, in event order,
// so the same seed gives the same run on every platform and standard library (std:: distributions
// are implementation-defined, so none are used).
#pragma once

#include <array>
#include <cstdint>

namespace simsock::sim {

class Random {
public:
    static constexpr std::uint32_t kMillion = 1'000'000;

    /// Seeds the four state words from SplitMix64(seed); any seed, including 0, is valid.
    explicit Random(std::uint64_t seed = 1);
    /// Restarts the sequence from seed.
    void reseed(std::uint64_t seed);
    /// The next 64 uniformly distributed bits.
    std::uint64_t next();
    /// A uniform integer in [0, bound) (Lemire's multiply-shift with rejection); 0 when bound is 0.
    std::uint64_t below(std::uint64_t bound);
    /// A uniform integer in [lo, hi] (inclusive); lo when hi < lo.
    std::int64_t range(std::int64_t lo, std::int64_t hi);
    /// True with probability ppm / 1'000'000. Draws nothing when ppm is 0 or at least a million, so a
    /// zero-probability fault never perturbs the sequence.
    bool chancePerMillion(std::uint32_t ppm);
    /// A uniform double in [0, 1) from the top 53 bits.
    double unit();
    /// How many 64-bit values have been drawn since seeding (for logs and determinism checks).
    std::uint64_t draws() const { return draws_; }

private:
    std::array<std::uint64_t, 4> s_{};
    std::uint64_t draws_ = 0;
};

/// One SplitMix64 step: advances state and returns the mixed output.
std::uint64_t splitMix64(std::uint64_t& state);

}  // namespace simsock::sim
