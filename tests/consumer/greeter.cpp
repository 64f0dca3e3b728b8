#include "greeter.h"

#include <utility>

namespace consumer {

Greeter::Greeter(simsock::TcpSocket& socket, std::string name) : socket_(socket), name_(std::move(name)) {
    socket_.connected.connect([this] { socket_.write("hello " + name_ + "\n"); });
    socket_.readyRead.connect([this] { onReadyRead(); });
    socket_.errorOccurred.connect([this](simsock::SocketError e) {
        if (!done_) finish("error: " + std::string(simsock::toString(e)));
    });
}

void Greeter::greet(const std::string& host, std::uint16_t port) { socket_.connectToHost(host, port); }

void Greeter::onReadyRead() {
    buffer_ += socket_.readAll();
    const auto newline = buffer_.find('\n');
    if (newline == std::string::npos || done_) return;
    finish(buffer_.substr(0, newline));
    socket_.disconnectFromHost();
}

void Greeter::finish(std::string reply) {
    reply_ = std::move(reply);
    done_ = true;
}

}  // namespace consumer
