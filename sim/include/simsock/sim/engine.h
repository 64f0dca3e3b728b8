// SimEngine: one simulated socket, as a SocketEngine. It forwards each call to the simulated kernel
// (which behaves as Linux does: errno values, buffer sizes, RST on close with unread data) and reports
// every kernel state change to EngineBase (polled), which queues the level-triggered notifications.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "simsock/engine_base.h"

namespace simsock::sim {

class Network;
namespace detail {
struct Sock;
}

class SimEngine final : public EngineBase {
public:
    /// An engine for one socket of type on host (which must exist in net).
    SimEngine(Network& net, std::string host, SocketType type);
    ~SimEngine() override;
    SimEngine(const SimEngine&) = delete;
    SimEngine& operator=(const SimEngine&) = delete;

    int initialize(NetworkLayerProtocol protocol) override;
    int adoptDescriptor(std::intptr_t descriptor) override;
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
    // EngineBase
    void releaseSocket(bool abortive) override;
    int applyOption(SocketOption option, int value) override;
    std::optional<int> appliedOption(SocketOption option) const override;
    int refusedOption(SocketOption option) const override;
    bool isReady(EngineEvent event) const override;

    void attach(std::shared_ptr<detail::Sock> sock);

    Network& net_;
    std::string host_;
    SocketType type_;
    std::shared_ptr<detail::Sock> sock_;
};

}  // namespace simsock::sim
