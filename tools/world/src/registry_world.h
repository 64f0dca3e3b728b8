// A World over a backend from BackendRegistry (a real engine): one machine, loopback only, no faults.
#pragma once

#include <memory>
#include <string>

#include "simsock/scenario/world.h"

namespace simsock::scenario::detail {

/// The world, or null with why in error (engine not registered, or the scenario needs the sim).
std::unique_ptr<World> makeRegistryWorld(const std::string& engine, const Scenario& s, std::string& error);

}  // namespace simsock::scenario::detail
