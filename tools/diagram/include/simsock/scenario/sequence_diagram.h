// Drawings of one run. The static SVG (for docs) has a lifeline per host, socket under test and peer, virtual
// time downwards (one row per event, the time written at the left), signals as dots on their socket's
// lifeline (red: inside a public call, blue: from the loop), peer actions and network events beside
// their lifeline, packets as arrows from host to host ending at their arrival (a cross where one was
// dropped) and lasting faults as shaded bands. The HTML page is the interactive viewer (viewer_page.h).
#pragma once

#include <string>

#include "simsock/scenario/model.h"
#include "simsock/scenario/runner.h"

namespace simsock::scenario {

/// A standalone SVG document.
std::string sequenceDiagramSvg(const Scenario& scenario, const Observation& obs);

/// The interactive viewer's page of the run (one self-contained HTML file).
std::string sequenceDiagramHtml(const Scenario& scenario, const Observation& obs, const std::string& engine);

}  // namespace simsock::scenario
