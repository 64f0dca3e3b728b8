// Where a test's sockets, servers and scripted peers live: each is made on a Backend (a sim host or the
// epoll engine), named, recorded into one Recorder, and kept until the stage is destroyed. SimNet and Env
// own one; a test reaches it through them (net.tcpSocket("c"), env.peer("srv", script), ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "simsock/backend.h"
#include "simsock/host_address.h"
#include "simsock/peer/peer.h"
#include "simsock/peer/peer_script.h"
#include "simsock/tcp_server.h"
#include "simsock/tcp_socket.h"
#include "simsock/testing/recorder.h"
#include "simsock/udp_socket.h"

namespace simsock::testing {

using peer::PeerScript;

/// A TcpServer that takes every connection as it arrives; accepted sockets are named "<name>.0",
/// "<name>.1", ... and recorded.
class Listener {
public:
    /// A server on backend (not yet listening) whose accepted sockets are recorded into recorder.
    Listener(Backend& backend, std::string name, Recorder& recorder);
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// The server itself (close it, change its backlog, ...).
    TcpServer& server() { return server_; }
    /// The port it listens on (0 when not listening).
    std::uint16_t port() const { return server_.serverPort(); }
    /// Connections accepted so far.
    std::size_t count() const { return accepted_.size(); }
    /// The i-th accepted socket. Asking for one not accepted yet is a test failure (and throws
    /// std::out_of_range, which ends the test).
    TcpSocket& accepted(std::size_t i = 0);
    /// The name accepted sockets are numbered after.
    const std::string& name() const { return name_; }

private:
    void takePending();

    std::string name_;
    Recorder& recorder_;
    TcpServer server_;
    std::vector<std::unique_ptr<TcpSocket>> accepted_;
};

class Stage {
public:
    Stage() = default;
    Stage(const Stage&) = delete;
    Stage& operator=(const Stage&) = delete;

    /// A socket of type S (TcpSocket, UdpSocket, or a class of yours derived from one and constructible from
    /// a Backend&) on backend, named name and recorded from its first signal.
    template <class S>
    S& socket(Backend& backend, const std::string& name) {
        auto s = std::make_unique<S>(backend);
        S& ref = *s;
        ref.setObjectName(name);
        recorder_.record(ref);
        sockets_.push_back(std::move(s));
        return ref;
    }
    /// socket<TcpSocket>.
    TcpSocket& tcpSocket(Backend& backend, const std::string& name) { return socket<TcpSocket>(backend, name); }
    /// socket<UdpSocket>.
    UdpSocket& udpSocket(Backend& backend, const std::string& name) { return socket<UdpSocket>(backend, name); }
    /// A Listener on backend listening on address:port (0: any free port; Listener::port() says which). Not
    /// listening is a test failure.
    Listener& listen(Backend& backend, const std::string& name, const HostAddress& address, std::uint16_t port);
    /// A scripted peer named name on backend, started, its steps recorded under name. env's log is replaced;
    /// a start problem (cannot listen) is a test failure.
    peer::Peer& peer(Backend& backend, const std::string& name, PeerScript script, peer::PeerEnvironment env = {});

    Recorder& recorder() { return recorder_; }
    const Recorder& recorder() const { return recorder_; }
    /// Every scripted peer's runtime problems, "name: problem" (a scenario run would fail on any).
    std::vector<std::string> peerProblems() const;

private:
    Recorder recorder_;  // destroyed last: peers log into it, and a socket's destruction emits nothing
    std::vector<std::unique_ptr<AbstractSocket>> sockets_;
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::vector<std::unique_ptr<peer::Peer>> peers_;
};

}  // namespace simsock::testing
