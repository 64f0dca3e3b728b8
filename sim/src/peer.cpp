#include "simsock/sim/peer.h"

#include <cerrno>

#include "simsock/sim/engine.h"
#include "simsock/sim/network.h"

namespace simsock::sim {

namespace {
constexpr int kListenBacklog = 50;
constexpr std::size_t kChunk = 65536;

PeerStep make(PeerStepKind kind) {
    PeerStep s;
    s.kind = kind;
    return s;
}
}  // namespace

const char* toString(PeerStepKind kind) {
    switch (kind) {
    case PeerStepKind::Listen: return "listen";
    case PeerStepKind::Accept: return "accept";
    case PeerStepKind::Connect: return "connect";
    case PeerStepKind::Send: return "send";
    case PeerStepKind::Read: return "read";
    case PeerStepKind::Echo: return "echo";
    case PeerStepKind::Close: return "close";
    case PeerStepKind::Reset: return "reset";
    case PeerStepKind::Silent: return "silent";
    case PeerStepKind::Delay: return "delay";
    case PeerStepKind::Bind: return "bind";
    case PeerStepKind::SendTo: return "sendTo";
    case PeerStepKind::Ignore: return "ignore";
    }
    return "unknown";
}

PeerScript& PeerScript::add(PeerStep step) {
    steps_.push_back(std::move(step));
    return *this;
}
PeerScript& PeerScript::listen(std::uint16_t port) {
    PeerStep s = make(PeerStepKind::Listen);
    s.port = port;
    return add(std::move(s));
}
PeerScript& PeerScript::accept() { return add(make(PeerStepKind::Accept)); }
PeerScript& PeerScript::connect(const HostAddress& address, std::uint16_t port) {
    PeerStep s = make(PeerStepKind::Connect);
    s.address = address;
    s.port = port;
    return add(std::move(s));
}
PeerScript& PeerScript::send(std::string bytes) {
    PeerStep s = make(PeerStepKind::Send);
    s.data = std::move(bytes);
    return add(std::move(s));
}
PeerScript& PeerScript::read(std::int64_t n) {
    PeerStep s = make(PeerStepKind::Read);
    s.count = n;
    return add(std::move(s));
}
PeerScript& PeerScript::echo() { return add(make(PeerStepKind::Echo)); }
PeerScript& PeerScript::close() { return add(make(PeerStepKind::Close)); }
PeerScript& PeerScript::reset() { return add(make(PeerStepKind::Reset)); }
PeerScript& PeerScript::silent() { return add(make(PeerStepKind::Silent)); }
PeerScript& PeerScript::delay(std::int64_t ms) {
    PeerStep s = make(PeerStepKind::Delay);
    s.delayMs = ms;
    return add(std::move(s));
}
PeerScript& PeerScript::bind(std::uint16_t port) {
    PeerStep s = make(PeerStepKind::Bind);
    s.port = port;
    return add(std::move(s));
}
PeerScript& PeerScript::sendTo(const HostAddress& address, std::uint16_t port, std::string bytes) {
    PeerStep s = make(PeerStepKind::SendTo);
    s.address = address;
    s.port = port;
    s.data = std::move(bytes);
    return add(std::move(s));
}
PeerScript& PeerScript::ignore() { return add(make(PeerStepKind::Ignore)); }

// One receiver for all the peer's engines: whichever is ready, the script decides what to do next.
class Peer::Hook final : public EngineReceiver {
public:
    explicit Hook(Peer& p) : p_(p) {}
    void readNotification() override { p_.advance(); }
    void writeNotification() override { p_.advance(); }
    void connectionNotification() override {
        p_.connectDone_ = true;
        p_.advance();
    }

private:
    Peer& p_;
};

std::unique_ptr<Peer> Peer::tcpServer(Network& net, const std::string& host, std::uint16_t port,
                                      const PeerScript& script) {
    PeerScript full;
    full.listen(port);
    for (const auto& s : script.steps()) full.add(s);
    auto p = std::make_unique<Peer>(net, host, std::move(full));
    p->start();
    return p;
}

std::unique_ptr<Peer> Peer::tcpClient(Network& net, const std::string& host, const HostAddress& address,
                                      std::uint16_t port, const PeerScript& script) {
    PeerScript full;
    full.connect(address, port);
    for (const auto& s : script.steps()) full.add(s);
    auto p = std::make_unique<Peer>(net, host, std::move(full));
    p->start();
    return p;
}

std::unique_ptr<Peer> Peer::udp(Network& net, const std::string& host, std::uint16_t port, const PeerScript& script) {
    PeerScript full;
    full.bind(port);
    for (const auto& s : script.steps()) full.add(s);
    auto p = std::make_unique<Peer>(net, host, std::move(full));
    p->start();
    return p;
}

Peer::Peer(Network& net, std::string host, PeerScript script)
    : net_(net), host_(std::move(host)), script_(std::move(script)), hook_(std::make_unique<Hook>(*this)) {}

Peer::~Peer() { net_.simLoop().cancelTimer(timer_); }

void Peer::start() { advance(); }

std::uint16_t Peer::localPort() const {
    if (listener_) return listener_->localPort();
    if (udp_) return udp_->localPort();
    return conn_ ? conn_->localPort() : 0;
}

void Peer::note(const std::string& what, std::int64_t bytes) {
    if (net_.observed()) net_.emit("peer", host_ + " peer", {}, bytes, what);
}

void Peer::fail(std::string why) {
    error_ = std::move(why);
    note("failed: " + error_);
    step_ = script_.steps().size();
    finished_ = true;
    setInterest(false, false);
}

void Peer::setInterest(bool read, bool write) {
    for (SimEngine* e : {listener_.get(), conn_.get(), udp_.get()}) {
        if (!e) continue;
        e->setReadNotificationEnabled(false);
        e->setWriteNotificationEnabled(false);
    }
    SimEngine* target = udp_ ? udp_.get() : conn_.get();
    if (!target || !target->isValid()) return;
    target->setReadNotificationEnabled(read);
    target->setWriteNotificationEnabled(write);
}

void Peer::advance() {
    if (advancing_ || finished_) return;  // a step's own calls never re-enter, but a timer might
    advancing_ = true;
    const auto& steps = script_.steps();
    while (step_ < steps.size() && !finished_) {
        if (!runStep(steps[step_])) break;
        note(std::string("done ") + toString(steps[step_].kind), progress_);
        ++step_;
        progress_ = 0;
        waiting_ = connectDone_ = timerFired_ = false;
    }
    if (step_ >= steps.size() && !finished_) {
        finished_ = true;
        setInterest(false, false);
        note("finished");
    }
    advancing_ = false;
}

bool Peer::runStep(const PeerStep& s) {
    switch (s.kind) {
    case PeerStepKind::Listen: return stepListen(s);
    case PeerStepKind::Accept: return stepAccept();
    case PeerStepKind::Connect: return stepConnect(s);
    case PeerStepKind::Send: return stepSend(s);
    case PeerStepKind::Read: return stepRead(s);
    case PeerStepKind::Echo: return udp_ ? stepUdpEcho(true) : stepEcho();
    case PeerStepKind::Ignore: return stepUdpEcho(false);
    case PeerStepKind::Close:
        if (conn_) conn_->close();
        return true;
    case PeerStepKind::Reset:
        if (conn_) conn_->abort();
        return true;
    case PeerStepKind::Silent:
        setInterest(false, false);
        return false;
    case PeerStepKind::Delay: return stepDelay(s);
    case PeerStepKind::Bind: return stepBind(s);
    case PeerStepKind::SendTo: {
        if (!udp_) return fail("sendTo: no UDP socket"), false;
        const IoResult r = udp_->writeDatagram(s.data.data(), s.data.size(), s.address, s.port);
        if (r.error != 0) note("sendTo failed: errno " + std::to_string(r.error));
        progress_ = r.bytes;
        return true;
    }
    }
    return true;
}

bool Peer::stepListen(const PeerStep& s) {
    listener_ = net_.createEngineOn(host_, SocketType::TcpSocket);
    if (!listener_) return fail("listen: no host " + host_), false;
    listener_->setReceiver(hook_.get());
    int err = listener_->initialize(NetworkLayerProtocol::AnyIPProtocol);
    if (err == 0) err = listener_->bind(HostAddress(HostAddress::SpecialAddress::Any), s.port, BindFlag::DefaultForPlatform);
    if (err == 0) err = listener_->listen(kListenBacklog);
    if (err != 0) return fail("listen: errno " + std::to_string(err)), false;
    return true;
}

bool Peer::stepAccept() {
    if (!listener_) return fail("accept: not listening"), false;
    int err = 0;
    const std::intptr_t fd = listener_->accept(err);
    if (fd < 0) {
        if (err != EAGAIN) return fail("accept: errno " + std::to_string(err)), false;
        setInterest(false, false);
        listener_->setReadNotificationEnabled(true);
        return false;
    }
    conn_ = net_.createEngineOn(host_, SocketType::TcpSocket);
    conn_->setReceiver(hook_.get());
    if (const int e = conn_->adoptDescriptor(fd); e != 0) return fail("accept: adopt errno " + std::to_string(e)), false;
    ++accepted_;
    setInterest(false, false);
    return true;
}

bool Peer::stepConnect(const PeerStep& s) {
    if (!waiting_) {
        conn_ = net_.createEngineOn(host_, SocketType::TcpSocket);
        if (!conn_) return fail("connect: no host " + host_), false;
        conn_->setReceiver(hook_.get());
        int err = conn_->initialize(s.address.protocol());
        if (err == 0) err = conn_->connect(s.address, s.port);
        if (err == 0) return true;
        if (err != EINPROGRESS) return fail("connect: errno " + std::to_string(err)), false;
        waiting_ = true;
        return false;
    }
    if (!connectDone_) return false;
    if (const int r = conn_->connectResult(); r != 0) return fail("connect: errno " + std::to_string(r)), false;
    return true;
}

bool Peer::stepSend(const PeerStep& s) {
    if (!conn_ || !conn_->isValid()) return fail("send: no connection"), false;
    while (progress_ < static_cast<std::int64_t>(s.data.size())) {
        const auto off = static_cast<std::size_t>(progress_);
        const IoResult r = conn_->write(s.data.data() + off, s.data.size() - off);
        if (r.error == EAGAIN) {
            setInterest(false, true);
            return false;
        }
        if (r.error != 0) return fail("send: errno " + std::to_string(r.error)), false;
        progress_ += r.bytes;
    }
    setInterest(false, false);
    return true;
}

bool Peer::stepRead(const PeerStep& s) {
    if (!conn_ || !conn_->isValid()) return fail("read: no connection"), false;
    char buf[kChunk];
    while (progress_ < s.count) {
        const auto want = static_cast<std::size_t>(std::min<std::int64_t>(s.count - progress_, kChunk));
        const IoResult r = conn_->read(buf, want);
        if (r.error == EAGAIN) {
            setInterest(true, false);
            return false;
        }
        if (r.eof)
            return fail("read: eof after " + std::to_string(progress_) + " of " + std::to_string(s.count) + " bytes"), false;
        if (r.error != 0) return fail("read: errno " + std::to_string(r.error)), false;
        received_.append(buf, static_cast<std::size_t>(r.bytes));
        progress_ += r.bytes;
    }
    setInterest(false, false);
    return true;
}

bool Peer::flushEcho() {
    while (!echoPending_.empty()) {
        const IoResult r = conn_->write(echoPending_.data(), echoPending_.size());
        if (r.error == EAGAIN) return false;
        if (r.error != 0) return fail("echo: write errno " + std::to_string(r.error)), false;
        echoPending_.erase(0, static_cast<std::size_t>(r.bytes));
    }
    return true;
}

bool Peer::stepEcho() {
    if (!conn_ || !conn_->isValid()) return fail("echo: no connection"), false;
    char buf[kChunk];
    bool eof = false;
    for (;;) {
        if (!flushEcho()) break;  // back-pressure: stop reading until the echo drains
        const IoResult r = conn_->read(buf, sizeof buf);
        if (r.eof) {
            eof = true;
            break;
        }
        if (r.error == EAGAIN) break;
        if (r.error != 0) return fail("echo: read errno " + std::to_string(r.error)), false;
        received_.append(buf, static_cast<std::size_t>(r.bytes));
        echoPending_.append(buf, static_cast<std::size_t>(r.bytes));
        progress_ += r.bytes;
    }
    if (finished_) return false;
    if (eof && flushEcho()) return true;
    setInterest(!eof && echoPending_.empty(), !echoPending_.empty());
    return false;
}

bool Peer::stepUdpEcho(bool answer) {
    if (!udp_) return fail("echo/ignore: no UDP socket"), false;
    char buf[65536];
    for (;;) {
        DatagramHeader h;
        const IoResult r = udp_->readDatagram(buf, sizeof buf, &h);
        if (r.error == EAGAIN) break;
        if (r.error != 0) {
            note("udp read errno " + std::to_string(r.error));
            continue;  // an ICMP error is reported once; go on reading
        }
        datagrams_.emplace_back(buf, static_cast<std::size_t>(r.bytes));
        if (answer) udp_->writeDatagram(buf, static_cast<std::size_t>(r.bytes), h.senderAddress, h.senderPort);
    }
    setInterest(true, false);
    return false;  // runs for ever
}

bool Peer::stepDelay(const PeerStep& s) {
    if (timerFired_) return true;
    if (!waiting_) {
        waiting_ = true;
        setInterest(false, false);
        timer_ = net_.simLoop().singleShot(s.delayMs, [this] {
            timer_ = kNoTimer;
            timerFired_ = true;
            advance();
        });
    }
    return false;
}

bool Peer::stepBind(const PeerStep& s) {
    udp_ = net_.createEngineOn(host_, SocketType::UdpSocket);
    if (!udp_) return fail("bind: no host " + host_), false;
    udp_->setReceiver(hook_.get());
    int err = udp_->initialize(NetworkLayerProtocol::AnyIPProtocol);
    if (err == 0) err = udp_->bind(HostAddress(HostAddress::SpecialAddress::Any), s.port, BindFlag::ShareAddress);
    if (err != 0) return fail("bind: errno " + std::to_string(err)), false;
    return true;
}

}  // namespace simsock::sim
