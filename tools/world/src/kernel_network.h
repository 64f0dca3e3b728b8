// What a run's own namespace puts on lo before the run starts, beside the faults (kernel_faults.h): the
// scenario's real addresses (LoopbackMap::realAddresses) and its links' bandwidth (kernel_links.h). Both
// die with the namespace.
#pragma once

#include <string>

#include "loopback_map.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

/// Adds each of map's real addresses to lo (`ip addr add ... dev lo`, IPv6 ones `nodad` so that they are
/// usable at once); "" or the first failure.
std::string addRealAddresses(const LoopbackMap& map);

/// Installs linkShapingCommands for s's links with a nonzero bandwidth between the hosts' realised
/// addresses; "" or the first failure (nothing to do: "").
std::string shapeLinks(const Scenario& s, const LoopbackMap& map);

}  // namespace simsock::scenario::detail
