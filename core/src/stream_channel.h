// TCP's data path: a read buffer filled from the engine (bounded by readBufferSize), a write buffer
// drained by write notifications, the end of stream, and the drain an orderly close waits for.
#pragma once

#include "socket_channel.h"

namespace simsock::detail {

class StreamChannel final : public Channel {
public:
    using Channel::Channel;

    const char* className() const override { return "TcpSocket"; }
    bool carriesDatagrams() const override { return false; }

    void readNotification() override;
    std::int64_t read(char* data, std::int64_t maxSize, bool more) override;
    std::int64_t write(const char* data, std::int64_t size, Link link) override;
    bool flush() override;
    bool drainBeforeClose() override;
    std::int64_t bytesAvailable() const override { return readBuffer_.size(); }
    std::int64_t bytesToWrite() const override { return writeBuffer_.size(); }
    void discardPendingWrites() override { writeBuffer_.clear(); }
    void setReadBufferSize(std::int64_t size) override;
    std::int64_t readBufferSize() const override { return readBufferMaxSize_; }
    void bound() override {}
    std::int64_t readDatagram(char* data, std::int64_t maxSize, HostAddress* address, std::uint16_t* port) override;
    std::int64_t writeDatagram(const char* data, std::int64_t size, const HostAddress& address, std::uint16_t port,
                               bool bindFirst) override;

private:
    enum class ReadOutcome { Ok, Closed, Stop };
    ReadOutcome readFromEngine();

    ByteQueue writeBuffer_;
    std::int64_t readBufferMaxSize_ = 0;
};

}  // namespace simsock::detail
