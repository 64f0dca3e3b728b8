// Shared set-up for the SEMANTICS.md tests: one sim network, a TcpServer on 127.0.0.1:5000 playing the
// peer, and a client socket "c" whose every signal is recorded.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock::testing {

using Events = std::vector<std::string>;

class SimFixture : public ::testing::Test {
protected:
    static constexpr std::uint16_t kPort = 5000;
    static constexpr std::uint16_t kClosedPort = 5001;

    void SetUp() override {
        ASSERT_TRUE(server.listen(HostAddress("127.0.0.1"), kPort));
        server.newConnection.connect([this] {
            while (auto s = server.nextPendingConnection()) accepted.push_back(std::move(s));
        });
    }

    template <typename S = TcpSocket>
    S& make(const std::string& name = "c") {
        auto s = std::make_unique<S>(net);
        s->setObjectName(name);
        auto& ref = *s;
        recorders.push_back(std::make_unique<TraceRecorder>(ref, trace));
        sockets.push_back(std::move(s));
        return ref;
    }

    /// Runs the loop for ms of virtual time.
    void runFor(std::int64_t ms) { net.loop().runUntil([] { return false; }, ms); }
    /// Runs until pred holds (or 60 virtual seconds pass); asserts that it held.
    void runUntil(const std::function<bool()>& pred) { ASSERT_TRUE(net.loop().runUntil(pred, 60'000)); }

    Events events(const std::string& name = "c") const { return trace.compact(name); }
    /// Events recorded from index `from` on.
    Events eventsFrom(std::size_t from, const std::string& name = "c") const {
        auto all = events(name);
        return Events(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end());
    }
    TcpSocket& peer(std::size_t i = 0) {
        EXPECT_GT(accepted.size(), i);
        return *accepted.at(i);
    }
    /// Connects "c" to the server and clears the trace.
    TcpSocket& connectedClient() {
        auto& c = make();
        c.connectToHost("127.0.0.1", kPort);
        runUntil([&] { return c.state() == SocketState::ConnectedState && !accepted.empty(); });
        trace.clear();
        return c;
    }

    sim::Network net{42};
    TcpServer server{net};
    Trace trace;
    std::vector<std::unique_ptr<TcpSocket>> accepted;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

}  // namespace simsock::testing
