#include "simsock/testing/sim_env.h"

namespace simsock::testing {

SimEnv::SimEnv(std::uint64_t seed) : net_(seed) { net_.addHost(kServerHost, kServerAddress); }

}  // namespace simsock::testing
