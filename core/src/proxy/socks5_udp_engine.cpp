// UDP through a SOCKS5 relay: the §7 header on the way out, unwrapping and filtering on the way in.
#include "socks5_udp_engine.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace simsock::detail {
namespace {

constexpr std::size_t kLargestDatagram = 65535;
// Relayed datagrams read and dropped (not from the relay, malformed) per call; the rest wait for the next.
constexpr int kMaxDroppedPerRead = 64;
constexpr std::size_t kIPv4HeaderSize = 10;

std::uint8_t relayOctet(char c) { return static_cast<std::uint8_t>(c); }

}  // namespace

Socks5UdpEngine::Socks5UdpEngine(Backend& backend, std::unique_ptr<ProxyEngine> control, HostAddress relay,
                                 std::uint16_t relayPort)
    : backend_(backend), control_(std::move(control)), relay_(relay), relayPort_(relayPort) {}

Socks5UdpEngine::~Socks5UdpEngine() { close(); }

int Socks5UdpEngine::initialize(NetworkLayerProtocol protocol) {
    if (isValid()) return EINVAL;
    inner_ = backend_.createEngine(SocketType::UdpSocket);
    inner_->setReceiver(this);
    scratch_.resize(kLargestDatagram);
    return inner_->initialize(protocol);
}

NetworkLayerProtocol Socks5UdpEngine::protocol() const {
    return inner_ ? inner_->protocol() : NetworkLayerProtocol::UnknownNetworkLayerProtocol;
}

int Socks5UdpEngine::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    return inner_ ? inner_->bind(address, port, mode) : EBADF;
}

int Socks5UdpEngine::connect(const HostAddress& address, std::uint16_t port) {
    if (!isValid()) return EBADF;
    target_ = ProxyTarget{address, address.toString(), port};
    connected_ = true;  // a UDP connect only names the default destination: the relay's, here
    return 0;
}

int Socks5UdpEngine::connectToHostName(const std::string& name, std::uint16_t port) {
    if (!isValid()) return EBADF;
    target_ = ProxyTarget{HostAddress(), name, port};
    connected_ = true;
    return 0;
}

std::intptr_t Socks5UdpEngine::accept(int& err) {
    err = EOPNOTSUPP;
    return -1;
}

std::string Socks5UdpEngine::header(const ProxyTarget& target) {
    std::string h{0, 0, 0};
    if (target.byName()) {
        const std::string name = target.name.substr(0, 255);
        h.push_back(0x03);
        h.push_back(static_cast<char>(name.size()));
        h += name;
    } else if (target.address.protocol() == NetworkLayerProtocol::IPv6Protocol) {
        h.push_back(0x04);
        for (std::uint8_t b : target.address.toIPv6Address()) h.push_back(static_cast<char>(b));
    } else {
        h.push_back(0x01);
        const std::uint32_t v4 = target.address.toIPv4Address();
        for (int shift = 24; shift >= 0; shift -= 8) h.push_back(static_cast<char>((v4 >> shift) & 0xFF));
    }
    h.push_back(static_cast<char>(target.port >> 8));
    h.push_back(static_cast<char>(target.port & 0xFF));
    return h;
}

bool Socks5UdpEngine::parseHeader(const char* data, std::size_t size, DatagramHeader* sender, std::size_t* payloadAt) {
    if (size < 4 || relayOctet(data[2]) != 0) return false;  // too short, or a fragment
    std::size_t pos = 4;
    const std::uint8_t atyp = relayOctet(data[3]);
    if (atyp == 0x01) {
        if (size < pos + 4 + 2) return false;
        std::uint32_t v4 = 0;
        for (int i = 0; i < 4; ++i) v4 = (v4 << 8) | relayOctet(data[pos++]);
        sender->senderAddress = HostAddress::fromIPv4(v4);
    } else if (atyp == 0x04) {
        if (size < pos + 16 + 2) return false;
        std::array<std::uint8_t, 16> v6{};
        for (auto& b : v6) b = relayOctet(data[pos++]);
        sender->senderAddress = HostAddress::fromIPv6(v6);
    } else if (atyp == 0x03) {
        if (size < pos + 1) return false;
        const std::size_t len = relayOctet(data[pos++]);
        if (size < pos + len + 2) return false;
        sender->senderAddress = HostAddress();  // a name: no address to report
        pos += len;
    } else {
        return false;
    }
    sender->senderPort = static_cast<std::uint16_t>((relayOctet(data[pos]) << 8) | relayOctet(data[pos + 1]));
    *payloadAt = pos + 2;
    return true;
}

IoResult Socks5UdpEngine::writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                                        std::uint16_t port) {
    if (!isValid()) return {0, EBADF};
    std::string packet = header(ProxyTarget{address, address.toString(), port});
    if (size > kLargestDatagram - 2 * kIPv4HeaderSize - packet.size()) return {0, EMSGSIZE};
    packet.append(data, size);
    const IoResult r = inner_->writeDatagram(packet.data(), packet.size(), relay_, relayPort_);
    if (r.error != 0) return r;
    return {static_cast<std::int64_t>(size), 0};
}

IoResult Socks5UdpEngine::write(const char* data, std::size_t size) {
    if (!connected_) return {0, ENOTCONN};
    if (target_.byName()) {
        if (!isValid()) return {0, EBADF};
        std::string packet = header(target_);
        packet.append(data, size);
        const IoResult r = inner_->writeDatagram(packet.data(), packet.size(), relay_, relayPort_);
        return r.error != 0 ? r : IoResult{static_cast<std::int64_t>(size), 0};
    }
    return writeDatagram(data, size, target_.address, target_.port);
}

IoResult Socks5UdpEngine::readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) {
    if (!isValid()) return {0, EBADF};
    for (int i = 0; i < kMaxDroppedPerRead; ++i) {
        DatagramHeader from;
        const IoResult r = inner_->readDatagram(scratch_.data(), scratch_.size(), &from);
        if (r.error != 0) return r;
        DatagramHeader sender;
        std::size_t at = 0;
        const auto n = static_cast<std::size_t>(r.bytes);
        if (from.senderAddress != relay_ || from.senderPort != relayPort_ || !parseHeader(scratch_.data(), n, &sender, &at))
            continue;  // not relayed, or not a datagram the RFC lets us deliver
        const std::size_t payload = n - at;
        const std::size_t copied = std::min(payload, maxSize);
        if (copied > 0) std::memcpy(data, scratch_.data() + at, copied);
        if (header != nullptr) *header = sender;
        return {static_cast<std::int64_t>(copied), 0};
    }
    return {0, EAGAIN};
}

std::int64_t Socks5UdpEngine::pendingDatagramSize() const {
    // The relayed datagram's size less an IPv4 header: the engine cannot look inside without reading it.
    if (!inner_) return -1;
    const std::int64_t n = inner_->pendingDatagramSize();
    if (n < 0) return n;
    return std::max<std::int64_t>(0, n - static_cast<std::int64_t>(kIPv4HeaderSize));
}

std::int64_t Socks5UdpEngine::bytesAvailable() const { return std::max<std::int64_t>(0, pendingDatagramSize()); }

void Socks5UdpEngine::close() {
    if (control_) control_->close();
    if (inner_) {
        inner_->setReceiver(nullptr);
        inner_->close();
    }
    connected_ = false;
}

void Socks5UdpEngine::abort() {
    if (control_) control_->abort();
    if (inner_) {
        inner_->setReceiver(nullptr);
        inner_->abort();
    }
    connected_ = false;
}

void Socks5UdpEngine::setReadNotificationEnabled(bool enabled) {
    if (inner_) inner_->setReadNotificationEnabled(enabled);
}

void Socks5UdpEngine::setWriteNotificationEnabled(bool enabled) {
    if (inner_) inner_->setWriteNotificationEnabled(enabled);
}

int Socks5UdpEngine::setOption(SocketOption option, int value) { return inner_ ? inner_->setOption(option, value) : 0; }

std::optional<int> Socks5UdpEngine::option(SocketOption option) const {
    return inner_ ? inner_->option(option) : std::nullopt;
}

HostAddress Socks5UdpEngine::localAddress() const { return inner_ ? inner_->localAddress() : HostAddress(); }

std::uint16_t Socks5UdpEngine::localPort() const { return inner_ ? inner_->localPort() : 0; }

void Socks5UdpEngine::readNotification() {
    if (receiver_ != nullptr) receiver_->readNotification();
}

void Socks5UdpEngine::writeNotification() {
    if (receiver_ != nullptr) receiver_->writeNotification();
}

void Socks5UdpEngine::connectionNotification() {
    if (receiver_ != nullptr) receiver_->connectionNotification();
}

}  // namespace simsock::detail
