// A forwarding engine: three members consult the host's rules, the rest is the real engine's.
#include "host_backend.h"

#include <utility>

namespace simsock::scenario::detail {
namespace {

class HostRuledEngine final : public SocketEngine {
public:
    HostRuledEngine(std::unique_ptr<SocketEngine> real, SocketType type, const std::string& host, HostRules& rules)
        : real_(std::move(real)), udp_(type == SocketType::UdpSocket), host_(host), rules_(rules) {}

    int bind(const HostAddress& address, std::uint16_t port, BindMode mode) override {
        return rules_.bindAs(host_, port, [&] { return real_->bind(address, port, mode); });
    }
    IoResult writeDatagram(const char* data, std::size_t size, const HostAddress& address, std::uint16_t port) override {
        if (real_->isValid()) rules_.beforeDatagram(host_, real_->descriptor(), address);
        return real_->writeDatagram(data, size, address, port);
    }
    // A connected UDP socket's write is a datagram to its peer (a TCP socket's stays a stream).
    IoResult write(const char* data, std::size_t size) override {
        if (udp_ && real_->isValid()) rules_.beforeDatagram(host_, real_->descriptor(), real_->peerAddress());
        return real_->write(data, size);
    }

    void setReceiver(EngineReceiver* receiver) override { real_->setReceiver(receiver); }
    int initialize(NetworkLayerProtocol protocol) override { return real_->initialize(protocol); }
    int adoptDescriptor(std::intptr_t descriptor) override { return real_->adoptDescriptor(descriptor); }
    bool isValid() const override { return real_->isValid(); }
    std::intptr_t descriptor() const override { return real_->descriptor(); }
    NetworkLayerProtocol protocol() const override { return real_->protocol(); }
    int connect(const HostAddress& address, std::uint16_t port) override { return real_->connect(address, port); }
    int connectResult() override { return real_->connectResult(); }
    int listen(int backlog) override { return real_->listen(backlog); }
    std::intptr_t accept(int& err) override { return real_->accept(err); }
    IoResult read(char* data, std::size_t maxSize) override { return real_->read(data, maxSize); }
    IoResult readDatagram(char* data, std::size_t maxSize, DatagramHeader* header) override {
        return real_->readDatagram(data, maxSize, header);
    }
    std::int64_t bytesAvailable() const override { return real_->bytesAvailable(); }
    bool hasPendingDatagrams() const override { return real_->hasPendingDatagrams(); }
    std::int64_t pendingDatagramSize() const override { return real_->pendingDatagramSize(); }
    void close() override { real_->close(); }
    void abort() override { real_->abort(); }
    void setReadNotificationEnabled(bool enabled) override { real_->setReadNotificationEnabled(enabled); }
    void setWriteNotificationEnabled(bool enabled) override { real_->setWriteNotificationEnabled(enabled); }
    bool isReadNotificationEnabled() const override { return real_->isReadNotificationEnabled(); }
    bool isWriteNotificationEnabled() const override { return real_->isWriteNotificationEnabled(); }
    int setOption(SocketOption option, int value) override { return real_->setOption(option, value); }
    std::optional<int> option(SocketOption option) const override { return real_->option(option); }
    HostAddress localAddress() const override { return real_->localAddress(); }
    std::uint16_t localPort() const override { return real_->localPort(); }
    HostAddress peerAddress() const override { return real_->peerAddress(); }
    std::uint16_t peerPort() const override { return real_->peerPort(); }

private:
    std::unique_ptr<SocketEngine> real_;
    bool udp_;
    std::string host_;
    HostRules& rules_;
};

}  // namespace

std::unique_ptr<SocketEngine> HostBackend::createEngine(SocketType type) {
    return std::make_unique<HostRuledEngine>(real_.createEngine(type), type, host_, rules_);
}

}  // namespace simsock::scenario::detail
