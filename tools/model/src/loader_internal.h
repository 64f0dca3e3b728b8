// The loader's parts, one per top-level section of a scenario file. Each reads its section into the
// model and checks references against what earlier sections declared (the order is fixed by
// loadScenarioText, not by the order of keys in the file).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "json_reader.h"
#include "simsock/scenario/model.h"

namespace simsock::scenario::detail {

/// The names the file has declared so far, each looked up in O(log n): a file may declare tens of
/// thousands of hosts, sockets, servers, peers or action ids, and every reference to one is checked.
struct Declared {
    std::map<std::string, std::size_t, std::less<>> hosts;      ///< name -> index in network.hosts
    std::map<std::string, std::size_t, std::less<>> sockets;    ///< name -> index in Scenario::sockets
    std::map<std::string, std::size_t, std::less<>> servers;    ///< name -> index in Scenario::servers
    std::map<std::string, std::size_t, std::less<>> peers;      ///< name -> index in Scenario::peers
    std::map<std::string, std::size_t, std::less<>> actionIds;  ///< id -> index in Scenario::actions
};

void loadNetwork(const Node& node, Scenario& s, Declared& d);
void loadPeers(const Node& node, Scenario& s, Declared& d);
void loadFaults(const Node& node, Scenario& s, const Declared& d);
void loadServers(const Node& node, Scenario& s, Declared& d);
void loadSockets(const Node& node, Scenario& s, Declared& d);
void loadActions(const Node& node, Scenario& s, Declared& d);
void loadExpect(const Node& node, Scenario& s, const Declared& d);
void loadPrograms(const Node& node, Scenario& s, const Declared& d);

/// Fails at node unless a host of that name is declared.
void requireHost(const Node& node, const Declared& d, const std::string& name);
/// The declared socket spec named name, or a failure at node.
const SocketSpec& requireSocket(const Node& node, const Scenario& s, const Declared& d, const std::string& name);
/// The declared server spec named name, or a failure at node.
const ServerSpec& requireServer(const Node& node, const Scenario& s, const Declared& d, const std::string& name);
/// A proxy object {"type", "host", "port", "user", "password", "capabilities"}.
ProxySpec loadProxy(const Node& node);
/// A socket's onProxyAuth {"user", "password"}.
ProxyAuthAnswer loadProxyAuthAnswer(const Node& node);
/// The fields of a socks5-proxy or http-proxy peer besides name, kind, host, port and address.
void loadProxyPeerFields(const Node& node, PeerSpec& peer);
/// Checks a signal spelling "name" or "name(args)"; returns name and args through the out parameters.
void parseSignalSpec(const Node& node, const std::string& text, std::string& name, std::string& args);
/// The spellings of sim::DnsFailure a file may use ("nxdomain", "servfail").
std::vector<std::string_view> dnsFailureSpellings();
/// Parses one expected trace line `[@time ][socket: ]compact`.
TraceLine parseTraceLine(const Node& node, const Scenario& s, const Declared& d);

}  // namespace simsock::scenario::detail
