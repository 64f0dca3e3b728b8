// Finding 7: undefined behaviour in arithmetic on values a file may give. Duration parsing multiplied a
// ten-digit fraction by the unit and overflowed: "0.9300000000s" was rejected while "0.9200000000s" was
// accepted. The link's serialisation time added the bandwidth to bytes x 1e9 and overflowed for
// bandwidths near INT64_MAX: a byte took no time at all. Both are checked arithmetic now; this file runs
// clean under UndefinedBehaviorSanitizer (SIMSOCK_SANITIZE=ON).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "simsock/scenario/duration.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using scenario::parseDuration;
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

TEST(DurationArithmetic, LongFractionsAreExact) {
    std::string e;
    EXPECT_EQ(parseDuration("0.9300000000s", e), 930'000'000) << e;
    EXPECT_EQ(parseDuration("0.9200000000s", e), 920'000'000) << e;
    EXPECT_EQ(parseDuration("0.9999999990000000000000s", e), 999'999'999) << e;
    EXPECT_EQ(parseDuration("1.000000000000000000000000000000ms", e), 1'000'000) << e;
    EXPECT_EQ(parseDuration("2.50000000000000000us", e), 2'500) << e;
    EXPECT_EQ(parseDuration("0.000000001s", e), 1) << e;
}

TEST(DurationArithmetic, SubNanosecondFractionsAreRefusedWhateverTheirLength) {
    std::string e;
    EXPECT_FALSE(parseDuration("0.0000000001s", e));
    EXPECT_EQ(e, "duration \"0.0000000001s\" is not a whole number of nanoseconds");
    EXPECT_FALSE(parseDuration("0.9300000001s", e));
    EXPECT_EQ(e, "duration \"0.9300000001s\" is not a whole number of nanoseconds");
    EXPECT_FALSE(parseDuration("1.5ns", e));
}

TEST(DurationArithmetic, HugeWholePartsAreRefusedWithoutOverflow) {
    std::string e;
    EXPECT_EQ(parseDuration("8640000s", e), 8'640'000'000'000'000);  // 100 days, the bound
    EXPECT_FALSE(parseDuration("8640000.000000001s", e));
    EXPECT_EQ(e, "duration \"8640000.000000001s\" is longer than 100 days");
    for (const char* text : {"8640001s", "99999999999999999999999999s", "9223372036854775807ns", "9223372036854775808ms"}) {
        EXPECT_FALSE(parseDuration(text, e)) << text;
        EXPECT_EQ(e, "duration \"" + std::string(text) + "\" is longer than 100 days") << text;
    }
}

// One datagram over a link whose bandwidth is near INT64_MAX: 1 byte takes ceil(1e9 / bandwidth) = 1 ns
// to serialise, on top of the latency. Before, the sum overflowed and the byte took 0 ns (UB).
TEST(LinkArithmetic, BandwidthNearInt64MaxSerialisesInOneNanosecond) {
    for (std::int64_t bandwidth : {kMax, kMax - 1, kMax / 2 + 1, std::int64_t{1'000'000'000'000'000'000}}) {
        sim::Network net(1);
        ASSERT_TRUE(net.addHost("a", {HostAddress("10.0.0.1")}));
        ASSERT_TRUE(net.addHost("b", {HostAddress("10.0.0.2")}));
        sim::LinkParams link;
        link.latencyNs = 1'000'000;
        link.bandwidthBytesPerSec = bandwidth;
        net.setLink("a", "b", link);
        ASSERT_TRUE(net.setCurrentHost("b"));
        UdpSocket receiver(net);
        ASSERT_TRUE(receiver.bind(HostAddress("10.0.0.2"), 9000));
        ASSERT_TRUE(net.setCurrentHost("a"));
        UdpSocket sender(net);
        std::int64_t arrivedNs = -1;
        receiver.readyRead.connect([&] { arrivedNs = net.loop().nowNs(); });
        ASSERT_EQ(sender.writeDatagram("x", HostAddress("10.0.0.2"), 9000), 1);
        const std::int64_t sentNs = net.loop().nowNs();
        net.runForMs(10);
        EXPECT_EQ(arrivedNs - sentNs, 1'000'000 + 1) << bandwidth;
    }
}

// The slowest link: the serialisation time is exact too, and a backlog of them accumulates exactly.
TEST(LinkArithmetic, OneBytePerSecondSerialisesExactly) {
    sim::Network net(1);
    ASSERT_TRUE(net.addHost("a", {HostAddress("10.0.0.1")}));
    ASSERT_TRUE(net.addHost("b", {HostAddress("10.0.0.2")}));
    sim::LinkParams link;
    link.latencyNs = 0;
    link.bandwidthBytesPerSec = 1;
    net.setLink("a", "b", link);
    ASSERT_TRUE(net.setCurrentHost("b"));
    UdpSocket receiver(net);
    ASSERT_TRUE(receiver.bind(HostAddress("10.0.0.2"), 9000));
    ASSERT_TRUE(net.setCurrentHost("a"));
    UdpSocket sender(net);
    std::vector<std::int64_t> arrivals;
    receiver.readyRead.connect([&] {
        arrivals.push_back(net.loop().nowNs());
        (void)receiver.receiveDatagram();
    });
    const std::string payload(60'000, 'p');
    ASSERT_EQ(sender.writeDatagram(payload, HostAddress("10.0.0.2"), 9000), 60'000);
    ASSERT_EQ(sender.writeDatagram(payload, HostAddress("10.0.0.2"), 9000), 60'000);
    net.runForMs(200'000'000);
    EXPECT_EQ(arrivals, (std::vector<std::int64_t>{60'000'000'000'000, 120'000'000'000'000}));
}

}  // namespace
}  // namespace simsock
