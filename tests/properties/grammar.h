// The property tests check traces against core's signal grammar (simsock/signal_grammar.h). Their
// handlers do not call into the socket, so the strict form applies: a signal directly follows the
// stateChanged it belongs to.
#pragma once

#include "simsock/signal_grammar.h"

namespace simsock::testing {

using GrammarChecker = SignalGrammar;

}  // namespace simsock::testing
