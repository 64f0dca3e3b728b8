// What a scripted peer needs from where it runs, besides its Backend: where a listening or UDP socket
// binds, where a name or literal of its script is, where its log lines go, and how the socket at an
// address is named in diagrams. A scenario's World fills these in (scenario hosts on the sim, or
// loopback addresses and remapped ports on a real engine); a C++ test can keep the defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "simsock/engine.h"
#include "simsock/host_address.h"
#include "simsock/socket_types.h"

namespace simsock::peer {

/// An address and port where something can be reached.
struct Endpoint {
    HostAddress address;
    std::uint16_t port = 0;
};

/// One thing a peer did, as its log reports it.
struct PeerEvent {
    std::int64_t timeNs = 0;  ///< the loop's clock
    std::string what;         ///< "listen", "bind", "accept", "connect", "connected", "connect-failed",
                              ///< "send", "recv", "echo", "eof", "close", "reset", "silent", "error",
                              ///< "accept-error"
    std::int64_t bytes = 0;
    std::string target;       ///< what the locator names at the other end, or ""
    std::string detail;       ///< "port N" (listen, bind), an strerror text, or ""
};

/// What a fault does to one connection the peer accepted: nothing, an orderly close (FIN), or a reset
/// (SO_LINGER {1, 0}, a real RST). A world realises event-triggered faults of the scenario this way.
enum class ConnectionFault { None, Close, Reset };

/// One moment of an accepted connection a fault may be triggered by: it was just accepted, or it has
/// now carried more payload bytes (received and sent counted together, as the sim counts them).
struct ConnectionProgress {
    std::uint16_t port = 0;     ///< the port of the script's listen step
    bool accepted = false;      ///< true: the connection was just accepted (before = after = 0)
    std::int64_t before = 0;    ///< payload bytes carried before this read or write
    std::int64_t after = 0;     ///< payload bytes carried after it
};

/// The callbacks; an empty one means its default.
struct PeerEnvironment {
    /// Binds a listening (TCP) or UDP engine for the script's port; returns 0 or the errno.
    /// Default: the any address, port, BindFlag::DefaultForPlatform.
    std::function<int(SocketEngine& engine, std::uint16_t port, SocketType type)> bind;
    /// Where host (a name or literal of the script) port is; nullopt when nowhere.
    /// Default: literals only, at port.
    std::function<std::optional<Endpoint>(const std::string& host, std::uint16_t port, SocketType type)> reach;
    /// Receives every event the peer logs. Default: none.
    std::function<void(const PeerEvent& event)> log;
    /// Names the socket at address port for diagrams (the socket under test), or "". Default: "".
    std::function<std::string(const HostAddress& address, std::uint16_t port)> locate;
    /// What to do to an accepted connection at progress (acted on at once). Default: ConnectionFault::None.
    std::function<ConnectionFault(const ConnectionProgress& progress)> connectionFault;
};

/// env with every empty callback replaced by its default.
PeerEnvironment withDefaults(PeerEnvironment env);

}  // namespace simsock::peer
