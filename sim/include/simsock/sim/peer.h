// Scripted peers: small simulated programs on a host that talk to the sockets under test. They use
// SimEngine directly (not AbstractSocket), so they add no behaviour of their own to a trace, and they
// record what they receive so a test can check that nothing was lost.
//
// A script is a list of steps, run in order; a step that cannot finish yet waits for its engine's
// notification or its timer. The step set (a JSON scenario maps onto it one to one):
//   listen(port)          TCP: listen on every address of the host (dual stack), backlog 50
//   accept()              TCP: wait for the next connection; later steps act on it
//   connect(addr, port)   TCP: connect; wait until it is established (a failure ends the script)
//   send(bytes)           TCP: write all bytes, waiting for send-buffer room as needed
//   read(n)               TCP: wait until n more bytes have been read (an early EOF ends the script)
//   echo()                TCP: send back everything read until EOF, then go on.
//                         UDP: send every datagram back to its sender, for ever
//   close()               TCP: close the connection (FIN after pending data; RST if unread data)
//   reset()               TCP: close with RST at once (SO_LINGER 0)
//   silent()              TCP/UDP: never read again (the application hangs: back-pressure)
//   delay(ms)             wait ms virtual milliseconds
//   bind(port)            UDP: bind every address of the host on port
//   sendTo(addr, port, bytes)  UDP: send one datagram
//   ignore()              UDP: read and record datagrams for ever, never answer
// The factories prepend the first step: Peer::tcpServer adds listen(port), Peer::tcpClient adds
// connect(addr, port), Peer::udp adds bind(port).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "simsock/engine.h"
#include "simsock/event_loop.h"
#include "simsock/host_address.h"

namespace simsock::sim {

class Network;
class SimEngine;

enum class PeerStepKind { Listen, Accept, Connect, Send, Read, Echo, Close, Reset, Silent, Delay, Bind, SendTo, Ignore };

/// The step's name as logs and scenario files spell it ("accept", "send", "sendTo", ...).
const char* toString(PeerStepKind kind);

struct PeerStep {
    PeerStepKind kind = PeerStepKind::Delay;
    std::string data;           ///< send, sendTo: the bytes
    std::int64_t count = 0;     ///< read: bytes to wait for
    std::int64_t delayMs = 0;   ///< delay
    HostAddress address;        ///< connect, sendTo
    std::uint16_t port = 0;     ///< listen, connect, bind, sendTo
};

/// Builds a script: PeerScript().accept().read(5).send("hello").close().
class PeerScript {
public:
    PeerScript& listen(std::uint16_t port);
    PeerScript& accept();
    PeerScript& connect(const HostAddress& address, std::uint16_t port);
    PeerScript& send(std::string bytes);
    PeerScript& read(std::int64_t n);
    PeerScript& echo();
    PeerScript& close();
    PeerScript& reset();
    PeerScript& silent();
    PeerScript& delay(std::int64_t ms);
    PeerScript& bind(std::uint16_t port);
    PeerScript& sendTo(const HostAddress& address, std::uint16_t port, std::string bytes);
    PeerScript& ignore();
    /// Appends any step (for loaders).
    PeerScript& add(PeerStep step);
    const std::vector<PeerStep>& steps() const { return steps_; }

private:
    std::vector<PeerStep> steps_;
};

class Peer {
public:
    /// A TCP server on host:port running script for the connections it accepts.
    static std::unique_ptr<Peer> tcpServer(Network& net, const std::string& host, std::uint16_t port,
                                           const PeerScript& script);
    /// A TCP client on host that connects to address:port, then runs script.
    static std::unique_ptr<Peer> tcpClient(Network& net, const std::string& host, const HostAddress& address,
                                           std::uint16_t port, const PeerScript& script);
    /// A UDP program on host bound to port, running script.
    static std::unique_ptr<Peer> udp(Network& net, const std::string& host, std::uint16_t port, const PeerScript& script);

    /// A peer running script as given; call start() (the factories do).
    Peer(Network& net, std::string host, PeerScript script);
    ~Peer();
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    /// Runs the script as far as it can go now; the rest follows from the loop.
    void start();
    /// True once every step has run (or one failed).
    bool finished() const { return finished_; }
    /// Why the script stopped early ("connect: 111", "read: eof after 3 of 5 bytes"), or empty.
    const std::string& error() const { return error_; }
    /// Index of the step running now (== steps().size() when finished).
    std::size_t currentStep() const { return step_; }
    /// Every stream byte this peer has read, over all its connections, in order.
    const std::string& received() const { return received_; }
    /// Every datagram this peer has read, in order.
    const std::vector<std::string>& datagrams() const { return datagrams_; }
    /// Connections accepted so far.
    int accepted() const { return accepted_; }
    /// The port the listening or UDP socket is bound to (0 before).
    std::uint16_t localPort() const;
    const std::string& host() const { return host_; }

private:
    class Hook;
    void advance();
    bool runStep(const PeerStep& s);
    bool stepListen(const PeerStep& s);
    bool stepAccept();
    bool stepConnect(const PeerStep& s);
    bool stepSend(const PeerStep& s);
    bool stepRead(const PeerStep& s);
    bool stepEcho();
    bool stepUdpEcho(bool answer);
    bool stepDelay(const PeerStep& s);
    bool stepBind(const PeerStep& s);
    bool flushEcho();
    void fail(std::string why);
    void note(const std::string& what, std::int64_t bytes = 0);
    void setInterest(bool read, bool write);

    Network& net_;
    std::string host_;
    PeerScript script_;
    std::unique_ptr<SimEngine> listener_;
    std::unique_ptr<SimEngine> conn_;
    std::unique_ptr<SimEngine> udp_;
    std::unique_ptr<Hook> hook_;
    std::size_t step_ = 0;
    std::int64_t progress_ = 0;  // bytes done in the current step
    bool waiting_ = false;       // the current step has started its wait (connect, delay)
    bool connectDone_ = false;
    bool timerFired_ = false;
    bool advancing_ = false;
    bool finished_ = false;
    TimerId timer_ = kNoTimer;
    std::string echoPending_;
    std::string received_;
    std::vector<std::string> datagrams_;
    std::string error_;
    int accepted_ = 0;
};

}  // namespace simsock::sim
