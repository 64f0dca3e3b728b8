#include "simsock/peer/peer_script.h"

#include <utility>

#include "simsock/check.h"

namespace simsock::peer {
namespace {

Step make(Step::Kind kind) {
    Step s;
    s.kind = kind;
    return s;
}

Step withPort(Step::Kind kind, std::string host, std::uint16_t port) {
    Step s = make(kind);
    s.host = std::move(host);
    s.port = port;
    return s;
}

}  // namespace

PeerScript& PeerScript::add(Step step) {
    steps_.push_back(std::move(step));
    return *this;
}

PeerScript& PeerScript::listen(std::uint16_t port) { return add(withPort(Step::Kind::Listen, {}, port)); }
PeerScript& PeerScript::bind(std::uint16_t port) { return add(withPort(Step::Kind::Bind, {}, port)); }
PeerScript& PeerScript::accept() { return add(make(Step::Kind::Accept)); }

PeerScript& PeerScript::connect(std::string host, std::uint16_t port) {
    return add(withPort(Step::Kind::Connect, std::move(host), port));
}
PeerScript& PeerScript::connect(const HostAddress& address, std::uint16_t port) {
    return connect(address.toString(), port);
}

PeerScript& PeerScript::send(std::string bytes) {
    Step s = make(Step::Kind::Send);
    s.data = std::move(bytes);
    return add(std::move(s));
}

PeerScript& PeerScript::sendTo(std::string host, std::uint16_t port, std::string bytes) {
    Step s = withPort(Step::Kind::SendTo, std::move(host), port);
    s.data = std::move(bytes);
    return add(std::move(s));
}
PeerScript& PeerScript::sendTo(const HostAddress& address, std::uint16_t port, std::string bytes) {
    return sendTo(address.toString(), port, std::move(bytes));
}

PeerScript& PeerScript::read(std::int64_t n) {
    SIMSOCK_ASSERT(n >= 0);
    Step s = make(Step::Kind::Read);
    s.count = n;
    return add(std::move(s));
}

PeerScript& PeerScript::echo() { return echo(0); }
PeerScript& PeerScript::echo(std::int64_t n) {
    SIMSOCK_ASSERT(n >= 0);
    Step s = make(Step::Kind::Echo);
    s.count = n;
    return add(std::move(s));
}

PeerScript& PeerScript::close() { return add(make(Step::Kind::Close)); }
PeerScript& PeerScript::reset() { return add(make(Step::Kind::Reset)); }
PeerScript& PeerScript::silent() { return add(make(Step::Kind::Silent)); }

PeerScript& PeerScript::delay(std::int64_t ns) {
    Step s = make(Step::Kind::Delay);
    s.delayNs = ns;
    return add(std::move(s));
}

PeerScript& PeerScript::handOver() { return add(make(Step::Kind::HandOver)); }

PeerScript& PeerScript::option(SocketOption option, int value) {
    options_.emplace_back(option, value);
    return *this;
}

}  // namespace simsock::peer
