// The (state x event) table: every call and notification whose meaning depends on the state, with one
// cell per state. A cell is a handler, or kUnexpected: the pair cannot happen in a correct machine, and
// dispatching it stops the program naming the event and the state. Handlers that deliberately do
// nothing are named for why (ignoreDisconnect, keepUnconnected, ...), never left as a silent return.
//
// Column order is SocketState's: Unconnected, HostLookup, Connecting, Connected, Bound, Listening, Closing.
#include <cstddef>

#include "simsock/check.h"
#include "socket_machine.h"

namespace simsock::detail {
namespace {

using M = SocketMachine;
using S = SocketState;
constexpr std::nullptr_t kUnexpected = nullptr;

static_assert(static_cast<int>(S::UnconnectedState) == 0 && static_cast<int>(S::HostLookupState) == 1 &&
                  static_cast<int>(S::ConnectingState) == 2 && static_cast<int>(S::ConnectedState) == 3 &&
                  static_cast<int>(S::BoundState) == 4 && static_cast<int>(S::ListeningState) == 5 &&
                  static_cast<int>(S::ClosingState) == 6,
              "the table's columns follow SocketState");

}  // namespace

template <class Fn, class... A>
auto SocketMachine::dispatch(const Row<Fn>& row, A&&... args) {
    const Fn cell = row.cells[static_cast<std::size_t>(state_)];
    if (cell == nullptr) assertFailedInState(row.unexpected, __FILE__, __LINE__, state_);
    return (this->*cell)(std::forward<A>(args)...);
}

// ---- Public calls ----

void SocketMachine::connectToHost(const std::string& hostName, std::uint16_t port, OpenMode mode,
                                  NetworkLayerProtocol proto) {
    using Fn = void (M::*)(const std::string&, std::uint16_t, OpenMode, NetworkLayerProtocol);
    static constexpr Row<Fn> kRow{"unexpected connectToHost",
                                  {&M::startConnect, &M::rejectConnect, &M::rejectConnect, &M::rejectConnect,
                                   &M::startConnect, &M::startConnect, &M::rejectConnect}};
    dispatch(kRow, hostName, port, mode, proto);
}

bool SocketMachine::bind(const HostAddress& address, std::uint16_t port, BindMode mode) {
    using Fn = bool (M::*)(const HostAddress&, std::uint16_t, BindMode);
    static constexpr Row<Fn> kRow{"unexpected bind",
                                  {&M::bindUnconnected, &M::rejectBind, &M::rejectBind, &M::rejectBind,
                                   &M::rejectBind, &M::rejectBind, &M::rejectBind}};
    return dispatch(kRow, address, port, mode);
}

bool SocketMachine::setSocketDescriptor(std::intptr_t descriptor, SocketState state, OpenMode mode) {
    // Any state: the adopted descriptor replaces whatever the socket was doing.
    using Fn = bool (M::*)(std::intptr_t, SocketState, OpenMode);
    static constexpr Row<Fn> kRow{"unexpected setSocketDescriptor",
                                  {&M::adoptDescriptor, &M::adoptDescriptor, &M::adoptDescriptor,
                                   &M::adoptDescriptor, &M::adoptDescriptor, &M::adoptDescriptor,
                                   &M::adoptDescriptor}};
    return dispatch(kRow, descriptor, state, mode);
}

void SocketMachine::disconnectFromHost() { (void)disconnect(); }

Fate SocketMachine::disconnect() {
    // disconnectFromHost, and the orderly close step of close(), a remote close, a drained Closing and
    // a close requested while connecting.
    using Fn = Fate (M::*)();
    static constexpr Row<Fn> kRow{"unexpected disconnect",
                                  {&M::ignoreDisconnect, &M::deferDisconnect, &M::deferDisconnect,
                                   &M::beginClosing, &M::beginClosing, &M::beginClosing, &M::continueClosing}};
    return dispatch(kRow);
}

void SocketMachine::abort() {
    using Fn = Fate (M::*)();
    static constexpr Row<Fn> kRow{"unexpected abort",
                                  {&M::abortDevice, &M::abortDevice, &M::abortDevice, &M::abortDevice,
                                   &M::abortDevice, &M::abortDevice, &M::abortDevice}};
    (void)dispatch(kRow);
}

void SocketMachine::close() {
    using Fn = Fate (M::*)();
    static constexpr Row<Fn> kRow{"unexpected close",
                                  {&M::closeDevice, &M::closeDevice, &M::closeDevice, &M::closeDevice,
                                   &M::closeDevice, &M::closeDevice, &M::closeDevice}};
    (void)dispatch(kRow);
}

Fate SocketMachine::release() {
    // close(), after aboutToClose (whose handlers may have changed the state).
    using Fn = Fate (M::*)();
    static constexpr Row<Fn> kRow{"unexpected release",
                                  {&M::keepUnconnected, &M::releaseConnection, &M::releaseConnection,
                                   &M::releaseConnection, &M::releaseConnection, &M::releaseConnection,
                                   &M::releaseConnection}};
    return dispatch(kRow);
}

std::int64_t SocketMachine::read(char* data, std::int64_t maxSize) {
    if (!isOpen() || !openMode_.testFlag(OpenModeFlag::ReadOnly) || maxSize < 0) return -1;
    using Fn = std::int64_t (M::*)(char*, std::int64_t);
    static constexpr Row<Fn> kRow{"unexpected read",
                                  {&M::readEnded, &M::readEnded, &M::readEnded, &M::readOpen, &M::readEnded,
                                   &M::readEnded, &M::readEnded}};
    return dispatch(kRow, data, maxSize);
}

std::int64_t SocketMachine::readLine(char* data, std::int64_t maxSize) {
    if (!isOpen() || maxSize < 0) return -1;
    using Fn = std::int64_t (M::*)(char*, std::int64_t);
    static constexpr Row<Fn> kRow{"unexpected readLine",
                                  {&M::readLineEnded, &M::readLineEnded, &M::readLineEnded, &M::readLineOpen,
                                   &M::readLineEnded, &M::readLineEnded, &M::readLineEnded}};
    return dispatch(kRow, data, maxSize);
}

std::int64_t SocketMachine::write(const char* data, std::int64_t size) {
    if (!isOpen() || !openMode_.testFlag(OpenModeFlag::WriteOnly) || size < 0) return -1;
    using Fn = std::int64_t (M::*)(const char*, std::int64_t);
    static constexpr Row<Fn> kRow{"unexpected write",
                                  {&M::writeUnconnected, &M::writeEstablishing, &M::writeEstablishing,
                                   &M::writeConnected, &M::writeEstablishing, &M::writeEstablishing,
                                   &M::writeClosing}};
    return dispatch(kRow, data, size);
}

bool SocketMachine::flush() {
    using Fn = bool (M::*)();
    static constexpr Row<Fn> kRow{"unexpected flush",
                                  {&M::flushNothing, &M::flushNothing, &M::flushNothing, &M::flushConnection,
                                   &M::flushNothing, &M::flushNothing, &M::flushConnection}};
    return dispatch(kRow);
}

std::int64_t SocketMachine::readDatagram(char* data, std::int64_t maxSize, HostAddress* address,
                                         std::uint16_t* port) {
    using Fn = std::int64_t (M::*)(char*, std::int64_t, HostAddress*, std::uint16_t*);
    static constexpr Row<Fn> kRow{"unexpected readDatagram",
                                  {&M::refuseDatagram, &M::refuseDatagram, &M::refuseDatagram,
                                   &M::receiveDatagram, &M::receiveDatagram, &M::refuseDatagram,
                                   &M::refuseDatagram}};
    return dispatch(kRow, data, maxSize, address, port);
}

std::int64_t SocketMachine::writeDatagram(const char* data, std::int64_t size, const HostAddress& address,
                                          std::uint16_t port) {
    using Fn = std::int64_t (M::*)(const char*, std::int64_t, const HostAddress&, std::uint16_t);
    static constexpr Row<Fn> kRow{"unexpected writeDatagram",
                                  {&M::sendDatagramUnbound, &M::sendDatagram, &M::sendDatagram, &M::sendDatagram,
                                   &M::sendDatagram, &M::sendDatagram, &M::sendDatagram}};
    return dispatch(kRow, data, size, address, port);
}

bool SocketMachine::waitForConnected(int msecs) {
    using Fn = bool (M::*)(int);
    static constexpr Row<Fn> kRow{"unexpected waitForConnected",
                                  {&M::refuseWait, &M::awaitConnected, &M::awaitConnected, &M::alreadyConnected,
                                   &M::refuseWait, &M::refuseWait, &M::refuseWait}};
    return dispatch(kRow, msecs);
}

bool SocketMachine::waitForReadyRead(int msecs) {
    using Fn = bool (M::*)(int);
    static constexpr Row<Fn> kRow{"unexpected waitForReadyRead",
                                  {&M::refuseWait, &M::readyReadAfterConnect, &M::readyReadAfterConnect,
                                   &M::awaitReadyRead, &M::awaitReadyRead, &M::awaitReadyRead,
                                   &M::awaitReadyRead}};
    return dispatch(kRow, msecs);
}

bool SocketMachine::waitForBytesWritten(int msecs) {
    using Fn = bool (M::*)(int);
    static constexpr Row<Fn> kRow{"unexpected waitForBytesWritten",
                                  {&M::refuseBytesWrittenWait, &M::bytesWrittenAfterConnect, &M::bytesWrittenAfterConnect,
                                   &M::awaitBytesWritten, &M::awaitBytesWritten, &M::awaitBytesWritten,
                                   &M::awaitBytesWritten}};
    return dispatch(kRow, msecs);
}

bool SocketMachine::waitForDisconnected(int msecs) {
    using Fn = bool (M::*)(int);
    static constexpr Row<Fn> kRow{"unexpected waitForDisconnected",
                                  {&M::refuseDisconnectedWait, &M::disconnectedAfterConnect, &M::disconnectedAfterConnect,
                                   &M::awaitDisconnected, &M::awaitDisconnected, &M::awaitDisconnected,
                                   &M::awaitDisconnected}};
    return dispatch(kRow, msecs);
}

// ---- Engine notifications and loop callbacks ----
// An engine notifies only its current receiver (resetEngine detaches it), so engine_ is set here.

void SocketMachine::readNotification() {
    // Reads are enabled while Connected or Bound; a bound socket that connects keeps its engine (and
    // its enabled reads) through HostLookup and Connecting.
    SIMSOCK_ASSERT_STATE(engine_ != nullptr, state_);
    using Fn = void (M::*)();
    static constexpr Row<Fn> kRow{"unexpected readNotification",
                                  {kUnexpected, &M::channelReadable, &M::channelReadable, &M::channelReadable,
                                   &M::channelReadable, kUnexpected, kUnexpected}};
    dispatch(kRow);
}

void SocketMachine::writeNotification() {
    // Writes are enabled only while Connected or Closing, with bytes buffered.
    SIMSOCK_ASSERT_STATE(engine_ != nullptr, state_);
    using Fn = void (M::*)();
    static constexpr Row<Fn> kRow{"unexpected writeNotification",
                                  {kUnexpected, kUnexpected, kUnexpected, &M::channelWritable, kUnexpected,
                                   kUnexpected, &M::channelWritable}};
    dispatch(kRow);
}

void SocketMachine::connectionNotification() {
    // Every way out of Connecting but this one detaches the engine (or, for a close requested while
    // connecting, waits for this very notification).
    SIMSOCK_ASSERT_STATE(engine_ != nullptr, state_);
    using Fn = void (M::*)();
    static constexpr Row<Fn> kRow{"unexpected connectionNotification",
                                  {kUnexpected, kUnexpected, &M::completeConnect, kUnexpected, kUnexpected,
                                   kUnexpected, kUnexpected}};
    dispatch(kRow);
}

void SocketMachine::lookupDone(const HostInfo& info) {
    // Every way out of HostLookup aborts the lookup (stopConnecting) or supersedes it.
    using Fn = void (M::*)(const HostInfo&);
    static constexpr Row<Fn> kRow{"unexpected lookupDone",
                                  {kUnexpected, &M::beginConnecting, kUnexpected, kUnexpected, kUnexpected,
                                   kUnexpected, kUnexpected}};
    dispatch(kRow, info);
}

void SocketMachine::connectTimeout() {
    // Every way out of Connecting cancels the timer, or happens when it fires.
    using Fn = void (M::*)();
    static constexpr Row<Fn> kRow{"unexpected connectTimeout",
                                  {kUnexpected, kUnexpected, &M::tryNextAddressAfterTimeout, kUnexpected,
                                   kUnexpected, kUnexpected, kUnexpected}};
    dispatch(kRow);
}

}  // namespace simsock::detail
