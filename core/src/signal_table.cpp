#include "simsock/signal_table.h"

#include <iterator>

#include "simsock/abstract_socket.h"
#include "simsock/tcp_server.h"
#include "simsock/trace.h"

namespace simsock {
namespace {

using H = SignalHandler;
using A = SignalArgs;

// In the order AbstractSocket declares them. Each connector spells the arguments as SignalArgs says.
constexpr SignalInfo kSignals[] = {
    {"hostFound", A::None, [](AbstractSocket& s, H h) { return s.hostFound.connect([h] { h({}); }); }},
    {"connected", A::None, [](AbstractSocket& s, H h) { return s.connected.connect([h] { h({}); }); }},
    {"disconnected", A::None, [](AbstractSocket& s, H h) { return s.disconnected.connect([h] { h({}); }); }},
    {"stateChanged", A::State,
     [](AbstractSocket& s, H h) {
         return s.stateChanged.connect([h](SocketState st) { h({std::string(toString(st))}); });
     }},
    {"errorOccurred", A::Error,
     [](AbstractSocket& s, H h) {
         return s.errorOccurred.connect([h](SocketError e) { h({std::string(toString(e))}); });
     }},
    {"readyRead", A::ByteCount,
     [](AbstractSocket& s, H h) {
         return s.readyRead.connect([h, &s] { h({std::to_string(s.bytesAvailable())}); });
     }},
    {"bytesWritten", A::ByteCount,
     [](AbstractSocket& s, H h) {
         return s.bytesWritten.connect([h](std::int64_t n) { h({std::to_string(n)}); });
     }},
    {"aboutToClose", A::None, [](AbstractSocket& s, H h) { return s.aboutToClose.connect([h] { h({}); }); }},
    {"readChannelFinished", A::None,
     [](AbstractSocket& s, H h) { return s.readChannelFinished.connect([h] { h({}); }); }},
    {"proxyAuthenticationRequired", A::None,
     [](AbstractSocket& s, H h) {
         return s.proxyAuthenticationRequired.connect([h](const NetworkProxy&, Authenticator*) { h({}); });
     }},
    // Qt's qWarning texts for misuse, recorded like a signal: c: write{warning("QIODevice::write ...")}.
    {"warning", A::Text,
     [](AbstractSocket& s, H h) {
         return s.warning.connect([h](const std::string& text) {
             std::string quoted;
             appendJsonString(quoted, text);
             h({std::move(quoted)});
         });
     }},
};

// In the order TcpServer declares them.
constexpr ServerSignalInfo kServerSignals[] = {
    {"newConnection", A::None, [](TcpServer& s, H h) { return s.newConnection.connect([h] { h({}); }); }},
    {"acceptError", A::Error,
     [](TcpServer& s, H h) {
         return s.acceptError.connect([h](SocketError e) { h({std::string(toString(e))}); });
     }},
};

}  // namespace

std::span<const SignalInfo> socketSignals() { return kSignals; }

std::span<const ServerSignalInfo> serverSignals() { return kServerSignals; }

const ServerSignalInfo* findServerSignal(std::string_view name) {
    for (const auto& s : kServerSignals)
        if (s.name == name) return &s;
    return nullptr;
}

const SignalInfo* findSignal(std::string_view name) {
    for (const auto& s : kSignals)
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace simsock
