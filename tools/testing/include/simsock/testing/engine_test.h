// One test body on every engine: a typed test over the Env flavours (env.h).
//
//   template <class E> class Echo : public simsock::testing::EngineTest<E> {};
//   SIMSOCK_TYPED_TEST_SUITE(Echo);
//   TYPED_TEST(Echo, RoundTrip) {
//       auto& env = this->env;
//       ...
//   }
//
// runs as Echo/sim.RoundTrip and Echo/epoll.RoundTrip (the epoll flavour exists when simsock was built with
// SIMSOCK_WITH_EPOLL, which simsock/testing/config.h records).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "simsock/testing/config.h"
#include "simsock/testing/seed.h"
#include "simsock/testing/sim_env.h"
#if SIMSOCK_TESTING_WITH_EPOLL
#include "simsock/testing/epoll_env.h"
#endif

namespace simsock::testing {

/// A fixture owning an Env of flavour E (SimEnv, EpollEnv) as `env`; on the sim, failures name the seed and
/// the test's TYPED_TEST line.
template <class E>
class EngineTest : public ::testing::Test {
protected:
    E env = makeEnv();

private:
    static E makeEnv() {
        if constexpr (std::is_constructible_v<E, std::uint64_t, CodeLocation>) {
            return E(kDefaultSeed, CodeLocation::ofCurrentTest());
        } else {
            return E();
        }
    }
};

/// Every flavour, for TYPED_TEST_SUITE.
#if SIMSOCK_TESTING_WITH_EPOLL
using Engines = ::testing::Types<SimEnv, EpollEnv>;
#else
using Engines = ::testing::Types<SimEnv>;
#endif

/// Names each typed instance after its engine: Suite/sim, Suite/epoll.
struct EngineNames {
    template <class E>
    static std::string GetName(int) {
        return E::kEngine;
    }
};

}  // namespace simsock::testing

/// Declares Suite (a class template over an Env flavour) a typed test suite over every engine.
#define SIMSOCK_TYPED_TEST_SUITE(Suite) \
    TYPED_TEST_SUITE(Suite, ::simsock::testing::Engines, ::simsock::testing::EngineNames)
