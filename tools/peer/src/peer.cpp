// The peer reads whatever arrives as soon as it arrives (unless silent) and keeps it for its read and echo
// steps: a script never stalls on kernel buffers, and received() counts what really reached the program.
#include "simsock/peer/peer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace simsock::peer {
namespace {
constexpr int kListenBacklog = 50;
constexpr std::size_t kChunk = 64 * 1024;
// Accept failures (EMFILE) are retried after this long instead of spinning on a level-triggered listener.
constexpr std::int64_t kAcceptRetryNs = 10'000'000;
}  // namespace

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
    bool accepted = false;     ///< accepted from the listener: the environment's connection faults apply
    std::int64_t carried = 0;  ///< payload bytes read and written so far (accepted connections)
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

Peer::Peer(Backend& backend, std::string name, PeerScript script, PeerEnvironment env)
    : backend_(backend), name_(std::move(name)), script_(std::move(script)), env_(withDefaults(std::move(env))) {}

Peer::~Peer() {
    *alive_ = false;
    if (listenEngine_) listenEngine_->setReceiver(nullptr);
    // A descriptor nobody took is closed the one way every engine offers: adopted, then closed.
    for (std::intptr_t fd : handedOver_) {
        auto engine = backend_.createEngine(SocketType::TcpSocket);
        if (engine->adoptDescriptor(fd) == 0) engine->close();
    }
}

std::intptr_t Peer::takeDescriptor() {
    if (handedOver_.empty()) return -1;
    const std::intptr_t fd = handedOver_.front();
    handedOver_.pop_front();
    return fd;
}

void Peer::applyOptions(SocketEngine& engine) {
    for (const auto& [option, value] : script_.options()) {
        const int err = engine.setOption(option, value);
        if (err != 0)
            problems_.push_back("peer " + name_ + ": cannot set " + std::string(toString(option)) + ": " + std::strerror(err));
    }
}

std::uint16_t Peer::localPort() const {
    if (listenEngine_) return listenEngine_->localPort();
    if (udp_ && current_ && current_->engine->isValid()) return current_->engine->localPort();
    return 0;
}

void Peer::log(const std::string& what, std::int64_t bytes, const std::string& target, const std::string& detail) {
    env_.log(PeerEvent{backend_.loop().nowNs(), what, bytes, target, detail});
}

std::string Peer::targetOf(const Conn& c) const {
    if (!c.engine || !c.engine->isValid()) return {};
    return env_.locate(c.engine->peerAddress(), c.engine->peerPort());
}

void Peer::fail(std::string problem) {
    problems_.push_back(std::move(problem));
    pc_ = script_.steps().size();
}

std::string Peer::start() {
    starting_ = true;
    advance();
    starting_ = false;
    return std::move(startError_);
}

void Peer::advance() {
    if (inAdvance_) return;  // a step's own engine calls never re-enter the script
    inAdvance_ = true;
    const auto& steps = script_.steps();
    while (pc_ < steps.size() && !waitingTimer_) {
        if (!runStep(steps[pc_])) break;
        ++pc_;
    }
    inAdvance_ = false;
}

bool Peer::needsConnection(const Step& step) const {
    using K = Step::Kind;
    return step.kind != K::Listen && step.kind != K::Bind && step.kind != K::Accept && step.kind != K::Connect &&
           step.kind != K::Delay && step.kind != K::HandOver;
}

bool Peer::runStep(const Step& step) {
    using K = Step::Kind;
    if (needsConnection(step) && !current_) {
        fail("peer " + name_ + ": a step needs a connection, but none was accepted or made");
        return false;
    }
    switch (step.kind) {
    case K::Listen:
    case K::Bind: return stepListenOrBind(step);
    case K::Accept: return stepAccept();
    case K::Connect: return stepConnect(step);
    case K::Send: return stepSend(step.data);
    case K::SendTo: return stepSendTo(step);
    case K::Read: return stepRead(step.count);
    case K::Echo: return stepEcho(step.count);
    case K::Close: return stepClose(false);
    case K::Reset: return stepClose(true);
    case K::Silent: return stepSilent();
    case K::Delay: return stepDelay(step.delayNs);
    case K::HandOver: return stepHandOver();
    }
    return true;
}

bool Peer::stepListenOrBind(const Step& step) {
    const bool udp = step.kind == Step::Kind::Bind;
    if (listenEngine_ || current_) {
        fail("peer " + name_ + ": " + (udp ? "bind" : "listen") + " after the peer has a socket");
        return false;
    }
    const SocketType type = udp ? SocketType::UdpSocket : SocketType::TcpSocket;
    auto engine = backend_.createEngine(type);
    int err = engine->initialize(NetworkLayerProtocol::AnyIPProtocol);
    if (err == 0) applyOptions(*engine);
    if (err == 0) err = env_.bind(*engine, step.port, type);
    if (err == 0 && !udp) err = engine->listen(kListenBacklog);
    if (err != 0) {
        std::string why = "peer " + name_ + ": cannot listen on port " + std::to_string(step.port) + ": " + std::strerror(err);
        if (!starting_) return fail(std::move(why)), false;
        startError_ = std::move(why);
        pc_ = script_.steps().size();
        return false;
    }
    if (udp) {
        udp_ = true;
        conns_.push_back(std::make_unique<Conn>(*this, std::move(engine)));
        current_ = conns_.back().get();
        current_->engine->setReadNotificationEnabled(true);
    } else {
        listenEngine_ = std::move(engine);
        listener_ = std::make_unique<Listener>(*this);
        listenEngine_->setReceiver(listener_.get());
    }
    if (!udp) listenPort_ = step.port;
    log(udp ? "bind" : "listen", 0, {}, "port " + std::to_string(step.port));
    return true;
}

bool Peer::stepAccept() {
    if (!listenEngine_) {
        fail("peer " + name_ + ": accept without a listen step");
        return false;
    }
    if (acceptedQueue_.empty()) {
        listenEngine_->setReadNotificationEnabled(true);
        return false;
    }
    current_ = acceptedQueue_.front();
    acceptedQueue_.pop_front();
    return true;
}

bool Peer::stepHandOver() {
    if (!listenEngine_) {
        fail("peer " + name_ + ": handOver without a listen step");
        return false;
    }
    if (handOverDone_) {
        handOverDone_ = false;
        return true;
    }
    listenEngine_->setReadNotificationEnabled(true);
    return false;
}

bool Peer::stepConnect(const Step& step) {
    if (udp_) {
        udpDestinationHost_ = step.host;
        udpDestinationPort_ = step.port;
        return true;
    }
    if (current_) return true;  // already connected by this step; advance() re-runs it on completion
    auto to = env_.reach(step.host, step.port, SocketType::TcpSocket);
    if (!to) {
        problems_.push_back("peer " + name_ + ": no address for \"" + step.host + "\"");
        return false;
    }
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    int err = engine->initialize(to->address.protocol());
    if (err == 0) applyOptions(*engine);
    auto conn = std::make_unique<Conn>(*this, std::move(engine));
    Conn& c = *conn;
    conns_.push_back(std::move(conn));
    if (err == 0) err = c.engine->connect(to->address, to->port);
    log("connect", 0, env_.locate(to->address, to->port), err == EINPROGRESS || err == 0 ? "" : std::strerror(err));
    if (err == 0) {
        onConnected(c);
        return current_ != nullptr;
    }
    if (err != EINPROGRESS) problems_.push_back("peer " + name_ + ": connect failed: " + std::strerror(err));
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
        problems_.push_back("peer " + name_ + ": send on a closed connection");
        return true;
    }
    if (!udp_) {
        c.out += data;
        flush(c);
        return true;
    }
    Endpoint to{c.lastSender.senderAddress, c.lastSender.senderPort};
    if (to.address.isNull() && !udpDestinationHost_.empty()) {
        auto where = env_.reach(udpDestinationHost_, udpDestinationPort_, SocketType::UdpSocket);
        to = where ? *where : Endpoint{};
    }
    if (to.address.isNull()) {
        problems_.push_back("peer " + name_ + ": send before any datagram arrived (give the peer \"connect\")");
        return true;
    }
    sendDatagram(data, to);
    return true;
}

bool Peer::stepSendTo(const Step& step) {
    if (!udp_) {
        fail("peer " + name_ + ": sendTo without a bind step");
        return false;
    }
    auto to = env_.reach(step.host, step.port, SocketType::UdpSocket);
    if (!to) {
        problems_.push_back("peer " + name_ + ": no address for \"" + step.host + "\"");
        return true;
    }
    sendDatagram(step.data, *to);
    return true;
}

void Peer::sendDatagram(const std::string& data, const Endpoint& to) {
    IoResult r = current_->engine->writeDatagram(data.data(), data.size(), to.address, to.port);
    log("send", r.bytes, env_.locate(to.address, to.port), r.error ? std::strerror(r.error) : "");
}

bool Peer::stepRead(std::int64_t count) {
    Conn& c = *current_;
    if (udp_) {
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

bool Peer::stepClose(bool reset) {
    if (!reset && !current_->out.empty()) {
        current_->closeAfterFlush = true;
    } else {
        closeConn(*current_, reset);
    }
    return true;
}

bool Peer::stepSilent() {
    current_->silent = true;
    if (current_->engine->isValid()) current_->engine->setReadNotificationEnabled(false);
    log("silent", 0, targetOf(*current_));
    return true;
}

bool Peer::stepDelay(std::int64_t delayNs) {
    waitingTimer_ = true;
    std::weak_ptr<bool> token = alive_;
    backend_.loop().startTimer(delayNs, [this, token] {
        if (token.expired()) return;
        waitingTimer_ = false;
        ++pc_;
        advance();
    }, false);
    return false;
}

// Echoes what the current echo mode asks for from c's unconsumed input.
void Peer::consume(Conn& c) {
    bool echoing = echoForever_ || echoRemaining_ > 0;
    if (!echoing || c.closed) return;
    if (udp_) {
        while (!c.datagrams.empty() && (echoForever_ || echoRemaining_ > 0)) {
            auto [data, from] = c.datagrams.front();
            c.datagrams.pop_front();
            IoResult r = c.engine->writeDatagram(data.data(), data.size(), from.senderAddress, from.senderPort);
            log("echo", r.bytes, env_.locate(from.senderAddress, from.senderPort), r.error ? std::strerror(r.error) : "");
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

void Peer::onAcceptable() {
    int err = 0;
    std::intptr_t fd = listenEngine_->accept(err);
    if (fd < 0) {
        if (err == EAGAIN || err == EWOULDBLOCK) return;
        log("accept-error", 0, {}, std::strerror(err));
        listenEngine_->setReadNotificationEnabled(false);
        std::weak_ptr<bool> token = alive_;
        backend_.loop().startTimer(kAcceptRetryNs, [this, token] {
            if (!token.expired() && pc_ < script_.steps().size()) listenEngine_->setReadNotificationEnabled(true);
        }, false);
        return;
    }
    if (pc_ < script_.steps().size() && script_.steps()[pc_].kind == Step::Kind::HandOver) {
        handedOver_.push_back(fd);
        handOverDone_ = true;
        ++accepted_;
        log("accept", 0, {}, "handed over");
        listenEngine_->setReadNotificationEnabled(false);
        advance();
        return;
    }
    auto engine = backend_.createEngine(SocketType::TcpSocket);
    int aerr = engine->adoptDescriptor(fd);
    if (aerr != 0) {
        log("accept-error", 0, {}, std::strerror(aerr));
        return;
    }
    applyOptions(*engine);
    conns_.push_back(std::make_unique<Conn>(*this, std::move(engine)));
    Conn& c = *conns_.back();
    c.engine->setReadNotificationEnabled(true);
    ++accepted_;
    log("accept", 0, targetOf(c));
    c.accepted = true;
    actOnFault(c, ConnectionProgress{listenPort_, true, 0, 0});
    acceptedQueue_.push_back(&c);
    listenEngine_->setReadNotificationEnabled(false);
    advance();
}

void Peer::onReadable(Conn& c) {
    if (c.closed || c.silent) return;
    IoResult last = udp_ ? readDatagrams(c) : readStream(c);
    if (last.eof) {
        log("eof", 0, targetOf(c));
        c.engine->setReadNotificationEnabled(false);
    } else if (last.error != 0 && last.error != EAGAIN && last.error != EWOULDBLOCK) {
        log("error", 0, targetOf(c), std::strerror(last.error));
        c.engine->setReadNotificationEnabled(false);
    }
    if (&c == current_) {
        consume(c);
        advance();
    }
}

// Reads every byte readable now into c.pending; logs one "recv" for them. Returns the read that stopped.
IoResult Peer::readStream(Conn& c) {
    char buf[kChunk];
    std::int64_t got = 0;
    IoResult r;
    while ((r = c.engine->read(buf, sizeof buf)).bytes > 0) {
        received_.append(buf, static_cast<std::size_t>(r.bytes));
        c.pending.append(buf, static_cast<std::size_t>(r.bytes));
        got += r.bytes;
    }
    if (got > 0) {
        log("recv", got, targetOf(c));
        carry(c, got);
    }
    return r;
}

// Reads every pending datagram into c.datagrams, one "recv" each. Returns the read that stopped (a
// clean result when none is left).
IoResult Peer::readDatagrams(Conn& c) {
    char buf[kChunk];
    while (c.engine->hasPendingDatagrams()) {
        DatagramHeader from;
        IoResult r = c.engine->readDatagram(buf, sizeof buf, &from);
        if (r.bytes <= 0 && r.error != 0) return r;
        std::string data(buf, static_cast<std::size_t>(r.bytes));
        received_ += data;
        datagrams_.push_back(data);
        c.datagrams.emplace_back(std::move(data), from);
        c.lastSender = from;
        log("recv", r.bytes, env_.locate(from.senderAddress, from.senderPort));
    }
    return {};
}

void Peer::flush(Conn& c) {
    while (!c.out.empty() && !c.closed) {
        IoResult r = c.engine->write(c.out.data(), c.out.size());
        if (r.bytes > 0) {
            log("send", r.bytes, targetOf(c));
            c.out.erase(0, static_cast<std::size_t>(r.bytes));
            carry(c, r.bytes);
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

// An accepted connection carried n more bytes: a fault the environment ties to byte counts may act.
void Peer::carry(Conn& c, std::int64_t n) {
    if (!c.accepted) return;
    const std::int64_t before = c.carried;
    c.carried += n;
    actOnFault(c, ConnectionProgress{listenPort_, false, before, c.carried});
}

void Peer::actOnFault(Conn& c, const ConnectionProgress& progress) {
    const ConnectionFault fault = env_.connectionFault(progress);
    if (fault != ConnectionFault::None) closeConn(c, fault == ConnectionFault::Reset);
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

}  // namespace simsock::peer
