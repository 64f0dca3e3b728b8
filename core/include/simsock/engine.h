// The OS-engine interface: commands go down, a handful of notifications come back up.
//
// Engines report facts only: bytes moved, errno values, readiness. They never decide on a SocketError,
// a state or a signal; the socket machine alone maps facts to those, so every engine shares one ordering.
// An engine never calls its receiver from inside one of its own methods: notifications are queued on
// the loop, so re-entrancy behaves the same on every engine.
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
class EngineReceiver {
public:
    virtual ~EngineReceiver() = default;
    /// Data, a datagram, an end of stream, an error, or (listening) a pending connection is readable.
    virtual void readNotification() = 0;
    /// The send buffer has room.
    virtual void writeNotification() = 0;
    /// A connect that returned EINPROGRESS has finished; connectResult() says how.
    virtual void connectionNotification() = 0;
};

class SocketEngine {
public:
    virtual ~SocketEngine() = default;

    /// Sets who is notified. Null stops notifications.
    virtual void setReceiver(EngineReceiver* receiver) = 0;

    /// Creates the OS socket (IPv4, IPv6, or AnyIPProtocol for dual stack). Returns 0 or an errno
    /// (EMFILE, ENFILE, ENOBUFS, EAFNOSUPPORT, EACCES ...).
    virtual int initialize(NetworkLayerProtocol protocol) = 0;
    /// Takes over an existing descriptor (setSocketDescriptor, or one returned by accept()). 0 or errno.
    virtual int adoptDescriptor(std::intptr_t descriptor) = 0;
    /// True between a successful initialize/adopt and close().
    virtual bool isValid() const = 0;
    virtual std::intptr_t descriptor() const = 0;
    virtual NetworkLayerProtocol protocol() const = 0;

    /// 0 or errno (EADDRINUSE, EADDRNOTAVAIL, EACCES, EINVAL when already bound ...).
    virtual int bind(const HostAddress& address, std::uint16_t port, BindMode mode) = 0;
    /// 0 when connected at once, EINPROGRESS when a connectionNotification will follow, or an errno.
    virtual int connect(const HostAddress& address, std::uint16_t port) = 0;
    /// After connectionNotification: 0 (connected) or the errno the connect failed with.
    virtual int connectResult() = 0;
    /// 0 or errno.
    virtual int listen(int backlog) = 0;
    /// A descriptor of an accepted connection for a new engine to adopt, or -1 with err set
    /// (EAGAIN when none is pending, EMFILE ...).
    virtual std::intptr_t accept(int& err) = 0;

    /// Stream read (or one datagram for a connected UDP socket).
    virtual IoResult read(char* data, std::size_t maxSize) = 0;
    virtual IoResult write(const char* data, std::size_t size) = 0;
    virtual IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) = 0;
    virtual IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                                   std::uint16_t port) = 0;
    /// Bytes readable now (FIONREAD).
    virtual std::int64_t bytesAvailable() const = 0;
    virtual bool hasPendingDatagrams() const = 0;
    /// Size of the next datagram, or -1 when none is pending.
    virtual std::int64_t pendingDatagramSize() const = 0;

    /// Releases the OS socket. Nothing is notified after this.
    virtual void close() = 0;
    /// Releases the OS socket with an RST instead of a FIN (SO_LINGER {1, 0} then close()): unsent data
    /// is discarded and the peer's next read or write fails with ECONNRESET. A no-op without a socket.
    /// Nothing is notified after this.
    virtual void abort() = 0;

    virtual void setReadNotificationEnabled(bool enabled) = 0;
    virtual void setWriteNotificationEnabled(bool enabled) = 0;
    virtual bool isReadNotificationEnabled() const = 0;
    virtual bool isWriteNotificationEnabled() const = 0;

    /// Applies an option as setsockopt would (0 or errno).
    virtual int setOption(SocketOption option, int value) = 0;
    /// The value as getsockopt reports it, or nullopt when the engine cannot tell.
    virtual std::optional<int> option(SocketOption option) const = 0;

    virtual HostAddress localAddress() const = 0;
    virtual std::uint16_t localPort() const = 0;
    virtual HostAddress peerAddress() const = 0;
    virtual std::uint16_t peerPort() const = 0;
};

}  // namespace simsock
