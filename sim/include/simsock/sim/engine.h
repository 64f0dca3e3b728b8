// SimEngine: one simulated socket, as a SocketEngine. It forwards each call to the simulated kernel
// (which behaves as Linux does: errno values, buffer sizes, RST on close with unread data) and turns
// kernel state changes into level-triggered notifications queued on the loop.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "simsock/engine.h"

namespace simsock::sim {

class Network;
namespace detail {
struct Sock;
}

class SimEngine final : public SocketEngine {
public:
    /// An engine for one socket of type on host (which must exist in net).
    SimEngine(Network& net, std::string host, SocketType type);
    ~SimEngine() override;
    SimEngine(const SimEngine&) = delete;
    SimEngine& operator=(const SimEngine&) = delete;

    void setReceiver(EngineReceiver* receiver) override;
    int initialize(NetworkLayerProtocol protocol) override;
    int adoptDescriptor(std::intptr_t descriptor) override;
    bool isValid() const override;
    std::intptr_t descriptor() const override;
    NetworkLayerProtocol protocol() const override;

    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override;
    int connect(const HostAddress& address, std::uint16_t port) override;
    int connectResult() override;
    int listen(int backlog) override;
    std::intptr_t accept(int& err) override;

    IoResult read(char* data, std::size_t maxSize) override;
    IoResult write(const char* data, std::size_t size) override;
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override;
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address,
                           std::uint16_t port) override;
    std::int64_t bytesAvailable() const override;
    bool hasPendingDatagrams() const override;
    std::int64_t pendingDatagramSize() const override;

    void close() override;
    void abort() override;

    void setReadNotificationEnabled(bool enabled) override;
    void setWriteNotificationEnabled(bool enabled) override;
    bool isReadNotificationEnabled() const override { return readEnabled_; }
    bool isWriteNotificationEnabled() const override { return writeEnabled_; }

    int setOption(SocketOption option, int value) override;
    std::optional<int> option(SocketOption option) const override;

    HostAddress localAddress() const override;
    std::uint16_t localPort() const override;
    HostAddress peerAddress() const override;
    std::uint16_t peerPort() const override;

    // Simulator-only.
    /// The host this socket lives on.
    const std::string& host() const { return host_; }
    SocketType socketType() const { return type_; }
    /// Bytes written but not yet acknowledged by the peer, plus bytes not yet sent (SIOCOUTQ).
    std::int64_t bytesToWrite() const;

private:
    void attach(std::shared_ptr<detail::Sock> sock);
    void scheduleNotify();
    void deliverNotifications();
    bool wantsRead() const;
    bool wantsWrite() const;

    Network& net_;
    std::string host_;
    SocketType type_;
    std::shared_ptr<detail::Sock> sock_;
    EngineReceiver* receiver_ = nullptr;
    bool readEnabled_ = false;
    bool writeEnabled_ = false;
    bool notifyQueued_ = false;
    bool connectNotified_ = true;
    // Replaced on close and destroyed with the engine: queued notifications hold a weak copy and
    // drop themselves once it has gone, so nothing is ever delivered to a closed or dead engine.
    std::shared_ptr<int> alive_;
};

}  // namespace simsock::sim
