// Faults as calls: each named call does what its kind does, inject() reaches every kind of the sim's
// table by its name, and mistakes are failures that name the kind and the field.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simsock/testing.h"

namespace simsock::testing {
namespace {

using ::testing::ElementsAre;
using S = SocketState;

const Events kLiteralStart = {"connectToHost{stateChanged(HostLookupState)}",
                              "connectToHost{stateChanged(ConnectingState)}", "connectToHost{hostFound()}"};
const Events kConnected = {"connectToHost{stateChanged(HostLookupState)}", "connectToHost{stateChanged(ConnectingState)}",
                           "connectToHost{hostFound()}", "stateChanged(ConnectedState)", "connected()"};

Events with(Events head, const Events& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

/// A network with a server host running a peer that accepts on 8080 and reads whatever comes.
class Faults : public SimTest {
protected:
    void SetUp() override {
        net.addHost("server", "10.0.0.2");
        srv = &net.peer("srv", "server", PeerScript().listen(8080).accept().read(1'000'000));
    }
    TcpSocket& connectClient() {
        auto& c = net.tcpSocket("c");
        c.connectToHost("10.0.0.2", 8080);
        return c;
    }
    bool unconnected(TcpSocket& c) { return c.state() == S::UnconnectedState; }

    peer::Peer* srv = nullptr;
};

TEST_F(Faults, RefuseAnswersSynsWithReset) {
    net.refuse("server", 8080);
    auto& c = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return unconnected(c); }));
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(ConnectionRefusedError)"}));
    EXPECT_EQ(srv->accepted(), 0);
}

TEST_F(Faults, ClearingAFaultEndsIt) {
    const sim::FaultId id = net.refuse("server", 8080);
    EXPECT_NE(id, 0u);
    EXPECT_TRUE(net.clearFault(id));
    EXPECT_FALSE(net.clearFault(id));
    auto& c = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::ConnectedState; }));
    EXPECT_EQ(net.events("c"), kConnected);
}

TEST_F(Faults, DropSynMakesConnectsTimeOut) {
    net.dropSyn("server", 8080);
    auto& c = net.tcpSocket("c");
    c.setConnectTimeoutMs(1000);
    c.connectToHost("10.0.0.2", 8080);
    ASSERT_TRUE(net.runUntil([&] { return unconnected(c); }));
    EXPECT_EQ(net.events("c"), with(kLiteralStart, {"stateChanged(UnconnectedState)", "errorOccurred(SocketTimeoutError)"}));
    EXPECT_EQ(net.nowMs(), 2000);  // one address, tried twice, 1 s each
}

TEST_F(Faults, ResetAfterBytesResetsTheConnectionOnceItCarriedThem) {
    net.resetAfterBytes("server", 8080, 4);
    auto& c = connectClient();
    c.connected.connect([&] { c.write("12345678"); });
    ASSERT_TRUE(net.runUntil([&] { return unconnected(c); }));
    EXPECT_EQ(net.events("c"),
              with(kConnected, {"bytesWritten(8)", "errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                "stateChanged(UnconnectedState)", "readChannelFinished()", "disconnected()"}));
    EXPECT_EQ(c.error(), SocketError::RemoteHostClosedError);
}

TEST_F(Faults, ResetOnAcceptResetsTheNextConnectionOnly) {
    net.resetOnAccept("server", 8080);
    auto& first = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return unconnected(first) && first.error() == SocketError::RemoteHostClosedError; }));
    auto& second = net.tcpSocket("second");
    second.connectToHost("10.0.0.2", 8080);
    ASSERT_TRUE(net.runUntil([&] { return second.state() == S::ConnectedState; }));
    net.advance(100);
    EXPECT_EQ(second.state(), S::ConnectedState);
}

TEST_F(Faults, APartitionHoldsDataUntilItHeals) {
    auto& c = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::ConnectedState; }));
    net.partition("local", "server");
    c.write("held");
    net.advance(1000);
    EXPECT_EQ(srv->received(), "");
    net.heal("local", "server");
    ASSERT_TRUE(net.runUntil([&] { return srv->received() == "held"; }));
    EXPECT_EQ(c.state(), S::ConnectedState);
}

TEST_F(Faults, ConditionsCanLastAWhileAndStartLater) {
    // Refused for the first 100 ms only.
    net.inject(sim::FaultKind::RefusePort, FaultArgs().host("server").port(8080), sim::FaultTrigger::now(), 100);
    auto& early = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return unconnected(early); }));
    EXPECT_EQ(early.error(), SocketError::ConnectionRefusedError);
    net.advance(100);
    auto& late = net.tcpSocket("late");
    late.connectToHost("10.0.0.2", 8080);
    ASSERT_TRUE(net.runUntil([&] { return late.state() == S::ConnectedState; }));
    // A lookup failure from 500 ms on.
    net.inject("lookup-failure", FaultArgs().name("svc.test"), sim::FaultTrigger::atNsTime(500'000'000));
    net.network().dns().setRecord("svc.test", {HostAddress("10.0.0.2")});
    net.advance(500);
    auto& named = net.tcpSocket("named");
    named.connectToHost("svc.test", 8080);
    ASSERT_TRUE(net.runUntil([&] { return unconnected(named); }));
    EXPECT_EQ(named.error(), SocketError::HostNotFoundError);
}

TEST_F(Faults, InjectByNameIsTheSameFault) {
    net.inject("drop-syn", FaultArgs().host("server").port(8080));
    auto& c = net.tcpSocket("c");
    c.setConnectTimeoutMs(500);
    c.connectToHost("10.0.0.2", 8080);
    ASSERT_TRUE(net.runUntil([&] { return unconnected(c); }));
    EXPECT_EQ(c.error(), SocketError::SocketTimeoutError);
    EXPECT_EQ(net.nowMs(), 1000);
}

TEST_F(Faults, MistakesAreFailuresNamingTheKindAndField) {
    sim::FaultId id = 1;
    EXPECT_NONFATAL_FAILURE(id = net.inject("drop-synn", FaultArgs().host("server")), "no fault kind \"drop-synn\"");
    EXPECT_EQ(id, 0u);
    EXPECT_NONFATAL_FAILURE(id = net.inject("partition", FaultArgs().host("local")), "fault partition needs its otherHost");
    EXPECT_EQ(id, 0u);
    EXPECT_NONFATAL_FAILURE(id = net.inject(sim::FaultKind::DatagramLimit, FaultArgs().host("local")),
                            "fault datagram-limit needs its limit");
    EXPECT_EQ(id, 0u);
    EXPECT_TRUE(net.network().faults().active().empty());
}

// Every kind of the table can be injected by its name, with no change to the kit.
TEST_F(Faults, EveryKindOfTheTableIsReachableByName) {
    const FaultArgs everything = FaultArgs()
                                     .host("server")
                                     .port(8080)
                                     .otherHost("local")
                                     .name("svc.test")
                                     .failure(sim::DnsFailure::NxDomain)
                                     .delayMs(1)
                                     .limit(100);
    for (const sim::FaultKindInfo& row : sim::faultKinds()) {
        SCOPED_TRACE(row.name);
        const sim::FaultId id = net.inject(row.name, everything);
        EXPECT_NE(id, 0u);
        const auto& active = net.network().faults().active();
        const bool holds = !active.empty() && active.back().id == id;
        EXPECT_EQ(holds, row.condition);
        if (holds) {
            EXPECT_EQ(active.back().spec.kind, row.kind);
            EXPECT_TRUE(net.clearFault(id));
        }
    }
}

TEST_F(Faults, NamedCallsBuildTheirKinds) {
    const auto lastKind = [&] { return net.network().faults().active().back().spec.kind; };
    net.hostUnreachable("server");
    EXPECT_EQ(lastKind(), sim::FaultKind::HostUnreachable);
    net.networkUnreachable();
    EXPECT_EQ(lastKind(), sim::FaultKind::NetworkUnreachable);
    net.lookupFailure("svc.test", sim::DnsFailure::ServFail);
    EXPECT_EQ(lastKind(), sim::FaultKind::LookupFailure);
    EXPECT_EQ(net.network().faults().active().back().spec.dnsFailure, sim::DnsFailure::ServFail);
    net.connectTimeout("server", 8080);
    EXPECT_EQ(lastKind(), sim::FaultKind::ConnectTimeout);
    net.exhaustDescriptors("server");
    EXPECT_EQ(lastKind(), sim::FaultKind::DescriptorExhaustion);
    net.addressInUse("server", 9000);
    EXPECT_EQ(lastKind(), sim::FaultKind::AddressInUse);
    net.accessDenied("server");
    EXPECT_EQ(lastKind(), sim::FaultKind::AccessDenied);
    net.datagramLimit("server", 512);
    EXPECT_EQ(lastKind(), sim::FaultKind::DatagramLimit);
    EXPECT_EQ(net.network().faults().active().back().spec.limit, 512);
    const auto armedKinds = [&] {
        std::vector<sim::FaultKind> kinds;
        for (const auto& a : net.network().faults().armed()) kinds.push_back(a.spec.kind);
        return kinds;
    };
    net.closeAfterBytes("server", 8080, 10);
    net.closeOnAccept("server", 8080, 2);
    EXPECT_EQ(armedKinds(), (std::vector<sim::FaultKind>{sim::FaultKind::CloseConnection, sim::FaultKind::CloseConnection}));
    EXPECT_EQ(net.network().faults().armed().back().trigger.times, 2);
}

TEST_F(Faults, ConnectionsCanBeClosedOrResetNow) {
    auto& c = connectClient();
    ASSERT_TRUE(net.runUntil([&] { return c.state() == S::ConnectedState && srv->accepted() == 1; }));
    net.closeConnections("server", 8080);
    ASSERT_TRUE(net.runUntil([&] { return unconnected(c); }));
    EXPECT_EQ(net.events("c"), with(kConnected, {"errorOccurred(RemoteHostClosedError)", "stateChanged(ClosingState)",
                                                 "stateChanged(UnconnectedState)", "readChannelFinished()",
                                                 "disconnected()"}));
    auto& d = net.tcpSocket("d");
    d.connectToHost("10.0.0.2", 8080);
    ASSERT_TRUE(net.runUntil([&] { return d.state() == S::ConnectedState; }));
    net.advance(10);
    net.resetConnections("server", 8080);
    ASSERT_TRUE(net.runUntil([&] { return unconnected(d); }));
    EXPECT_EQ(d.error(), SocketError::RemoteHostClosedError);
}

}  // namespace
}  // namespace simsock::testing
