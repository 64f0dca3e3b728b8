// The fault plan's questions on their own: which fault answers, what the answer is, and the exact log
// line each "yes" writes (the site, then "<fault>: <outcome>"). No network: a plan and a log.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "simsock/sim/fault_plan.h"

namespace simsock::sim::test {
namespace {

class FaultPlanTest : public ::testing::Test {
protected:
    void SetUp() override {
        plan.setLog([this](const EventSite& where, const std::string& decision) {
            log.push_back(where.toString() + " | " + decision);
        });
    }
    FaultId add(const FaultSpec& spec) {
        const FaultId id = plan.newId();
        plan.activate(id, spec);
        return id;
    }
    /// The lines logged since the last call.
    std::vector<std::string> take() { return std::exchange(log, {}); }

    FaultPlan plan;
    std::vector<std::string> log;
    // Sites refer to their text, so they are named strings rather than literals.
    const std::string cli{"cli"};
    const std::string srv{"srv"};
    const std::string cliEndpoint{"cli 192.0.2.1:40000"};
    const HostAddress server{"10.0.0.2"};
    const HostAddress serverV6{"2001:db8::2"};
};

using Lines = std::vector<std::string>;

TEST_F(FaultPlanTest, AnEmptyPlanSaysNoToEverythingAndLogsNothing) {
    bool reported = false;
    EXPECT_FALSE(plan.descriptorsExhausted("srv"));
    EXPECT_FALSE(plan.bindDenied("srv", 80));
    EXPECT_FALSE(plan.addressInUse("srv", 80));
    EXPECT_FALSE(plan.networkUnreachable("srv", cli));
    EXPECT_EQ(plan.hostUnreachable("srv", cli), std::nullopt);
    EXPECT_FALSE(plan.unreachableLosesDatagram("srv", cli));
    EXPECT_EQ(plan.connectTimesOut("srv", 80, cli), std::nullopt);
    EXPECT_FALSE(plan.partitionLosesSyn("cli", "srv", srv));
    EXPECT_FALSE(plan.dropsSyn("srv", 80, srv));
    EXPECT_FALSE(plan.refusesSyn("srv", 80, srv));
    EXPECT_FALSE(plan.partitionHoldsSegment("cli", "srv", cli, reported));
    EXPECT_FALSE(reported);
    EXPECT_FALSE(plan.partitionLosesDatagram("cli", "srv", cli));
    EXPECT_FALSE(plan.datagramTooLarge("cli", 70000, 65507));
    EXPECT_FALSE(plan.partitioned("cli", srv));
    EXPECT_EQ(plan.lookupFails("srv"), DnsFailure::None);
    EXPECT_EQ(take(), Lines{});
}

TEST_F(FaultPlanTest, BookkeepingIsLogged) {
    const FaultId refuse = add(FaultSpec::refusePort("srv", 80));
    const FaultId armed = plan.newId();
    plan.arm(armed, FaultSpec::resetConnection("srv", 80), FaultTrigger::onAccept("srv", 80));
    add(FaultSpec::partition("cli", srv));
    EXPECT_EQ(plan.heal(FaultSpec::heal("srv", cli)), 1);
    EXPECT_TRUE(plan.clear(refuse));
    EXPECT_TRUE(plan.clear(armed));  // disarmed silently: it never held
    EXPECT_FALSE(plan.clear(refuse));
    EXPECT_EQ(take(), (Lines{"srv | active refuse-port srv:80", "srv:80 | armed reset-connection srv:80",
                             "cli | active partition cli srv", "srv | heal srv cli: 1 partition(s) healed",
                             "srv | cleared refuse-port srv:80"}));
    EXPECT_TRUE(plan.active().empty());
    EXPECT_TRUE(plan.armed().empty());
}

TEST_F(FaultPlanTest, DescriptorAndBindQuestions) {
    add(FaultSpec::descriptorExhaustion("srv"));
    add(FaultSpec::accessDenied("srv"));  // port 0: every port
    add(FaultSpec::addressInUse("srv", 9000));
    take();
    EXPECT_TRUE(plan.descriptorsExhausted("SRV"));  // host names compare case-insensitively
    EXPECT_FALSE(plan.descriptorsExhausted("cli"));
    EXPECT_TRUE(plan.bindDenied("srv", 443));
    EXPECT_TRUE(plan.addressInUse("srv", 9000));
    EXPECT_FALSE(plan.addressInUse("srv", 9001));
    EXPECT_EQ(take(), (Lines{"SRV | descriptor-exhaustion srv: EMFILE", "srv | access-denied srv: EACCES",
                             "srv | address-in-use srv:9000: EADDRINUSE"}));
}

TEST_F(FaultPlanTest, ReachabilityQuestionsAnswerWithTheirDelays) {
    add(FaultSpec::hostUnreachable("srv"));
    add(FaultSpec::connectTimeout("srv", 80));
    take();
    EXPECT_EQ(plan.hostUnreachable("srv", cli), 3'000'000'000);
    EXPECT_EQ(plan.hostUnreachable("other", cli), std::nullopt);
    EXPECT_TRUE(plan.unreachableLosesDatagram("srv", cliEndpoint));
    EXPECT_EQ(plan.connectTimesOut("srv", 80, cli), 1'000'000'000);
    EXPECT_EQ(plan.connectTimesOut("srv", 81, cli), std::nullopt);
    EXPECT_EQ(take(), (Lines{"cli | host-unreachable srv delayMs=3000: EHOSTUNREACH after 3000000000 ns",
                             "cli 192.0.2.1:40000 | host-unreachable srv delayMs=3000: datagram lost",
                             "cli | connect-timeout srv:80 delayMs=1000: ETIMEDOUT"}));
}

TEST_F(FaultPlanTest, NetworkUnreachableWithoutAHostMatchesEveryDestination) {
    add(FaultSpec::networkUnreachable());
    take();
    EXPECT_TRUE(plan.networkUnreachable("srv", cli));
    EXPECT_TRUE(plan.networkUnreachable("", cli));  // an address nobody owns
    EXPECT_EQ(take(), (Lines{"cli | network-unreachable *: ENETUNREACH", "cli | network-unreachable *: ENETUNREACH"}));
}

TEST_F(FaultPlanTest, SynQuestionsLogAtTheDestinationEndpoint) {
    add(FaultSpec::partition("cli", srv));
    add(FaultSpec::dropSyn("srv", 81));
    add(FaultSpec::refusePort("srv", 82));
    take();
    EXPECT_TRUE(plan.partitionLosesSyn("srv", "cli", EventSite(srv, server, 80)));  // either order
    EXPECT_TRUE(plan.dropsSyn("srv", 81, EventSite(srv, server, 81)));
    EXPECT_FALSE(plan.dropsSyn("srv", 82, EventSite(srv, server, 82)));
    EXPECT_TRUE(plan.refusesSyn("srv", 82, EventSite(srv, serverV6, 82)));
    EXPECT_EQ(take(), (Lines{"srv 10.0.0.2:80 | partition cli srv: SYN lost",
                             "srv 10.0.0.2:81 | drop-syn srv:81: SYN dropped",
                             "srv [2001:db8::2]:82 | refuse-port srv:82: SYN answered with RST"}));
}

TEST_F(FaultPlanTest, AHeldSegmentIsReportedOnce) {
    add(FaultSpec::partition("cli", srv));
    take();
    bool reported = false;
    EXPECT_TRUE(plan.partitionHoldsSegment("cli", "srv", cli, reported));
    EXPECT_TRUE(reported);
    EXPECT_TRUE(plan.partitionHoldsSegment("cli", "srv", cli, reported));
    EXPECT_TRUE(plan.partitionLosesDatagram("srv", "cli", srv));
    EXPECT_TRUE(plan.partitioned("srv", cli));
    EXPECT_EQ(take(), (Lines{"cli | partition cli srv: segment held back", "srv | partition cli srv: datagram lost"}));
}

TEST_F(FaultPlanTest, ADatagramLimitRefusesOnlyWhenItIsTheLimitThatBinds) {
    add(FaultSpec::datagramLimit("cli", 100));
    add(FaultSpec::datagramLimit("cli", 10));  // activated second: the first one decides
    take();
    EXPECT_FALSE(plan.datagramTooLarge("cli", 100, 65507));
    EXPECT_TRUE(plan.datagramTooLarge("cli", 101, 65507));
    EXPECT_TRUE(plan.datagramTooLarge("cli", 70000, 65507));  // the kernel would refuse too; the fault is tighter
    EXPECT_FALSE(plan.datagramTooLarge("cli", 200, 50));     // the kernel's limit binds: the fault says nothing
    EXPECT_FALSE(plan.datagramTooLarge("srv", 200, 65507));
    EXPECT_EQ(take(), (Lines{"cli | datagram-limit cli limit=100: EMSGSIZE for 101 bytes",
                             "cli | datagram-limit cli limit=100: EMSGSIZE for 70000 bytes"}));
}

TEST_F(FaultPlanTest, LookupFailuresAreLookedUpByName) {
    add(FaultSpec::lookupFailure("Flaky.Test", DnsFailure::ServFail));
    EXPECT_EQ(take(), Lines{"Flaky.Test | active lookup-failure Flaky.Test servfail"});
    EXPECT_EQ(plan.lookupFails("flaky.test"), DnsFailure::ServFail);
    EXPECT_EQ(plan.lookupFails("other.test"), DnsFailure::None);
    EXPECT_EQ(take(), Lines{});
}

TEST_F(FaultPlanTest, WithoutALogQuestionsStillAnswer) {
    FaultPlan quiet;
    quiet.activate(quiet.newId(), FaultSpec::refusePort("srv", 80));
    EXPECT_TRUE(quiet.refusesSyn("srv", 80, srv));
    EXPECT_EQ(log, Lines{});
}

}  // namespace
}  // namespace simsock::sim::test
