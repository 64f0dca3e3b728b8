// A sequence diagram of one run: a lifeline per socket under test, per peer and for the network,
// virtual time downwards (one row per event, the time written at the left), signals as labelled dots
// on their socket's lifeline and peer actions as arrows towards the socket they address.
#pragma once

#include <string>

#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario {

/// A standalone SVG document.
std::string sequenceDiagramSvg(const Scenario& scenario, const Observation& obs);

/// An HTML page embedding the SVG, with the scenario's description.
std::string sequenceDiagramHtml(const Scenario& scenario, const Observation& obs);

}  // namespace simsock::scenario
