// A scripted peer's program, built in C++: PeerScript().listen(7000).accept().read(5).send("hi").close().
// Scenario files map onto it one to one (scenarios/README.md, `peers`). The peer runs the steps in
// order, each when the previous one is done; this table is the one meaning of each step, on every engine:
//
//   step                  TCP                                              UDP
//   listen(port)          listen on port (where the environment binds it;  -
//                         0: any), backlog 50; logs "listen"
//   bind(port)            -                                                bind port: the peer's one socket,
//                                                                          current from here on; logs "bind"
//   accept()              wait for the next connection; later steps act    -
//                         on it (the listener accepts only while an
//                         accept step waits)
//   handOver()            wait for the next connection and hand its        -
//                         descriptor over (takeDescriptor()) instead of
//                         keeping it: later steps act on no connection
//   connect(host, port)   connect and wait until established; a refusal    where send goes until a datagram
//                         is logged ("connect-failed") and the script      arrives (no kernel connect)
//                         waits for ever; no-op once a connection exists
//   send(bytes)           queue the bytes and go on at once; they are      one datagram to the last sender,
//                         written as the send buffer has room              else to the connect destination
//   sendTo(host, port, b) -                                                one datagram to host:port
//   read(n)               wait until n unconsumed bytes arrived, then      wait for n unconsumed datagrams,
//                         consume them (an EOF first: wait for ever)       then consume them
//   echo()                send back everything unconsumed, now and from    each datagram back to its sender,
//                         now on, for ever; go on at once                  for ever; go on at once
//   echo(n)               send back the next n bytes; wait for them        n datagrams back; wait for them
//   close()               FIN once the queued bytes are written (RST when  -
//                         unread bytes are left, after silent, as Linux)
//   reset()               RST now (SocketEngine::abort); queued bytes are  -
//                         dropped
//   silent()              never read this connection again (the program    never read again
//                         hangs: back-pressure); go on at once
//   delay(ns)             wait ns on the loop's clock                      the same
//
// option(o, value) is not a step: every socket the peer creates (listening, accepted, connected, UDP)
// gets the option before it binds or connects, as setSocketOption would set it.
//
// Whatever the script does, a peer reads everything that arrives on its connections (unless silent),
// counts it in received(), and keeps it for read and echo steps; it goes on reading after the script
// ends. An end of stream is logged ("eof") and ends reading of that connection. Steps after the first
// that need a connection (all but listen, bind, accept, connect, delay) with none made are a problem
// that ends the script.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "simsock/host_address.h"
#include "simsock/socket_types.h"

namespace simsock::peer {

/// One step of a script; the fields a kind does not use stay at their defaults.
struct Step {
    enum class Kind { Listen, Bind, Accept, Connect, Send, SendTo, Read, Echo, Close, Reset, Silent, Delay, HandOver };
    Kind kind = Kind::Delay;
    std::string data;          ///< Send, SendTo: the bytes
    std::int64_t count = 0;    ///< Read: bytes (UDP: datagrams) to wait for; Echo: how many, 0 = for ever
    std::int64_t delayNs = 0;  ///< Delay
    std::string host;          ///< Connect, SendTo: a name or literal the environment resolves
    std::uint16_t port = 0;    ///< Listen, Bind, Connect, SendTo
};

/// Builds a script step by step; each call appends one step (see the table above) and returns *this.
class PeerScript {
public:
    /// TCP: listens on port (0: any).
    PeerScript& listen(std::uint16_t port);
    /// UDP: binds port (0: any).
    PeerScript& bind(std::uint16_t port);
    /// TCP: waits for the next connection.
    PeerScript& accept();
    /// TCP: connects to host (a name or literal) port. UDP: the destination of send until a datagram arrives.
    PeerScript& connect(std::string host, std::uint16_t port);
    /// connect(address.toString(), port).
    PeerScript& connect(const HostAddress& address, std::uint16_t port);
    /// TCP: queues bytes for sending. UDP: one datagram to the last sender (or the connect destination).
    PeerScript& send(std::string bytes);
    /// UDP: one datagram to host port.
    PeerScript& sendTo(std::string host, std::uint16_t port, std::string bytes);
    /// sendTo(address.toString(), port, bytes).
    PeerScript& sendTo(const HostAddress& address, std::uint16_t port, std::string bytes);
    /// Waits for n bytes (UDP: datagrams) and consumes them.
    PeerScript& read(std::int64_t n);
    /// Echoes everything, for ever, and goes on at once.
    PeerScript& echo();
    /// Echoes the next n bytes (UDP: datagrams) and waits for them; echo(0) is echo().
    PeerScript& echo(std::int64_t n);
    /// TCP: FIN once the queued bytes are written.
    PeerScript& close();
    /// TCP: RST now.
    PeerScript& reset();
    /// Stops reading the current connection (UDP: the socket) for good.
    PeerScript& silent();
    /// Waits ns nanoseconds on the loop's clock.
    PeerScript& delay(std::int64_t ns);
    /// TCP: waits for the next connection and hands its descriptor over (Peer::takeDescriptor).
    PeerScript& handOver();
    /// Not a step: every socket the peer creates gets option = value before it binds or connects.
    PeerScript& option(SocketOption option, int value);
    /// The steps in order.
    const std::vector<Step>& steps() const { return steps_; }
    /// The options, in the order given.
    const std::vector<std::pair<SocketOption, int>>& options() const { return options_; }

private:
    PeerScript& add(Step step);
    std::vector<Step> steps_;
    std::vector<std::pair<SocketOption, int>> options_;
};

}  // namespace simsock::peer
