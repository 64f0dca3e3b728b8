#include "socket_calls.h"

#include "simsock/network_proxy.h"

namespace simsock::scenario {

void configureSocket(AbstractSocket& socket, const SocketSpec& spec) {
    for (const auto& [name, value] : spec.options) socket.setSocketOption(*parseSocketOption(name), value);
    if (spec.readBufferSize) socket.setReadBufferSize(*spec.readBufferSize);
    if (spec.connectTimeoutNs) socket.setConnectTimeoutMs(*spec.connectTimeoutNs / 1'000'000);
    if (spec.proxy) socket.setProxy(NetworkProxy(spec.proxy->type, spec.proxy->host, spec.proxy->port));
}

std::optional<ReturnValue> performCall(SocketUnderTest& s, const ActionSpec& a) {
    CallTarget target{*s.socket, s.read};
    return callInfo(a.call).perform(target, a);
}

}  // namespace simsock::scenario
