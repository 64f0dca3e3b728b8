// Helpers for driving SimEngines by hand: a receiver that counts notifications and a few set-ups.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>

#include "simsock/sim/engine.h"
#include "simsock/sim/network.h"

namespace simsock::sim::test {

/// Counts notifications; optionally disables read/write interest on delivery so a level-triggered
/// engine does not keep notifying a test that only wants to see the first one.
class CountingReceiver final : public EngineReceiver {
public:
    explicit CountingReceiver(SocketEngine* engine = nullptr) : engine_(engine) {}
    void bind(SocketEngine* e) { engine_ = e; }
    void readNotification() override {
        ++reads;
        if (engine_ && disableOnNotify) engine_->setReadNotificationEnabled(false);
    }
    void writeNotification() override {
        ++writes;
        if (engine_ && disableOnNotify) engine_->setWriteNotificationEnabled(false);
    }
    void connectionNotification() override {
        ++connects;
        connectTimeNs = net ? net->simLoop().nowNs() : 0;
    }
    int reads = 0, writes = 0, connects = 0;
    std::int64_t connectTimeNs = -1;
    bool disableOnNotify = true;
    Network* net = nullptr;

private:
    SocketEngine* engine_;
};

/// An engine plus its receiver.
struct Endpoint {
    std::unique_ptr<SimEngine> engine;
    std::unique_ptr<CountingReceiver> receiver;
};

inline Endpoint makeEndpoint(Network& net, const std::string& host, SocketType type,
                             NetworkLayerProtocol proto = NetworkLayerProtocol::IPv4Protocol) {
    Endpoint e;
    e.engine = net.createEngineOn(host, type);
    e.receiver = std::make_unique<CountingReceiver>(e.engine.get());
    e.receiver->net = &net;
    e.engine->setReceiver(e.receiver.get());
    EXPECT_EQ(e.engine->initialize(proto), 0);
    return e;
}

/// A listening TCP endpoint on host at address:port.
inline Endpoint makeListener(Network& net, const std::string& host, const HostAddress& address, std::uint16_t port,
                             int backlog = 50) {
    Endpoint e = makeEndpoint(net, host, SocketType::TcpSocket, address.protocol());
    EXPECT_EQ(e.engine->bind(address, port, BindFlag::DefaultForPlatform), 0);
    EXPECT_EQ(e.engine->listen(backlog), 0);
    return e;
}

/// Runs the loop until the client's connect finished; returns connectResult().
inline int finishConnect(Network& net, Endpoint& client, std::int64_t timeoutMs = 60'000) {
    net.simLoop().runUntil([&] { return client.receiver->connects > 0; }, timeoutMs);
    return client.receiver->connects > 0 ? client.engine->connectResult() : -1;
}

/// Accepts one pending connection into a new endpoint (waiting for it if needed).
inline Endpoint acceptOne(Network& net, Endpoint& listener) {
    int err = EAGAIN;
    std::intptr_t fd = -1;
    net.simLoop().runUntil([&] {
        fd = listener.engine->accept(err);
        return fd >= 0;
    }, 60'000);
    Endpoint e;
    e.engine = net.createEngineOn(listener.engine->host(), SocketType::TcpSocket);
    e.receiver = std::make_unique<CountingReceiver>(e.engine.get());
    e.receiver->net = &net;
    e.engine->setReceiver(e.receiver.get());
    EXPECT_GE(fd, 0);
    if (fd >= 0) {
        EXPECT_EQ(e.engine->adoptDescriptor(fd), 0);
    }
    return e;
}

/// A connected pair over IPv4: client on clientHost, server (accepted) on serverHost at addr:port.
struct Pair {
    Endpoint listener, client, server;
};

inline Pair connectPair(Network& net, const std::string& clientHost, const std::string& serverHost,
                        const HostAddress& addr, std::uint16_t port) {
    Pair p;
    p.listener = makeListener(net, serverHost, addr, port);
    p.client = makeEndpoint(net, clientHost, SocketType::TcpSocket, addr.protocol());
    EXPECT_EQ(p.client.engine->connect(addr, port), EINPROGRESS);
    EXPECT_EQ(finishConnect(net, p.client), 0);
    p.server = acceptOne(net, p.listener);
    return p;
}

/// Reads everything available now from an engine.
inline std::string drain(SocketEngine& e, IoResult* last = nullptr) {
    std::string out;
    char buf[65536];
    for (;;) {
        IoResult r = e.read(buf, sizeof buf);
        if (last) *last = r;
        if (r.bytes <= 0) break;
        out.append(buf, static_cast<std::size_t>(r.bytes));
    }
    return out;
}

inline HostAddress addr(const char* text) { return HostAddress(text); }

/// The addresses most tests use: the local loopback and the usual second host.
inline const HostAddress kLo("127.0.0.1");
inline const HostAddress kServer("10.0.0.2");

}  // namespace simsock::sim::test
