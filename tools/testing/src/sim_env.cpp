#include "simsock/testing/sim_env.h"

namespace simsock::testing {

SimEnv::SimEnv(std::uint64_t seed, std::source_location where) : net_(seed, where) {
    net_.addHost(kServerHost, kServerAddress);
}

}  // namespace simsock::testing
