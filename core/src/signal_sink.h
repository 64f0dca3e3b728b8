// The machine's only way to the public socket's signals. AbstractSocket supplies an adapter; the machine
// never touches AbstractSocket itself, so what it can do to the public object is exactly this list.
#pragma once

#include <cstdint>
#include <string>

#include "simsock/network_proxy.h"
#include "simsock/socket_types.h"

namespace simsock::detail {

class SignalSink {
public:
    virtual ~SignalSink() = default;
    virtual void emitHostFound() = 0;
    virtual void emitConnected() = 0;
    virtual void emitDisconnected() = 0;
    virtual void emitStateChanged(SocketState state) = 0;
    virtual void emitErrorOccurred(SocketError error) = 0;
    virtual void emitReadyRead() = 0;
    virtual void emitBytesWritten(std::int64_t bytes) = 0;
    virtual void emitAboutToClose() = 0;
    virtual void emitReadChannelFinished() = 0;
    virtual void emitProxyAuthenticationRequired(const NetworkProxy& proxy, Authenticator* authenticator) = 0;
    virtual void emitWarning(const std::string& text) = 0;
};

}  // namespace simsock::detail
