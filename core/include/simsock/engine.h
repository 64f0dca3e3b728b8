// The OS-engine interface: commands go down, a handful of notifications come back up.
//
// Engines report facts only: bytes moved, errno values, readiness. They never decide on a SocketError,
// a state or a signal; the socket machine alone maps facts to those, so every engine shares one ordering.
// An engine never calls its receiver from inside one of its own methods: notifications are queued on
// the loop, so re-entrancy behaves the same on every engine. Engines get that policy by deriving from
// EngineBase (engine_base.h), which implements the notification, close and option members below.
//
// The contract. An engine is in one of two states: without a socket (after construction, after close()
// or abort(), after a failed initialize/adopt) or open (isValid(): after a successful initialize() or
// adoptDescriptor()). Every member is called from the loop's thread only; any member may be called from
// inside a notification handler, and a handler may destroy the engine. "Requires open" means: without a
// socket the call fails with EBADF (or -1/0/nullopt as stated) and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "simsock/host_address.h"
#include "simsock/socket_types.h"

namespace simsock {

/// The outcome of one transfer. error is an errno value (0: none; EAGAIN: nothing possible now).
struct IoResult {
    std::int64_t bytes = 0;
    int error = 0;
    bool eof = false;  ///< an orderly end of stream (the peer's FIN) was read
};

/// Where a received datagram came from.
struct DatagramHeader {
    HostAddress senderAddress;
    std::uint16_t senderPort = 0;
};

/// What an engine tells its socket. Level-triggered: while a notification is enabled and its condition
/// holds, the engine notifies again on a later loop turn, so the receiver must consume or disable.
/// Notifications come only from the loop (run, runUntil, processEvents), never from inside an engine
/// method. One delivery calls at most connectionNotification, then writeNotification and
/// readNotification in the loop's dispatch order (EventLoop::dispatchOrder: write first under Glib, read
/// first under Unix); a handler that closes or destroys the engine, or sets a null receiver, ends the
/// delivery.
class EngineReceiver {
public:
    virtual ~EngineReceiver() = default;
    /// Data, a datagram, an end of stream, an error, or (listening) a pending connection is readable.
    /// Only while read notifications are enabled.
    virtual void readNotification() = 0;
    /// The send buffer has room. Only while write notifications are enabled.
    virtual void writeNotification() = 0;
    /// A connect that returned EINPROGRESS has finished; connectResult() says how. Once per such
    /// connect, whatever the enable flags, unless the engine was closed first (or, on epoll, an early
    /// connectResult() took the outcome).
    virtual void connectionNotification() = 0;
};

class SocketEngine {
public:
    virtual ~SocketEngine() = default;

    /// Sets who is notified; any state, also from inside a handler. Null stops notifications (a running
    /// delivery ends after its current handler). Never notifies from inside this call.
    virtual void setReceiver(EngineReceiver* receiver) = 0;

    /// Creates the OS socket (IPv4, IPv6, or AnyIPProtocol for dual stack) and applies the options set
    /// before it existed. Requires no socket (an open engine may refuse with EINVAL or replace its
    /// socket; callers rely on neither). Returns 0 or an errno (EMFILE, ENFILE, ENOBUFS, EAFNOSUPPORT,
    /// EPROTONOSUPPORT, EACCES ...); on failure the engine stays without a socket.
    virtual int initialize(NetworkLayerProtocol protocol) = 0;
    /// Takes over an existing descriptor of this engine's socket type (setSocketDescriptor, or one
    /// returned by accept() on the same backend) and applies the kept options. Requires no socket.
    /// Returns 0, or an errno with the caller still owning the descriptor (EBADF: not a descriptor;
    /// ENOTSOCK/EPROTOTYPE: the wrong kind; EBUSY (sim): another engine owns it). Readiness the socket already
    /// has (data, a pending connection) is notified from the loop as usual.
    virtual int adoptDescriptor(std::intptr_t descriptor) = 0;
    /// True between a successful initialize/adopt and close()/abort(); any state.
    virtual bool isValid() const = 0;
    /// The descriptor, -1 without a socket. Any state.
    virtual std::intptr_t descriptor() const = 0;
    /// The socket's protocol (an adopted dual-stack socket may say IPv6Protocol), or
    /// UnknownNetworkLayerProtocol without a socket. Any state.
    virtual NetworkLayerProtocol protocol() const = 0;

    /// Requires open, not yet bound, connected or listening. A Null address binds Any; port 0 picks an
    /// ephemeral port. Returns 0 or errno (EADDRINUSE, EADDRNOTAVAIL, EACCES, EINVAL when already
    /// bound ...). SO_REUSEADDR only when mode has ShareAddress or ReuseAddressHint.
    virtual int bind(const HostAddress& address, std::uint16_t port, BindMode mode) = 0;
    /// Requires open and not listening. Returns 0 when connected at once (always for UDP, which only
    /// sets the default peer), EINPROGRESS when exactly one connectionNotification will follow, or an
    /// errno (ECONNREFUSED, ENETUNREACH, EALREADY while one is in progress, EISCONN ...).
    virtual int connect(const HostAddress& address, std::uint16_t port) = 0;
    /// Requires open, after connectionNotification (or after connect() returned 0): 0 when connected,
    /// else the errno the connect failed with (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH ...); the same
    /// answer every time. Asked earlier the answer is engine-defined (epoll: EINPROGRESS while pending,
    /// or the outcome, and then no connectionNotification follows).
    virtual int connectResult() = 0;
    /// Requires an open TCP socket, bound or not (the kernel then picks a port). 0 or errno. While
    /// listening, readNotification means a connection is pending for accept().
    virtual int listen(int backlog) = 0;
    /// Requires a listening socket. A descriptor of an accepted connection for a new engine to adopt, or
    /// -1 with err set (EAGAIN when none is pending, EMFILE ..., EBADF without a socket).
    virtual std::intptr_t accept(int& err) = 0;

    /// Requires an open, connected socket: a stream read, or one datagram of a connected UDP socket.
    /// bytes > 0: data; {0, 0, eof = true}: the peer's FIN; {0, EAGAIN}: nothing now; {0, errno}:
    /// ECONNRESET, ETIMEDOUT ...
    virtual IoResult read(char* data, std::size_t maxSize) = 0;
    /// Requires an open, connected socket. bytes may be fewer than size (the send buffer filled);
    /// {0, EAGAIN}: no room now; {0, errno}: EPIPE, ECONNRESET ... Never raises SIGPIPE.
    virtual IoResult write(const char* data, std::size_t size) = 0;
    /// Requires an open UDP socket. Consumes one datagram, truncated to maxSize; header (may be null)
    /// gets its sender. {0, EAGAIN}: none pending; an empty datagram is {0, 0}.
    virtual IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) = 0;
    /// Requires an open UDP socket. Sends one datagram whole or not at all: {size, 0}, or {0, errno}
    /// (EMSGSIZE too large, EAGAIN no buffer room, ENETUNREACH ...).
    virtual IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                                   std::uint16_t port) = 0;
    /// Bytes readable now (FIONREAD; for UDP the size of the next datagram); 0 without a socket.
    virtual std::int64_t bytesAvailable() const = 0;
    /// True when an open UDP socket has a datagram pending (false for TCP and without a socket).
    virtual bool hasPendingDatagrams() const = 0;
    /// Size of the next datagram, or -1 when none is pending (and for TCP, and without a socket).
    virtual std::int64_t pendingDatagramSize() const = 0;

    /// Releases the OS socket (an orderly FIN; the kernel answers unread data with RST). Any state,
    /// idempotent, allowed inside a handler. Nothing is notified after this, not even what was already
    /// queued; the enable flags are cleared. The engine may be initialized again.
    virtual void close() = 0;
    /// As close(), releasing with an RST instead of a FIN (SO_LINGER {1, 0} then close()): unsent data
    /// is discarded and the peer's next read or write fails with ECONNRESET. Without a socket it only
    /// drops what close() drops.
    virtual void abort() = 0;

    /// Any state, also inside a handler; never notifies from inside the call. While enabled and the
    /// socket is readable, readNotification comes from the loop, again on later turns until the
    /// condition or the flag goes. Cleared by close()/abort().
    virtual void setReadNotificationEnabled(bool enabled) = 0;
    /// As setReadNotificationEnabled, for writeNotification and room in the send buffer.
    virtual void setWriteNotificationEnabled(bool enabled) = 0;
    /// The read flag as last set (false after close()). Any state.
    virtual bool isReadNotificationEnabled() const = 0;
    /// The write flag as last set (false after close()). Any state.
    virtual bool isWriteNotificationEnabled() const = 0;

    /// Any state. Open: applies the option as setsockopt would (0 or errno: ENOPROTOOPT for one the
    /// socket does not have or a read-only one such as PathMtu, EINVAL for a bad value). Without a
    /// socket: the value is kept and 0 returned (ENOPROTOOPT for a read-only option); initialize() or
    /// adoptDescriptor() applies it, ignoring a failure.
    virtual int setOption(SocketOption option, int value) = 0;
    /// Any state. Open: the value as getsockopt reports it, or nullopt when the engine cannot tell.
    /// Without a socket: the kept value, or nullopt.
    virtual std::optional<int> option(SocketOption option) const = 0;

    /// The local address (getsockname), Null without a socket. Before bind/connect gave the socket one
    /// it is Null or Any, depending on the engine. Any state.
    virtual HostAddress localAddress() const = 0;
    /// The local port, 0 without a socket or before one is assigned. Any state.
    virtual std::uint16_t localPort() const = 0;
    /// The peer's address while connected, else Null. Any state.
    virtual HostAddress peerAddress() const = 0;
    /// The peer's port while connected, else 0. Any state.
    virtual std::uint16_t peerPort() const = 0;
};

}  // namespace simsock
