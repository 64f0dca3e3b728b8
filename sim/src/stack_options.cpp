// Socket options with Linux's rules, so both engines report the same values.
#include <algorithm>
#include <cerrno>
#include <cstdint>

#include "link_table.h"
#include "stack.h"

namespace simsock::sim::detail {

int Stack::setBufferOption(const std::shared_ptr<Sock>& s, bool send, int value) {
    // sock_setsockopt: min(val, wmem_max/rmem_max) doubled for bookkeeping overhead, then a floor.
    // The value is read as unsigned, so a negative request means "the maximum".
    const auto requested = static_cast<std::uint32_t>(value);
    const auto capped = static_cast<int>(std::min<std::uint32_t>(requested, kMaxBufOpt));
    const int stored = std::max(capped * 2, send ? kMinSndBuf : kMinRcvBuf);
    if (send) {
        s->sndBuf = stored;
        s->changed();
        return 0;
    }
    s->rcvBuf = stored;
    if (auto peer = s->peer.lock(); peer && s->isTcp()) pump(peer);  // a larger window lets more in
    s->changed();
    return 0;
}

std::optional<int> Stack::pathMtu(const Sock& s) const {
    const bool connected = s.isTcp() ? s.state == Sock::State::Established : s.udpConnected;
    if (!connected) return std::nullopt;  // IP_MTU: ENOTCONN
    const std::string peerHost = s.peerHost.empty() ? s.host : s.peerHost;
    return ctx_.links.between(s.host, peerHost).mtu;
}

int Stack::setOption(const std::shared_ptr<Sock>& s, SocketOption option, int value) {
    const bool v6 = s->family == NetworkLayerProtocol::IPv6Protocol || s->family == NetworkLayerProtocol::AnyIPProtocol;
    switch (option) {
    case SocketOption::LowDelayOption:
        if (!s->isTcp()) return ENOPROTOOPT;
        s->noDelay = value != 0 ? 1 : 0;
        return 0;
    case SocketOption::KeepAliveOption:
        s->keepAlive = value != 0 ? 1 : 0;
        return 0;
    case SocketOption::MulticastTtlOption:
        if (value < -1 || value > 255) return EINVAL;
        s->mcastTtl = value == -1 ? 1 : value;
        return 0;
    case SocketOption::MulticastLoopbackOption:
        if (v6 && (value < 0 || value > 1)) return EINVAL;  // IPV6_MULTICAST_LOOP accepts only 0 and 1
        s->mcastLoop = value != 0 ? 1 : 0;
        return 0;
    case SocketOption::TypeOfServiceOption: {
        if (v6 && (value < -1 || value > 255)) return EINVAL;
        int tos = (value == -1 ? 0 : value) & 0xff;
        if (s->isTcp()) tos = (tos & ~3) | (s->tos & 3);  // TCP owns the ECN bits
        s->tos = tos;
        return 0;
    }
    case SocketOption::SendBufferSizeSocketOption:
        return setBufferOption(s, true, value);
    case SocketOption::ReceiveBufferSizeSocketOption:
        return setBufferOption(s, false, value);
    case SocketOption::PathMtuSocketOption:
        return ENOPROTOOPT;  // IP_MTU is read-only
    }
    return ENOPROTOOPT;
}

std::optional<int> Stack::option(const Sock& s, SocketOption option) const {
    switch (option) {
    case SocketOption::LowDelayOption:
        if (!s.isTcp()) return std::nullopt;
        return s.noDelay;
    case SocketOption::KeepAliveOption:
        return s.keepAlive;
    case SocketOption::MulticastTtlOption:
        return s.mcastTtl;
    case SocketOption::MulticastLoopbackOption:
        return s.mcastLoop;
    case SocketOption::TypeOfServiceOption:
        return s.tos;
    case SocketOption::SendBufferSizeSocketOption:
        return s.sndBuf;
    case SocketOption::ReceiveBufferSizeSocketOption:
        return s.rcvBuf;
    case SocketOption::PathMtuSocketOption:
        return pathMtu(s);
    }
    return std::nullopt;
}

}  // namespace simsock::sim::detail
