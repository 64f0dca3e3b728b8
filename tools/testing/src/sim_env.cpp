#include "simsock/testing/sim_env.h"

namespace simsock::testing {

SimEnv::SimEnv(std::uint64_t seed, CodeLocation where) : net_(seed, where) {
    net_.addHost(kServerHost, kServerAddress);
}

}  // namespace simsock::testing
