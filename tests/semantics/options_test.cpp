// SEMANTICS.md, "Options": each SocketOption round-trips through the engine as Linux reports it.
#include "fixture.h"

namespace simsock::testing {
namespace {

using O = SocketOption;

class Options : public SimFixture {};

TEST_F(Options, EveryOptionRoundTripsOnAConnectedTcpSocket) {
    auto& c = connectedClient();
    c.setSocketOption(O::LowDelayOption, 1);
    EXPECT_EQ(c.socketOption(O::LowDelayOption), 1);
    c.setSocketOption(O::KeepAliveOption, 1);
    EXPECT_EQ(c.socketOption(O::KeepAliveOption), 1);
    c.setSocketOption(O::MulticastTtlOption, 5);
    EXPECT_EQ(c.socketOption(O::MulticastTtlOption), 5);
    c.setSocketOption(O::MulticastLoopbackOption, 0);
    EXPECT_EQ(c.socketOption(O::MulticastLoopbackOption), 0);
    c.setSocketOption(O::TypeOfServiceOption, 160);
    EXPECT_EQ(c.socketOption(O::TypeOfServiceOption), 160);
    c.setSocketOption(O::SendBufferSizeSocketOption, 8192);
    EXPECT_EQ(c.socketOption(O::SendBufferSizeSocketOption), 16384);  // Linux doubles it
    c.setSocketOption(O::ReceiveBufferSizeSocketOption, 8192);
    EXPECT_EQ(c.socketOption(O::ReceiveBufferSizeSocketOption), 16384);
    EXPECT_EQ(c.socketOption(O::PathMtuSocketOption), 65536);  // loopback MTU, read only
    EXPECT_TRUE(events().empty());
}

TEST_F(Options, OptionsSetBeforeTheSocketExistsAreKeptAndApplied) {
    auto& c = make();
    c.setSocketOption(O::LowDelayOption, 1);
    c.setSocketOption(O::SendBufferSizeSocketOption, 10000);
    EXPECT_EQ(c.socketOption(O::LowDelayOption), 1);  // the kept value, before any engine socket
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == SocketState::ConnectedState; });
    EXPECT_EQ(c.socketOption(O::LowDelayOption), 1);
    EXPECT_EQ(c.socketOption(O::SendBufferSizeSocketOption), 20000);
}

TEST_F(Options, UnsetOptionOnANewSocketIsUnknown) {
    auto& c = make();
    EXPECT_EQ(c.socketOption(O::KeepAliveOption), std::nullopt);
}

TEST_F(Options, LowDelayDoesNotApplyToUdp) {
    auto& u = make<UdpSocket>("u");
    ASSERT_TRUE(u.bind(HostAddress("127.0.0.1"), 0));
    u.setSocketOption(O::LowDelayOption, 1);
    EXPECT_NE(u.socketOption(O::LowDelayOption), std::optional<int>(1));
}

TEST_F(Options, PlainPropertiesRoundTrip) {
    auto& c = make();
    c.setPauseMode(PauseMode::PauseOnSslErrors);
    EXPECT_EQ(c.pauseMode(), PauseModes(PauseMode::PauseOnSslErrors));
    c.resume();
    c.setProtocolTag("tag");
    EXPECT_EQ(c.protocolTag(), "tag");
    EXPECT_EQ(c.proxy().type(), NetworkProxy::DefaultProxy);
    EXPECT_EQ(c.socketType(), SocketType::TcpSocket);
    EXPECT_EQ(make<UdpSocket>("u").socketType(), SocketType::UdpSocket);
    EXPECT_EQ(c.connectTimeoutMs(), 30000);
    EXPECT_TRUE(events().empty());
}

}  // namespace
}  // namespace simsock::testing

namespace simsock::testing {
namespace {

// Without a proxy no connection asks for proxy credentials (tests/proxy covers the proxied cases); the
// signal is still a real, connectable signal, and the recorder traces it like the others.
TEST_F(Options, ProxyAuthenticationRequiredIsNeverEmittedWithoutAProxy) {
    auto& c = make();
    int asked = 0;
    c.proxyAuthenticationRequired.connect([&](const NetworkProxy&, Authenticator* a) {
        ++asked;
        if (a) a->setUser("u");
    });
    c.setProxy(NetworkProxy::NoProxy);
    c.connectToHost("127.0.0.1", kPort);
    runUntil([&] { return c.state() == SocketState::ConnectedState; });
    c.disconnectFromHost();
    EXPECT_EQ(asked, 0);
    Authenticator auth;
    c.proxyAuthenticationRequired.emit(NetworkProxy(NetworkProxy::HttpProxy), &auth);
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(auth.user(), "u");
    EXPECT_FALSE(auth.isNull());
    EXPECT_EQ(events().back(), "proxyAuthenticationRequired()");
}

}  // namespace
}  // namespace simsock::testing
