// The socket-level proxy tests' set-up: one sim network, a scripted fake proxy on 127.0.0.1:1080, and a
// client "c" whose every signal is recorded. Sockets that set an explicit proxy use it even for loopback
// targets (PROXY-SEMANTICS §1), so the fake proxy also plays the target through the tunnel.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fake_proxy.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock::testing {

using Events = std::vector<std::string>;

class ProxyFixture : public ::testing::Test {
protected:
    static constexpr std::uint16_t kProxyPort = 1080;
    static constexpr std::uint16_t kTargetPort = 5000;

    void TearDown() override { NetworkProxy::setApplicationProxy(NetworkProxy(NetworkProxy::NoProxy)); }

    template <typename S = TcpSocket>
    S& make(const std::string& name = "c") {
        auto s = std::make_unique<S>(net);
        s->setObjectName(name);
        auto& ref = *s;
        recorders.push_back(std::make_unique<TraceRecorder>(ref, trace));
        sockets.push_back(std::move(s));
        return ref;
    }
    /// A client "c" with an explicit proxy of `type` at the fake proxy.
    TcpSocket& client(NetworkProxy::ProxyType type, const std::string& user = {}, const std::string& password = {}) {
        auto& c = make();
        c.setProxy(NetworkProxy(type, "127.0.0.1", kProxyPort, user, password));
        return c;
    }

    void runFor(std::int64_t ms) { net.loop().runUntil([] { return false; }, ms); }
    void runUntil(const std::function<bool()>& pred, std::int64_t ms = 120'000) {
        ASSERT_TRUE(net.loop().runUntil(pred, ms));
    }
    Events events(const std::string& name = "c") const { return trace.compact(name); }
    Events eventsFrom(std::size_t from, const std::string& name = "c") const {
        auto all = events(name);
        return Events(all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end());
    }

    sim::Network net{42};
    FakeProxy proxy{net, kProxyPort};
    Trace trace;
    std::vector<std::unique_ptr<TraceRecorder>> recorders;
    std::vector<std::unique_ptr<AbstractSocket>> sockets;
};

/// The direct by-address trace up to the call's return.
inline const Events kByAddressCall{"connectToHost{stateChanged(HostLookupState)}",
                                   "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};
/// The by-name trace through a proxy that resolves: no hostFound.
inline const Events kByNameCall{"connectToHost{stateChanged(HostLookupState)}",
                                "connectToHost{stateChanged(ConnectingState)}"};

}  // namespace simsock::testing
