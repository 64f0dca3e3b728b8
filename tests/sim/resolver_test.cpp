#include <gtest/gtest.h>

#include "simsock/sim/network.h"

namespace simsock::sim {
namespace {

struct Answer {
    int calls = 0;
    HostInfo info;
    std::int64_t atNs = -1;
};

LookupId look(Network& net, const std::string& name, Answer& a) {
    return net.resolver().lookupHost(name, [&net, &a](const HostInfo& i) {
        ++a.calls;
        a.info = i;
        a.atNs = net.simLoop().nowNs();
    });
}

TEST(SimResolverTest, AnswersAfterDelayNeverInsideTheCall) {
    Network net(1);
    net.dns().setRecord("svc.test", {HostAddress("10.0.0.5"), HostAddress("10.0.0.6")});
    Answer a;
    look(net, "svc.test", a);
    EXPECT_EQ(a.calls, 0);
    net.simLoop().run();
    EXPECT_EQ(a.calls, 1);
    EXPECT_EQ(a.atNs, 1'000'000);
    EXPECT_EQ(a.info.error, HostInfo::Error::NoError);
    ASSERT_EQ(a.info.addresses.size(), 2u);
    EXPECT_EQ(a.info.addresses[0].toString(), "10.0.0.5");
    EXPECT_EQ(a.info.addresses[1].toString(), "10.0.0.6");
}

TEST(SimResolverTest, LocalhostIsV4ThenV6) {
    Network net(1);
    Answer a;
    look(net, "localhost", a);
    net.simLoop().run();
    ASSERT_EQ(a.info.addresses.size(), 2u);
    EXPECT_EQ(a.info.addresses[0].toString(), "127.0.0.1");
    EXPECT_EQ(a.info.addresses[1].toString(), "::1");
}

TEST(SimResolverTest, UnknownEmptyAndInvalidNamesAreHostNotFound) {
    Network net(1);
    for (const char* name : {"nowhere.test", "", "foo.invalid", "invalid"}) {
        Answer a;
        look(net, name, a);
        net.simLoop().run();
        EXPECT_EQ(a.info.error, HostInfo::Error::HostNotFound) << name;
        EXPECT_TRUE(a.info.addresses.empty());
    }
}

TEST(SimResolverTest, ServfailIsUnknownErrorAndNotCached) {
    Network net(1);
    net.dns().setRecord("flaky.test", {HostAddress("10.0.0.9")});
    net.dns().setFailure("flaky.test", DnsFailure::ServFail);
    Answer a;
    look(net, "flaky.test", a);
    net.simLoop().run();
    EXPECT_EQ(a.info.error, HostInfo::Error::UnknownError);
    EXPECT_FALSE(net.resolver().cached("flaky.test").has_value());
    net.dns().setFailure("flaky.test", DnsFailure::None);
    Answer b;
    look(net, "flaky.test", b);
    net.simLoop().run();
    EXPECT_EQ(b.info.error, HostInfo::Error::NoError);
}

TEST(SimResolverTest, SuccessIsCachedForSixtyVirtualSeconds) {
    Network net(1);
    net.dns().setRecord("c.test", {HostAddress("10.0.0.7")});
    EXPECT_FALSE(net.resolver().cached("c.test").has_value());
    Answer a;
    look(net, "c.test", a);
    net.simLoop().run();
    auto hit = net.resolver().cached("c.test");
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->addresses.at(0).toString(), "10.0.0.7");
    net.runForMs(59'998);  // answered at 1 ms: fresh until 60.001 s
    EXPECT_TRUE(net.resolver().cached("c.test").has_value());
    net.runForMs(3);
    EXPECT_FALSE(net.resolver().cached("c.test").has_value());
}

TEST(SimResolverTest, AbortedLookupNeverCallsBack) {
    Network net(1);
    net.dns().setRecord("a.test", {HostAddress("10.0.0.8")});
    Answer a;
    const LookupId id = look(net, "a.test", a);
    net.resolver().abortLookup(id);
    net.resolver().abortLookup(id + 100);  // unknown: ignored
    net.simLoop().run();
    EXPECT_EQ(a.calls, 0);
    EXPECT_EQ(net.simLoop().nowNs(), 0);
}

TEST(SimResolverTest, PerNameDelay) {
    Network net(1);
    net.dns().setRecord("slow.test", {HostAddress("10.0.0.1")});
    net.dns().setDelayNs("slow.test", 250'000'000);
    Answer a;
    look(net, "slow.test", a);
    net.simLoop().run();
    EXPECT_EQ(a.atNs, 250'000'000);
}

TEST(SimResolverTest, AddHostAddsARecordForItsName) {
    Network net(1);
    ASSERT_TRUE(net.addHost("server", {HostAddress("10.1.0.2")}));
    Answer a;
    look(net, "SERVER", a);  // names compare case-insensitively
    net.simLoop().run();
    ASSERT_EQ(a.info.addresses.size(), 1u);
    EXPECT_EQ(a.info.addresses[0].toString(), "10.1.0.2");
}

}  // namespace
}  // namespace simsock::sim

namespace simsock::sim {
namespace {

TEST(SimBackendTest, RegistryCreatesSeededSimNetworks) {
    registerSimBackend();
    auto backend = BackendRegistry::instance().create("sim", BackendOptions{99});
    ASSERT_NE(backend, nullptr);
    EXPECT_EQ(backend->name(), "sim");
    auto* net = dynamic_cast<Network*>(backend.get());
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(net->seed(), 99u);
    EXPECT_EQ(net->currentHost(), "local");
    auto engine = backend->createEngine(SocketType::TcpSocket);
    EXPECT_EQ(engine->initialize(NetworkLayerProtocol::IPv4Protocol), 0);
    EXPECT_EQ(engine->descriptor(), 3);
}

}  // namespace
}  // namespace simsock::sim
