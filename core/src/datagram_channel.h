// UDP's data path: nothing is buffered. A readable engine is announced once and reads pause until the
// application takes the datagram; writes go straight to the engine.
#pragma once

#include "socket_channel.h"

namespace simsock::detail {

/// No UDP datagram carries more than its 16-bit length field allows: the most one datagram read can
/// return, and so the most a read that allocates its own buffer needs.
inline constexpr std::int64_t kMaxDatagramPayload = 65535;

class DatagramChannel final : public Channel {
public:
    using Channel::Channel;

    const char* className() const override { return "UdpSocket"; }
    bool carriesDatagrams() const override { return true; }

    void readNotification() override;
    std::int64_t read(char* data, std::int64_t maxSize, bool more) override;
    std::int64_t write(const char* data, std::int64_t size, Link link) override;
    bool flush() override { return false; }  // nothing is buffered
    bool drainBeforeClose() override { return false; }
    std::int64_t bytesAvailable() const override;
    std::int64_t bytesToWrite() const override { return 0; }
    void discardPendingWrites() override {}
    void setReadBufferSize(std::int64_t) override {}  // UDP does not buffer
    std::int64_t readBufferSize() const override { return 0; }
    void bound() override;
    std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port) override;
    std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address, std::uint16_t port,
                               bool bindFirst) override;
};

}  // namespace simsock::detail
