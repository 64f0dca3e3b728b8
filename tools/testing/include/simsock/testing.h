// simsock's GoogleTest kit (target simsock::testing): test your socket code on a seeded simulated network,
// with faults as C++ calls, virtual time, scripted peers and gmock matchers over signal traces, and run
// the same test body on the real epoll engine. docs/testing-kit.md is the tutorial.
//
//   #include <simsock/testing.h>
//   using namespace simsock::testing;  // SimNet, SimTest, PeerScript, matchers, EngineTest, ...
//
// What is where:
//   sim_net.h      SimNet (one network for one test) and the SimTest fixture
//   fault_calls.h  faults: net.refuse(...), net.partition(...), net.inject("drop-syn", {...})
//   stage.h        sockets, servers (Listener) and scripted peers, each recorded
//   recorder.h     the recording: compact event strings per socket or peer
//   matchers.h     SignalIs, Emitted, InsideCall, FromLoop
//   seed.h         SIMSOCK_SEED and the seed named on every failure
//   env.h          one test body on every engine: Env; sim_env.h SimEnv; epoll_env.h EpollEnv
//   engine_test.h  EngineTest<E>, Engines, SIMSOCK_TYPED_TEST_SUITE
#pragma once

#include "simsock/peer/peer_script.h"
#include "simsock/simsock.h"
#include "simsock/testing/config.h"
#include "simsock/testing/engine_test.h"
#include "simsock/testing/env.h"
#include "simsock/testing/fault_calls.h"
#include "simsock/testing/matchers.h"
#include "simsock/testing/recorder.h"
#include "simsock/testing/seed.h"
#include "simsock/testing/sim_env.h"
#include "simsock/testing/sim_net.h"
#include "simsock/testing/stage.h"
#if SIMSOCK_TESTING_WITH_EPOLL
#include "simsock/testing/epoll_env.h"
#endif
