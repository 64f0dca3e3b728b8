// A scripted peer: the other end of the sockets under test, on any engine. It drives SocketEngines of
// its Backend directly (not the socket state machine under test), so what it does is plain kernel
// behaviour: listen, accept, connect, send, read, close with FIN, reset with RST. It runs a PeerScript
// (peer_script.h says what each step means) and reports what it did through its environment's log.
// Its environment may also close or reset a connection it accepted, on accept or once the connection has
// carried some bytes (PeerEnvironment::connectionFault): a real engine's event-triggered faults.
//
//   sim::SimBackend server(net, "server");
//   peer::Peer srv(server, "srv", peer::PeerScript().listen(7000).accept().read(5).send("hello").close());
//   srv.start();
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "simsock/backend.h"
#include "simsock/peer/peer_environment.h"
#include "simsock/peer/peer_script.h"

namespace simsock::peer {

class Peer {
public:
    /// A peer named name (in problem texts) running script on backend's engines and loop; backend
    /// must outlive it. Nothing happens before start().
    Peer(Backend& backend, std::string name, PeerScript script, PeerEnvironment env = {});
    ~Peer();
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    /// Runs the script as far as it goes now; the loop does the rest. Returns why a listen or bind
    /// step failed during this call ("peer srv: cannot listen on port 7: Permission denied"), else "".
    std::string start();
    /// The name given at construction.
    const std::string& name() const { return name_; }
    /// Everything received, over all connections (UDP: all datagrams), in arrival order.
    const std::string& received() const { return received_; }
    /// UDP: every datagram received, in arrival order.
    const std::vector<std::string>& datagrams() const { return datagrams_; }
    /// Connections accepted.
    std::int64_t accepted() const { return accepted_; }
    /// The port the listening or UDP socket is bound to (0 before, or for a TCP client).
    std::uint16_t localPort() const;
    /// True once no step is left to run: all ran, or a problem ended the script.
    bool finished() const { return pc_ >= script_.steps().size(); }
    /// Runtime problems (a step with no connection, a send with nowhere to go): a scenario run fails.
    const std::vector<std::string>& problems() const { return problems_; }
    /// The oldest descriptor a handOver step accepted and nobody took yet, now the caller's (to adopt on
    /// this peer's backend); -1 when there is none. Descriptors never taken are closed with the peer.
    std::intptr_t takeDescriptor();

private:
    struct Conn;
    class Listener;
    friend struct Conn;
    friend class Listener;

    void advance();
    bool runStep(const Step& step);
    bool needsConnection(const Step& step) const;
    bool stepListenOrBind(const Step& step);
    bool stepAccept();
    bool stepConnect(const Step& step);
    bool stepSend(const std::string& data);
    bool stepSendTo(const Step& step);
    bool stepRead(std::int64_t count);
    bool stepEcho(std::int64_t count);
    bool stepClose(bool reset);
    bool stepSilent();
    bool stepDelay(std::int64_t delayNs);
    bool stepHandOver();
    void applyOptions(SocketEngine& engine);
    void sendDatagram(const std::string& data, const Endpoint& to);
    void onAcceptable();
    void onReadable(Conn& c);
    void onWritable(Conn& c);
    void onConnected(Conn& c);
    IoResult readStream(Conn& c);
    IoResult readDatagrams(Conn& c);
    void consume(Conn& c);
    void flush(Conn& c);
    void closeConn(Conn& c, bool reset);
    void carry(Conn& c, std::int64_t n);
    void actOnFault(Conn& c, const ConnectionProgress& progress);
    void fail(std::string problem);
    void log(const std::string& what, std::int64_t bytes, const std::string& target, const std::string& detail = {});
    std::string targetOf(const Conn& c) const;

    Backend& backend_;
    std::string name_;
    PeerScript script_;
    PeerEnvironment env_;
    bool udp_ = false;  ///< a bind step ran: the peer's socket is UDP
    std::uint16_t listenPort_ = 0;  ///< the listen step's port (as the script names it)
    std::unique_ptr<SocketEngine> listenEngine_;
    std::unique_ptr<Listener> listener_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::deque<Conn*> acceptedQueue_;
    std::deque<std::intptr_t> handedOver_;  ///< descriptors accepted by handOver steps, not taken yet
    bool handOverDone_ = false;            ///< the running handOver step has its descriptor
    Conn* current_ = nullptr;
    std::size_t pc_ = 0;
    bool waitingTimer_ = false;
    bool inAdvance_ = false;
    bool starting_ = false;
    std::string startError_;
    std::int64_t echoRemaining_ = -1;  ///< -1: not echoing a count
    bool echoForever_ = false;
    std::string udpDestinationHost_;  ///< UDP connect: where send goes before any datagram arrived
    std::uint16_t udpDestinationPort_ = 0;
    std::string received_;
    std::vector<std::string> datagrams_;
    std::int64_t accepted_ = 0;
    std::vector<std::string> problems_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simsock::peer
