// The loader's parts, one per top-level section of a scenario file. Each reads its section into the
// model and checks references against what earlier sections declared (the order is fixed by
// loadScenarioText, not by the order of keys in the file).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json_reader.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

void loadNetwork(const Node& node, Scenario& s);
void loadPeers(const Node& node, Scenario& s);
void loadFaults(const Node& node, Scenario& s);
void loadServers(const Node& node, Scenario& s);
void loadSockets(const Node& node, Scenario& s);
void loadActions(const Node& node, Scenario& s);
void loadExpect(const Node& node, Scenario& s);

/// Fails at node unless a host of that name is declared.
void requireHost(const Node& node, const Scenario& s, const std::string& name);
/// The declared socket spec named name, or a failure at node.
const SocketSpec& requireSocket(const Node& node, const Scenario& s, const std::string& name);
/// The declared server spec named name, or a failure at node.
const ServerSpec& requireServer(const Node& node, const Scenario& s, const std::string& name);
/// A proxy object {"type", "host", "port"}.
ProxySpec loadProxy(const Node& node);
/// Checks a signal spelling "name" or "name(args)"; returns name and args through the out parameters.
void parseSignalSpec(const Node& node, const std::string& text, std::string& name, std::string& args);
/// The spellings of sim::DnsFailure a file may use ("nxdomain", "servfail").
std::vector<std::string_view> dnsFailureSpellings();
/// Parses one expected trace line `[@time ][socket: ]compact`.
TraceLine parseTraceLine(const Node& node, const Scenario& s);

}  // namespace simsock::scenario::detail
