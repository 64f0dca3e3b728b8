// A scripted peer: the other end of the sockets under test. It works on engines directly (not on the
// socket state machine under test), so its behaviour is plain kernel behaviour: accept, send, read,
// close with FIN, reset with RST. Its steps run in order, each starting when the previous one is done.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "simsock/engine.h"
#include "simsock/scenario/model.h"
#include "simsock/scenario/world.h"

namespace simsock::scenario {

class Peer {
public:
    /// Names the socket under test at address:port (for the diagram), or "".
    using Locator = std::function<std::string(const HostAddress&, std::uint16_t)>;

    Peer(const PeerSpec& spec, World& world, Locator locator);
    ~Peer();
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    /// Listens or binds now (at time 0) and starts the script. An error text when that fails.
    std::string start();
    /// Everything received, over all connections, in arrival order.
    const std::string& received() const { return received_; }
    std::int64_t accepted() const { return accepted_; }
    const std::string& name() const { return spec_.name; }
    /// Runtime problems (a send with nowhere to go): they fail the run.
    const std::vector<std::string>& problems() const { return problems_; }

private:
    struct Conn;
    class Listener;
    friend struct Conn;
    friend class Listener;

    void advance();
    bool runStep(const PeerStep& step);
    bool stepAccept();
    bool stepConnect();
    bool stepSend(const std::string& data);
    bool stepRead(std::int64_t count);
    bool stepEcho(std::int64_t count);
    void onAcceptable();
    void onReadable(Conn& c);
    void onWritable(Conn& c);
    void onConnected(Conn& c);
    void consume(Conn& c);
    void flush(Conn& c);
    void closeConn(Conn& c, bool reset);
    void log(const std::string& what, std::int64_t bytes, const std::string& target, const std::string& detail = {});
    std::string targetOf(const Conn& c) const;
    bool isUdp() const { return spec_.kind == PeerSpec::Kind::Udp; }

    PeerSpec spec_;
    World& world_;
    Backend& backend_;
    Locator locator_;
    std::unique_ptr<SocketEngine> listenEngine_;
    std::unique_ptr<Listener> listener_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::deque<Conn*> acceptedQueue_;
    Conn* current_ = nullptr;
    std::size_t pc_ = 0;
    bool waitingTimer_ = false;
    bool inAdvance_ = false;
    std::int64_t echoRemaining_ = -1;  ///< -1: not echoing; 0: echo forever
    bool echoForever_ = false;
    std::string received_;
    std::int64_t accepted_ = 0;
    std::vector<std::string> problems_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace simsock::scenario
