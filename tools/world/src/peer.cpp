#include "simsock/scenario/peer.h"

#include <cerrno>
#include <cstring>

namespace simsock::scenario {

// One engine the peer drives: an accepted or connected TCP connection, or the bound UDP socket.
struct Peer::Conn final : EngineReceiver {
    Conn(Peer& p, std::unique_ptr<SocketEngine> e) : peer(p), engine(std::move(e)) { engine->setReceiver(this); }
    ~Conn() override {
        if (engine) engine->setReceiver(nullptr);
    }
    void readNotification() override { peer.onReadable(*this); }
    void writeNotification() override { peer.onWritable(*this); }
    void connectionNotification() override { peer.onConnected(*this); }

    Peer& peer;
    std::unique_ptr<SocketEngine> engine;
    std::string out;        ///< TCP: bytes the script sent that the kernel has not taken yet
    std::string pending;    ///< TCP: bytes received that no read/echo step has consumed
    std::deque<std::pair<std::string, DatagramHeader>> datagrams;  ///< UDP: unconsumed datagrams
    DatagramHeader lastSender;
    bool closed = false;
    bool closeAfterFlush = false;
    bool silent = false;
};

class Peer::Listener final : public EngineReceiver {
public:
    explicit Listener(Peer& p) : peer_(p) {}
    void readNotification() override { peer_.onAcceptable(); }
    void writeNotification() override {}
    void connectionNotification() override {}

private:
    Peer& peer_;
};

Peer::Peer(const PeerSpec& spec, World& world, Locator locator)
    : spec_(spec), world_(world), backend_(world.backendOn(spec.host)), locator_(std::move(locator)) {}

Peer::~Peer() {
    *alive_ = false;
    if (listenEngine_) listenEngine_->setReceiver(nullptr);
}

void Peer::log(const std::string& what, std::int64_t bytes, const std::string& target, const std::string& detail) {
    world_.log().push_back(LogEvent{world_.loop().nowNs(), spec_.name, what, bytes, target, detail});
}

std::string Peer::targetOf(const Conn& c) const {
    if (!c.engine || !c.engine->isValid()) return {};
    return locator_(c.engine->peerAddress(), c.engine->peerPort());
}

std::string Peer::start() {
    if (spec_.kind == PeerSpec::Kind::TcpClient) {
        advance();
        return {};
    }
    const SocketType type = isUdp() ? SocketType::UdpSocket : SocketType::TcpSocket;
    auto engine = backend_.createEngine(type);
    int err = engine->initialize(NetworkLayerProtocol::AnyIPProtocol);
    if (err == 0) err = world_.bindPeer(*engine, spec_.host, spec_.port, type);
    if (err == 0 && !isUdp()) err = engine->listen(50);
    if (err != 0) return "peer " + spec_.name + ": cannot listen on port " + std::to_string(spec_.port) + ": " + std::strerror(err);
    if (isUdp()) {
        conns_.push_back(std::make_unique<Conn>(*this, std::move(engine)));
        current_ = conns_.back().get();
        current_->engine->setReadNotificationEnabled(true);
    } else {
        listenEngine_ = std::move(engine);
        listener_ = std::make_unique<Listener>(*this);
        listenEngine_->setReceiver(listener_.get());
    }
    log(isUdp() ? "bind" : "listen", 0, {}, "port " + std::to_string(spec_.port));
    advance();
    return {};
}

void Peer::advance() {
    if (inAdvance_) return;  // a step's own engine calls never re-enter the script
    inAdvance_ = true;
    while (pc_ < spec_.script.size() && !waitingTimer_) {
        if (!runStep(spec_.script[pc_])) break;
        ++pc_;
    }
    inAdvance_ = false;
}

bool Peer::runStep(const PeerStep& step) {
    using K = PeerStep::Kind;
    if (step.kind != K::Accept && step.kind != K::Connect && step.kind != K::Delay && !current_) {
        problems_.push_back("peer " + spec_.name + ": a step needs a connection, but none was accepted or made");
        pc_ = spec_.script.size();
        return false;
    }
    switch (step.kind) {
    case K::Accept: return stepAccept();
    case K::Connect: return stepConnect();
    case K::Send: return stepSend(step.data);
    case K::Read: return stepRead(step.count);
    case K::Echo: return stepEcho(step.count);
    case K::Close:
    case K::Reset:
        if (step.kind == K::Close && !current_->out.empty()) {
            current_->closeAfterFlush = true;
        } else {
            closeConn(*current_, step.kind == K::Reset);
        }
        return true;
    case K::Silent:
        current_->silent = true;
        if (current_->engine->isValid()) current_->engine->setReadNotificationEnabled(false);
        log("silent", 0, targetOf(*current_));
        return true;
    case K::Delay: {
        waitingTimer_ = true;
        std::weak_ptr<bool> token = alive_;
        world_.loop().startTimer(step.delayNs, [this, token] {
            if (token.expired()) return;
            waitingTimer_ = false;
            ++pc_;
            advance();
        }, false);
        return false;
    }
    }
    return true;
}

bool Peer::stepAccept() {
    if (acceptedQueue_.empty()) {
        listenEngine_->setReadNotificationEnabled(true);
        return false;
    }
    current_ = acceptedQueue_.front();
    acceptedQueue_.pop_front();
    return true;
}

bool Peer::stepConnect() {
    if (current_) return true;  // already connected by this step; advance() re-runs it on completion
    auto to = world_.endpointOf(spec_.connectHost, spec_.connectPort, SocketType::TcpSocket, spec_.host);
    if (!to) {
        problems_.push_back("peer " + spec_.name + ": no address for \"" + spec_.connectHost + "\"");
        return false;
    }
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    int err = engine->initialize(to->address.protocol());
    auto conn = std::make_unique<Conn>(*this, std::move(engine));
    Conn& c = *conn;
    conns_.push_back(std::move(conn));
    if (err == 0) err = c.engine->connect(to->address, to->port);
    log("connect", 0, locator_(to->address, to->port), err == EINPROGRESS || err == 0 ? "" : std::strerror(err));
    if (err == 0) {
        onConnected(c);
        return current_ != nullptr;
    }
    if (err != EINPROGRESS) problems_.push_back("peer " + spec_.name + ": connect failed: " + std::strerror(err));
    return false;
}

void Peer::onConnected(Conn& c) {
    int err = c.engine->connectResult();
    if (err != 0) {
        log("connect-failed", 0, {}, std::strerror(err));
        return;
    }
    current_ = &c;
    c.engine->setReadNotificationEnabled(true);
    log("connected", 0, targetOf(c));
    advance();
}

bool Peer::stepSend(const std::string& data) {
    Conn& c = *current_;
    if (c.closed) {
        problems_.push_back("peer " + spec_.name + ": send on a closed connection");
        return true;
    }
    if (!isUdp()) {
        c.out += data;
        flush(c);
        return true;
    }
    DatagramHeader to = c.lastSender;
    if (to.senderAddress.isNull() && !spec_.connectHost.empty()) {
        auto where = world_.endpointOf(spec_.connectHost, spec_.connectPort, SocketType::UdpSocket, spec_.host);
        to.senderAddress = where ? where->address : HostAddress();
        to.senderPort = where ? where->port : 0;
    }
    if (to.senderAddress.isNull()) {
        problems_.push_back("peer " + spec_.name + ": send before any datagram arrived (give the peer \"connect\")");
        return true;
    }
    IoResult r = c.engine->writeDatagram(data.data(), data.size(), to.senderAddress, to.senderPort);
    log("send", r.bytes, locator_(to.senderAddress, to.senderPort), r.error ? std::strerror(r.error) : "");
    return true;
}

bool Peer::stepRead(std::int64_t count) {
    Conn& c = *current_;
    if (isUdp()) {
        if (static_cast<std::int64_t>(c.datagrams.size()) < count) return false;
        for (std::int64_t i = 0; i < count; ++i) c.datagrams.pop_front();
        return true;
    }
    if (static_cast<std::int64_t>(c.pending.size()) < count) return false;
    c.pending.erase(0, static_cast<std::size_t>(count));
    return true;
}

bool Peer::stepEcho(std::int64_t count) {
    if (count == 0) {
        echoForever_ = true;
        consume(*current_);
        return true;
    }
    if (echoRemaining_ < 0) echoRemaining_ = count;
    consume(*current_);
    if (echoRemaining_ > 0) return false;
    echoRemaining_ = -1;
    return true;
}

// Echoes what the current echo mode asks for from c's unconsumed input.
void Peer::consume(Conn& c) {
    bool echoing = echoForever_ || echoRemaining_ > 0;
    if (!echoing || c.closed) return;
    if (isUdp()) {
        while (!c.datagrams.empty() && (echoForever_ || echoRemaining_ > 0)) {
            auto [data, from] = c.datagrams.front();
            c.datagrams.pop_front();
            IoResult r = c.engine->writeDatagram(data.data(), data.size(), from.senderAddress, from.senderPort);
            log("echo", r.bytes, locator_(from.senderAddress, from.senderPort), r.error ? std::strerror(r.error) : "");
            if (!echoForever_) --echoRemaining_;
        }
        return;
    }
    std::size_t n = echoForever_ ? c.pending.size()
                                 : std::min(c.pending.size(), static_cast<std::size_t>(echoRemaining_));
    if (n == 0) return;
    c.out += c.pending.substr(0, n);
    c.pending.erase(0, n);
    if (!echoForever_) echoRemaining_ -= static_cast<std::int64_t>(n);
    flush(c);
}

namespace {
constexpr std::size_t kChunk = 64 * 1024;
// Accept failures (EMFILE) are retried after this long instead of spinning on a level-triggered listener.
constexpr std::int64_t kAcceptRetryNs = 10'000'000;
}  // namespace

void Peer::onAcceptable() {
    int err = 0;
    std::intptr_t fd = listenEngine_->accept(err);
    if (fd < 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) return;
        log("accept-error", 0, {}, std::strerror(err));
        listenEngine_->setReadNotificationEnabled(false);
        std::weak_ptr<bool> token = alive_;
        world_.loop().startTimer(kAcceptRetryNs, [this, token] {
            if (!token.expired() && pc_ < spec_.script.size()) listenEngine_->setReadNotificationEnabled(true);
        }, false);
        return;
    }
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    int aerr = engine->adoptDescriptor(fd);
    if (aerr != 0) {
        log("accept-error", 0, {}, std::strerror(aerr));
        return;
    }
    conns_.push_back(std::make_unique<Conn>(*this, std::move(engine)));
    Conn& c = *conns_.back();
    c.engine->setReadNotificationEnabled(true);
    ++accepted_;
    log("accept", 0, targetOf(c));
    acceptedQueue_.push_back(&c);
    listenEngine_->setReadNotificationEnabled(false);
    advance();
}

void Peer::onReadable(Conn& c) {
    if (c.closed || c.silent) return;
    char buf[kChunk];
    std::int64_t got = 0;
    while (true) {
        IoResult r;
        DatagramHeader from;
        if (isUdp()) {
            if (!c.engine->hasPendingDatagrams()) break;
            r = c.engine->readDatagram(buf, sizeof buf, &from);
        } else {
            r = c.engine->read(buf, sizeof buf);
        }
        if (r.bytes > 0 || (isUdp() && r.error == 0)) {
            received_.append(buf, static_cast<std::size_t>(r.bytes));
            got += r.bytes;
            if (isUdp()) {
                c.datagrams.emplace_back(std::string(buf, static_cast<std::size_t>(r.bytes)), from);
                c.lastSender = from;
                log("recv", r.bytes, locator_(from.senderAddress, from.senderPort));
                got = 0;
                continue;
            }
            c.pending.append(buf, static_cast<std::size_t>(r.bytes));
            continue;
        }
        if (got > 0) log("recv", got, targetOf(c));
        got = 0;
        if (r.eof) {
            log("eof", 0, targetOf(c));
            c.engine->setReadNotificationEnabled(false);
        } else if (r.error != 0 && r.error != EAGAIN && r.error != EWOULDBLOCK) {
            log("error", 0, targetOf(c), std::strerror(r.error));
            c.engine->setReadNotificationEnabled(false);
        }
        break;
    }
    if (got > 0) log("recv", got, targetOf(c));
    if (&c == current_) {
        consume(c);
        advance();
    }
}

void Peer::flush(Conn& c) {
    while (!c.out.empty() && !c.closed) {
        IoResult r = c.engine->write(c.out.data(), c.out.size());
        if (r.bytes > 0) {
            log("send", r.bytes, targetOf(c));
            c.out.erase(0, static_cast<std::size_t>(r.bytes));
            continue;
        }
        if (r.error == EAGAIN || r.error == EWOULDBLOCK) {
            c.engine->setWriteNotificationEnabled(true);
            return;
        }
        log("error", 0, targetOf(c), std::strerror(r.error));
        c.out.clear();
        break;
    }
    if (c.engine->isValid()) c.engine->setWriteNotificationEnabled(false);
    if (c.out.empty() && c.closeAfterFlush && !c.closed) closeConn(c, false);
}

void Peer::onWritable(Conn& c) {
    flush(c);
    if (&c == current_) advance();
}

void Peer::closeConn(Conn& c, bool reset) {
    if (c.closed) return;
    std::string target = targetOf(c);
    c.closed = true;
    if (reset) {
        c.engine->abort();
    } else {
        c.engine->close();
    }
    log(reset ? "reset" : "close", 0, target);
}

}  // namespace simsock::scenario
