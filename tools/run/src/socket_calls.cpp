#include "socket_calls.h"

#include "simsock/network_proxy.h"
#include "simsock/udp_socket.h"

namespace simsock::scenario {
namespace {

NetworkProxy::ProxyType proxyType(const std::string& t) {
    if (t == "Socks5Proxy") return NetworkProxy::Socks5Proxy;
    if (t == "NoProxy") return NetworkProxy::NoProxy;
    if (t == "HttpProxy") return NetworkProxy::HttpProxy;
    if (t == "HttpCachingProxy") return NetworkProxy::HttpCachingProxy;
    if (t == "FtpCachingProxy") return NetworkProxy::FtpCachingProxy;
    return NetworkProxy::DefaultProxy;
}

std::optional<ReturnValue> datagramCall(SocketUnderTest& s, const ActionSpec& a) {
    auto* udp = dynamic_cast<UdpSocket*>(s.socket.get());
    if (!udp) return std::nullopt;  // the loader only allows datagram calls on udp sockets
    if (a.call == "writeDatagram")
        return ReturnValue(udp->writeDatagram(a.data, HostAddress(a.host), a.port));
    std::int64_t max = a.size > 0 ? a.size : 65536;
    std::string buf(static_cast<std::size_t>(max), '\0');
    std::int64_t n = udp->readDatagram(buf.data(), max);
    if (n > 0) s.read.append(buf.data(), static_cast<std::size_t>(n));
    return ReturnValue(n);
}

std::optional<ReturnValue> waitCall(AbstractSocket& sock, const ActionSpec& a) {
    if (a.call == "waitForConnected") return ReturnValue(sock.waitForConnected(a.timeoutMs));
    if (a.call == "waitForReadyRead") return ReturnValue(sock.waitForReadyRead(a.timeoutMs));
    if (a.call == "waitForBytesWritten") return ReturnValue(sock.waitForBytesWritten(a.timeoutMs));
    return ReturnValue(sock.waitForDisconnected(a.timeoutMs));
}

std::optional<ReturnValue> connectionCall(AbstractSocket& sock, const ActionSpec& a) {
    if (a.call == "connectToHost") {
        sock.connectToHost(a.host, a.port);
    } else if (a.call == "disconnectFromHost") {
        sock.disconnectFromHost();
    } else if (a.call == "abort") {
        sock.abort();
    } else if (a.call == "close") {
        sock.close();
    } else if (a.call == "bind") {
        if (a.host.empty()) return ReturnValue(sock.bind(a.port));
        return ReturnValue(sock.bind(HostAddress(a.host), a.port));
    }
    return std::nullopt;
}

}  // namespace

void configureSocket(AbstractSocket& socket, const SocketSpec& spec) {
    for (const auto& [name, value] : spec.options) socket.setSocketOption(*parseSocketOption(name), value);
    if (spec.readBufferSize) socket.setReadBufferSize(*spec.readBufferSize);
    if (spec.connectTimeoutNs) socket.setConnectTimeoutMs(*spec.connectTimeoutNs / 1'000'000);
    if (spec.proxy) socket.setProxy(NetworkProxy(proxyType(spec.proxy->type), spec.proxy->host, spec.proxy->port));
}

std::optional<ReturnValue> performCall(SocketUnderTest& s, const ActionSpec& a) {
    AbstractSocket& sock = *s.socket;
    const std::string& c = a.call;
    if (c == "connectToHost" || c == "disconnectFromHost" || c == "abort" || c == "close" || c == "bind")
        return connectionCall(sock, a);
    if (c == "writeDatagram" || c == "readDatagram") return datagramCall(s, a);
    if (c.rfind("waitFor", 0) == 0) return waitCall(sock, a);
    if (c == "write") return ReturnValue(sock.write(a.data));
    if (c == "flush") return ReturnValue(sock.flush());
    if (c == "bytesAvailable") return ReturnValue(sock.bytesAvailable());
    if (c == "state") return ReturnValue(std::string(toString(sock.state())));
    if (c == "socketOption") {
        // -1 stands for "the engine cannot tell" (nullopt), which no real option value is.
        std::optional<int> v = sock.socketOption(*parseSocketOption(a.option));
        return ReturnValue(static_cast<std::int64_t>(v.value_or(-1)));
    }
    if (c == "read" || c == "readAll") {
        std::string data = c == "read" ? sock.read(a.size) : sock.readAll();
        s.read += data;
        return ReturnValue(data);
    }
    if (c == "setReadBufferSize") {
        sock.setReadBufferSize(a.size);
    } else if (c == "setSocketOption") {
        sock.setSocketOption(*parseSocketOption(a.option), a.value);
    }
    return std::nullopt;
}

}  // namespace simsock::scenario
