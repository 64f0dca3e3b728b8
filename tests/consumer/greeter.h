// The consumer's code under test: a client that greets a server ("hello NAME\n") and reads one line back.
// It is written against simsock's sockets only, so it runs on any engine: the sim in tests, epoll for real.
#pragma once

#include <cstdint>
#include <string>

#include <simsock/simsock.h>

namespace consumer {

class Greeter {
public:
    /// A greeter named name that talks through socket (which must outlive it). Taking the socket rather than
    /// making one lets a test make it, so that the test's recording sees each signal before the greeter does.
    Greeter(simsock::TcpSocket& socket, std::string name);

    /// Connects to host:port, greets, and waits for the reply line.
    void greet(const std::string& host, std::uint16_t port);
    /// True once a reply line arrived or the connection failed.
    bool done() const { return done_; }
    /// The reply line without its newline, or "error: <SocketError>".
    const std::string& reply() const { return reply_; }
private:
    void onReadyRead();
    void finish(std::string reply);

    simsock::TcpSocket& socket_;
    std::string name_;
    std::string buffer_;
    std::string reply_;
    bool done_ = false;
};

}  // namespace consumer
