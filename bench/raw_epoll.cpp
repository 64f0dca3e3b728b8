// The raw-epoll baselines of epoll_workloads.h: level-triggered epoll, non-blocking sockets, no
// allocation on the hot path. Each is written the way a careful C programmer would, no cleverer: the
// point is to measure simsock's overhead over the code it replaces, not over a tuned kernel bypass.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

#include "epoll_workloads.h"

namespace simsock::bench {

namespace {

constexpr int kWaitTimeoutMs = 5000;  // a stalled loopback is a bug: fail instead of hanging
constexpr int kMaxEvents = 16;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": errno " + std::to_string(errno)); }

int check(int rc, const char* what) {
    if (rc < 0) fail(what);
    return rc;
}

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A socket bound to 127.0.0.1 on an ephemeral port; returns the fd and fills addr with the bound address.
int boundSocket(int type, sockaddr_in& addr) {
    const int fd = check(socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket");
    addr = loopback(0);
    check(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
    socklen_t len = sizeof addr;
    check(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), "getsockname");
    return fd;
}

// Owns an epoll instance and the descriptors registered with it (closed on destruction).
class Poller {
public:
    Poller() : epfd_(check(epoll_create1(EPOLL_CLOEXEC), "epoll_create1")) {}
    ~Poller() {
        for (int fd : owned_) close(fd);
        close(epfd_);
    }
    Poller(const Poller&) = delete;
    Poller& operator=(const Poller&) = delete;

    void own(int fd) { owned_.push_back(fd); }
    void add(int fd, std::uint32_t events) { ctl(EPOLL_CTL_ADD, fd, events); }
    void modify(int fd, std::uint32_t events) { ctl(EPOLL_CTL_MOD, fd, events); }
    void remove(int fd) { check(epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr), "epoll_ctl DEL"); }
    /// Waits for at least one event; the ready ones are events()[0, n).
    int wait() {
        const int n = epoll_wait(epfd_, events_.data(), kMaxEvents, kWaitTimeoutMs);
        if (n < 0 && errno == EINTR) return 0;
        if (n <= 0) fail("epoll_wait timed out or failed");
        return n;
    }
    const epoll_event& event(int i) const { return events_[static_cast<std::size_t>(i)]; }

private:
    void ctl(int op, int fd, std::uint32_t events) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        check(epoll_ctl(epfd_, op, fd, &ev), "epoll_ctl");
    }
    int epfd_;
    std::vector<int> owned_;
    std::array<epoll_event, kMaxEvents> events_{};
};

// A listening socket and a connected, accepted pair through it, all non-blocking and watched by poller.
struct TcpPair {
    int listener = -1;
    int client = -1;
    int server = -1;
    sockaddr_in addr{};

    explicit TcpPair(Poller& poller) {
        listener = boundSocket(SOCK_STREAM, addr);
        poller.own(listener);
        check(listen(listener, 128), "listen");
        client = check(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
        poller.own(client);
        check(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "connect");
        check(fcntl(client, F_SETFL, O_NONBLOCK), "fcntl");
        for (int tries = 0; server < 0 && tries < 1000; ++tries) server = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        check(server, "accept4");
        poller.own(server);
    }
};

class RawStream final : public Workload {
public:
    RawStream() : pair_(poller_), chunk_(kStreamChunkBytes, 's'), sink_(kStreamChunkBytes) {
        poller_.add(pair_.client, 0);
        poller_.add(pair_.server, EPOLLIN);
    }
    void run(std::int64_t bytes) override {
        std::int64_t toWrite = bytes;
        std::int64_t toRead = bytes;
        poller_.modify(pair_.client, EPOLLOUT);
        while (toRead > 0) {
            const int n = poller_.wait();
            for (int i = 0; i < n; ++i) {
                if (poller_.event(i).data.fd == pair_.client) writeSome(toWrite);
                else readSome(toRead);
            }
        }
    }

private:
    // At most kStreamWriteAheadBytes per writable event, in 64 KiB writes, as the simsock side has in flight.
    void writeSome(std::int64_t& toWrite) {
        for (std::int64_t pass = 0; toWrite > 0; pass += kStreamChunkBytes) {
            if (pass >= kStreamWriteAheadBytes) return;
            const auto len = static_cast<std::size_t>(std::min(toWrite, kStreamChunkBytes));
            const ssize_t w = write(pair_.client, chunk_.data(), len);
            if (w < 0 && errno == EAGAIN) return;
            toWrite -= check(static_cast<int>(w), "write");
        }
        poller_.modify(pair_.client, 0);  // done: stop asking about writability
    }
    void readSome(std::int64_t& toRead) {
        ssize_t r;
        while ((r = read(pair_.server, sink_.data(), sink_.size())) > 0) toRead -= r;
        if (r == 0 || (r < 0 && errno != EAGAIN)) fail("stream read");
    }

    Poller poller_;
    TcpPair pair_;
    std::string chunk_;
    std::vector<char> sink_;
};

class RawPingPong final : public Workload {
public:
    RawPingPong() : pair_(poller_) {
        poller_.add(pair_.client, EPOLLIN);
        poller_.add(pair_.server, EPOLLIN);
    }
    void run(std::int64_t trips) override {
        char byte = 'x';
        check(static_cast<int>(write(pair_.client, &byte, 1)), "write");
        std::int64_t done = 0;
        while (done < trips) {
            const int n = poller_.wait();
            for (int i = 0; i < n; ++i) {
                const int fd = poller_.event(i).data.fd;
                if (read(fd, &byte, 1) != 1) fail("ping-pong read");
                if (fd == pair_.client && ++done == trips) break;
                check(static_cast<int>(write(fd, &byte, 1)), "write");
            }
        }
    }

private:
    Poller poller_;
    TcpPair pair_;
};

// One cycle: connect without blocking, the server accepts and closes at once, the client waits for the
// connect to complete, then for end-of-file, and closes. The server closes first, so TIME_WAIT lands on
// the server's side and the client's ephemeral ports are never exhausted.
class RawChurn final : public Workload {
public:
    RawChurn() {
        listener_ = boundSocket(SOCK_STREAM, addr_);
        poller_.own(listener_);
        check(listen(listener_, 128), "listen");
        poller_.add(listener_, EPOLLIN);
    }
    void run(std::int64_t cycles) override {
        for (std::int64_t i = 0; i < cycles; ++i) cycle();
    }

private:
    void cycle() {
        const int c = check(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket");
        if (connect(c, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) < 0 && errno != EINPROGRESS)
            fail("connect");
        poller_.add(c, EPOLLOUT);
        bool connecting = true;
        bool accepted = false;
        bool finished = false;
        while (!accepted || !finished) {
            const int n = poller_.wait();
            for (int i = 0; i < n; ++i) {
                if (poller_.event(i).data.fd == listener_) {
                    close(check(accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC), "accept4"));
                    accepted = true;
                } else if (connecting) {
                    connecting = false;
                    confirmConnected(c);
                } else {
                    char byte;
                    if (read(c, &byte, 1) != 0) fail("churn: expected end-of-file");
                    poller_.remove(c);
                    close(c);
                    finished = true;
                }
            }
        }
    }
    void confirmConnected(int c) {
        int err = 0;
        socklen_t len = sizeof err;
        check(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len), "getsockopt");
        if (err != 0) fail("churn: connect failed");
        poller_.modify(c, EPOLLIN);
    }

    Poller poller_;
    int listener_ = -1;
    sockaddr_in addr_{};
};

// Bursts of kDatagramBurst datagrams of kDatagramBytes, each burst drained before the next is sent.
class RawUdp final : public Workload {
public:
    RawUdp() : payload_(kDatagramBytes, 'u'), sink_(kDatagramBytes * 2) {
        server_ = boundSocket(SOCK_DGRAM, serverAddr_);
        poller_.own(server_);
        sockaddr_in clientAddr{};
        client_ = boundSocket(SOCK_DGRAM, clientAddr);
        poller_.own(client_);
        poller_.add(server_, EPOLLIN);
    }
    void run(std::int64_t datagrams) override {
        for (std::int64_t sent = 0; sent < datagrams;) {
            const std::int64_t burst = std::min(kDatagramBurst, datagrams - sent);
            for (std::int64_t i = 0; i < burst; ++i) {
                const ssize_t w = sendto(client_, payload_.data(), payload_.size(), 0,
                                         reinterpret_cast<const sockaddr*>(&serverAddr_), sizeof serverAddr_);
                if (w != kDatagramBytes) fail("sendto");
            }
            for (std::int64_t got = 0; got < burst;) {
                poller_.wait();
                sockaddr_in from{};
                socklen_t len = sizeof from;
                while (recvfrom(server_, sink_.data(), sink_.size(), 0, reinterpret_cast<sockaddr*>(&from), &len) > 0) {
                    ++got;
                    len = sizeof from;
                }
            }
            sent += burst;
        }
    }

private:
    Poller poller_;
    int server_ = -1;
    int client_ = -1;
    sockaddr_in serverAddr_{};
    std::string payload_;
    std::vector<char> sink_;
};

}  // namespace

std::unique_ptr<Workload> makeRawStream() { return std::make_unique<RawStream>(); }
std::unique_ptr<Workload> makeRawPingPong() { return std::make_unique<RawPingPong>(); }
std::unique_ptr<Workload> makeRawChurn() { return std::make_unique<RawChurn>(); }
std::unique_ptr<Workload> makeRawUdp() { return std::make_unique<RawUdp>(); }

}  // namespace simsock::bench
