// What a socket type changes about moving data. The machine picks one channel at construction
// (StreamChannel for TCP, DatagramChannel for UDP) and never asks for the type again. The read buffer
// belongs to the device part (QIODevice's ungetChar/peek/readLine work on both types), so it lives here.
#pragma once

#include <cstdint>

#include "byte_queue.h"
#include "simsock/host_address.h"

namespace simsock::detail {

class SocketMachine;

/// Where the connection stands, for write(): the table cell that calls the channel knows it.
enum class Link : std::uint8_t {
    Establishing,  ///< HostLookup, Connecting, Bound, Listening: not (yet) connected
    Up,            ///< Connected
    Closing,       ///< Closing: draining what was written
};

class Channel {
public:
    explicit Channel(SocketMachine& m) : m_(m) {}
    virtual ~Channel() = default;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    /// The engine has something to read (data, a datagram, an end of stream or an error).
    virtual void readNotification() = 0;
    /// read() past the device checks; `more` is true while the connection may still deliver.
    virtual std::int64_t read(char* data, std::int64_t maxSize, bool more) = 0;
    /// write() past the device checks, on a socket that is not Unconnected.
    virtual std::int64_t write(const char* data, std::int64_t size, Link link) = 0;
    /// Moves buffered bytes to the engine while Connected or Closing; true if any moved.
    virtual bool flush() = 0;
    /// Before an orderly close finishes: true (and writing started) while buffered bytes must go first.
    virtual bool drainBeforeClose() = 0;
    virtual std::int64_t bytesAvailable() const = 0;
    virtual std::int64_t bytesToWrite() const = 0;
    virtual void discardPendingWrites() = 0;
    virtual void setReadBufferSize(std::int64_t size) = 0;
    virtual std::int64_t readBufferSize() const = 0;
    /// The socket has just become Bound (and still is).
    virtual void bound() = 0;
    /// readDatagram() on a Bound or Connected socket.
    virtual std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address,
                                      std::uint16_t* port) = 0;
    /// writeDatagram(); bindFirst when the socket is Unconnected (Qt binds it to Any:0 first).
    virtual std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address,
                                       std::uint16_t port, bool bindFirst) = 0;

    /// The class name Qt's warnings print for this socket ("QIODevice::write (TcpSocket): device not open").
    virtual const char* className() const = 0;
    /// Whether the socket carries datagrams: through a proxy it needs a UDP association instead of a tunnel,
    /// and after a failed bind Qt keeps its (unbound) native engine.
    virtual bool carriesDatagrams() const = 0;

    ByteQueue& readBuffer() { return readBuffer_; }
    const ByteQueue& readBuffer() const { return readBuffer_; }

protected:
    SocketMachine& m_;
    ByteQueue readBuffer_;
};

}  // namespace simsock::detail
