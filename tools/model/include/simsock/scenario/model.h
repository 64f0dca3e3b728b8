// The scenario model: what a scenario file says, after loading and checking. Every field is explicit;
// defaults are the documented ones of scenarios/README.md, never invented by the runner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "simsock/network_proxy.h"
#include "simsock/peer/proxy_peer.h"
#include "simsock/program.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/json_tree.h"
#include "simsock/sim/fault_kinds.h"
#include "simsock/socket_types.h"

namespace simsock::scenario {

struct HostSpec {
    std::string name;
    std::vector<std::string> addresses;
    bool privileged = false;  ///< may bind ports below 1024
};

struct DnsSpec {
    std::string name;
    std::vector<std::string> addresses;
    std::optional<std::int64_t> delayNs;
    std::optional<sim::DnsFailure> failure;
};

/// The path between two hosts; unset fields keep the simulator's defaults.
struct LinkSpec {
    std::string a, b;
    std::optional<std::int64_t> latencyNs, jitterNs, bandwidthBytesPerSec, reorderDelayNs, tcpRetransmitNs;
    std::optional<std::uint32_t> lossPpm, duplicatePpm, reorderPpm;
    std::optional<int> mtu;
    std::optional<bool> mtuLimitsDatagrams;
    std::optional<std::int64_t> maxDatagram;
};

struct NetworkSpec {
    std::vector<HostSpec> hosts;
    std::vector<DnsSpec> dns;
    std::vector<LinkSpec> links;
    std::optional<std::int64_t> dnsDelayNs;
};

/// One step of a peer's script. The peer runs its steps in order, each when the previous one is done.
struct PeerStep {
    enum class Kind { Accept, Connect, Send, Echo, Read, Close, Reset, Silent, Delay, HandOver };
    Kind kind = Kind::Accept;
    std::string data;         ///< Send
    std::int64_t count = 0;   ///< Read: bytes to wait for; Echo: bytes (0 = everything, forever)
    std::int64_t delayNs = 0; ///< Delay
    SourcePos pos;
};

struct PeerSpec {
    enum class Kind { TcpServer, TcpClient, Udp, Socks5Proxy, HttpProxy };
    std::string name;
    Kind kind = Kind::TcpServer;
    std::string host;          ///< the host it lives on
    std::uint16_t port = 0;    ///< server / UDP: its port
    std::string address;       ///< server / UDP: the one address it binds (a literal); "": every address
    std::vector<std::pair<std::string, int>> options;  ///< Qt option spelling -> value, on each of its sockets
    std::string connectHost;   ///< TcpClient: where it connects
    std::uint16_t connectPort = 0;
    std::vector<PeerStep> script;
    /// Socks5Proxy, HttpProxy: how the proxy answers (settings.port is `port`).
    peer::ProxySettings proxy;
    /// A proxy peer without a fault may be realised by a real server on a real engine (`"realServer": false`
    /// keeps the scripted one everywhere).
    bool realServer = true;
    SourcePos pos;

    bool isProxy() const { return kind == Kind::Socks5Proxy || kind == Kind::HttpProxy; }
};

/// One fault of the `faults` section. Which of `values` apply, and how they become a sim::FaultSpec, is
/// the kind's row in sim::faultKinds().
struct FaultEntry {
    sim::FaultKind kind = sim::FaultKind::RefusePort;
    sim::FaultValues values;
    std::optional<std::int64_t> durationNs;
    std::string label;
    // Trigger: at a time (atNs), or on an event (onEvent, never AtTime then).
    std::optional<std::int64_t> atNs;
    sim::FaultTrigger::Kind onEvent = sim::FaultTrigger::Kind::AtTime;
    std::int64_t onBytes = 0;  ///< AfterBytes
    int times = 1;
    SourcePos pos;
};

struct ProxySpec {
    NetworkProxy::ProxyType type = NetworkProxy::DefaultProxy;
    std::string host;
    std::uint16_t port = 0;
    std::string user, password;
    std::optional<unsigned> capabilities;  ///< NetworkProxy::Capability bits; unset: the type's defaults
};

/// What a socket's proxyAuthenticationRequired handler writes into the authenticator (`onProxyAuth`).
struct ProxyAuthAnswer {
    std::string user, password;
};

struct SocketSpec {
    std::string name;
    std::string type;  ///< "tcp" or "udp"
    std::string host;  ///< the simulated host it lives on; empty: the network's first host
    std::vector<std::pair<std::string, int>> options;  ///< Qt option spelling -> value, in file order
    std::optional<std::int64_t> readBufferSize;
    std::optional<std::int64_t> connectTimeoutNs;
    std::optional<ProxySpec> proxy;
    std::optional<ProxyAuthAnswer> onProxyAuth;  ///< unset: the handler leaves the authenticator empty
    /// A server under test: the socket is a connection it accepted, under test once a
    /// nextPendingConnection action names it (`as`); until then actions on it are problems.
    std::string acceptedBy;
    SourcePos pos;
};

/// A TcpServer under test (`servers`): created on its host before the run; its calls are actions.
struct ServerSpec {
    std::string name;
    std::string host;  ///< empty: the network's first host
    SourcePos pos;
};

/// Which signal starts a signal-triggered action: the nth emission (1-based) of signal on socket, and
/// `times` emissions from there (-1: every one).
struct SignalTrigger {
    std::string socket;   ///< the object's name (a server's when server is true)
    bool server = false;
    std::string signal;   ///< bare name: "connected", "stateChanged"
    std::string args;     ///< "" (any) or the comma-joined argument spellings: "ConnectedState"
    int nth = 1;
    int times = 1;
};

/// One call on an object under test (a socket, or a server when `server` is set). Arguments unused by
/// `call` (see its row in calls()) keep their defaults.
struct ActionSpec {
    std::optional<std::int64_t> atNs;
    std::optional<SignalTrigger> on;
    std::string socket;       ///< the object's name (a socket's, or a server's when server is true)
    bool server = false;      ///< the file named it with "server" (a TcpServer under test)
    Call call = Call::ConnectToHost;
    std::string host;         ///< connectToHost: name or literal; bind/writeDatagram/listen: address
    std::uint16_t port = 0;
    std::string portOf;       ///< port given as {"portOf": name}: that socket's, server's or peer's port when run
    std::string data;         ///< write / writeDatagram; putChar/ungetChar: one byte; setProtocolTag: the tag
    std::int64_t size = -1;   ///< read: maxSize; setReadBufferSize: the size
    SocketOption option = SocketOption::LowDelayOption;  ///< setSocketOption, socketOption
    int value = 0;            ///< setSocketOption, setMaxPendingConnections, setListenBacklogSize
    int timeoutMs = 30000;    ///< waitFor*, setConnectTimeoutMs
    PauseMode pauseMode = PauseMode::PauseNever;  ///< setPauseMode
    ProxySpec proxy;          ///< setProxy
    std::int64_t descriptor = -1;   ///< setSocketDescriptor: a number ...
    std::string descriptorFrom;     ///< ... or {"takeFrom": peer}: what that peer handed over
    std::optional<SocketState> state;      ///< setSocketDescriptor
    std::optional<OpenModeFlag> openMode;  ///< setSocketDescriptor
    std::string as;           ///< nextPendingConnection: the socket under test the connection becomes
    int repeat = 1;           ///< the call is made this many times each time the action runs
    std::optional<std::int64_t> untilReadBytes;  ///< stop once the socket's reads returned this many bytes
    std::string id;           ///< names the return value for expect.returns
    SourcePos pos;
};

/// One of the user's programs (`programs`): a registered Program run on a host from a time.
struct ProgramSpec {
    std::string name;      ///< its name in this scenario: traced sockets are `<name>.<socket>`
    std::string program;   ///< the registered program's name (ProgramRegistry)
    std::string host;      ///< empty: the network's first host
    std::int64_t startNs = 0;
    JsonValue params;      ///< the `params` object as written (an empty object when absent)
    std::string paramsPath;  ///< its JSON path, for diagnostics: `$.programs[0].params`
    SourcePos pos;
};

/// An expected trace entry: `[@<time> ][<socket>: ]<compact>`.
struct TraceLine {
    std::optional<std::int64_t> timeNs;
    std::string socket;  ///< empty: any socket
    std::string compact;
    SourcePos pos;
};

struct SocketExpect {
    std::optional<std::string> state, error;
    std::optional<std::int64_t> bytesAvailable, bytesToWrite, readBytes;
    std::optional<std::string> read;
    std::optional<bool> isOpen;
};

struct PeerExpect {
    std::optional<std::string> received;
    std::optional<std::int64_t> receivedBytes;
    std::optional<std::int64_t> accepted;
};

struct Expectations {
    std::optional<std::vector<TraceLine>> trace;
    std::optional<std::vector<TraceLine>> subsequence;
    std::map<std::string, SocketExpect> sockets;
    std::map<std::string, PeerExpect> peers;
    std::map<std::string, ReturnValue> returns;
    /// expect.programs: program name -> exposed key -> value.
    std::map<std::string, std::map<std::string, ProgramValue>> programs;
    std::optional<std::size_t> traceBegin, traceEnd;  ///< byte range of expect.trace in the file
};

struct Scenario {
    std::string file;
    std::string description;
    std::uint64_t seed = 1;
    /// The loop's order when a socket is readable and writable at once (key "dispatch", default Qt's glib).
    DispatchOrder dispatch = DispatchOrder::Glib;
    std::vector<std::string> engines;
    NetworkSpec network;
    std::vector<PeerSpec> peers;
    std::vector<FaultEntry> faults;
    std::vector<SocketSpec> sockets;
    std::vector<ServerSpec> servers;
    std::vector<ActionSpec> actions;
    std::vector<ProgramSpec> programs;
    std::optional<ProxySpec> applicationProxy;  ///< set before the run, restored after it
    std::int64_t runForNs = 0;
    Expectations expect;
    std::optional<std::string> expectFailure;
    std::size_t expectObjectEnd = 0;  ///< byte offset of expect's closing brace (record inserts there)
    bool hasExpect = false;
};

}  // namespace simsock::scenario
