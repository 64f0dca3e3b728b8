// Finding 6: quadratic work. Parsing an object with 100k keys took 18 s (each key was compared with every
// earlier one to find duplicates), and a network of 20k hosts took 11 s to run (every address lookup
// walked every host). Both are near-linear now. The tests count the work (JsonParseStats,
// Network::addressProbes) at bounded sizes with generous limits; timings live in bench/scaling_bench.cpp.
#include <gtest/gtest.h>

#include <string>

#include "reliability_support.h"
#include "simsock/scenario/json_tree.h"
#include "simsock/sim/network.h"
#include "simsock/simsock.h"

namespace simsock {
namespace {

using scenario::JsonParseStats;
using scenario::JsonSyntaxError;
using scenario::JsonValue;

std::string objectWithKeys(int n, const std::string& extra = {}) {
    std::string text = "{";
    for (int i = 0; i < n; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
    return text + extra + "}";
}

TEST(JsonScaling, DuplicateDetectionExaminesKeysNearLinearly) {
    for (int n : {1'000, 8'000}) {
        JsonValue v;
        JsonSyntaxError err;
        JsonParseStats stats;
        ASSERT_TRUE(scenario::parseJson(objectWithKeys(n), v, err, &stats)) << err.message;
        EXPECT_EQ(v.keys.size(), static_cast<std::size_t>(n));
        EXPECT_LE(stats.keysExamined, 4u * static_cast<std::uint64_t>(n)) << n;  // n(n-1)/2 before
    }
}

TEST(JsonScaling, ADuplicateInALargeObjectIsStillFoundWhereItIs) {
    JsonValue v;
    JsonSyntaxError err;
    ASSERT_FALSE(scenario::parseJson(objectWithKeys(50'000, ",\"k17\":0"), v, err));
    EXPECT_EQ(err.message, "duplicate key \"k17\"");
    EXPECT_EQ(err.pos.line, 1);
    EXPECT_EQ(err.pos.offset, objectWithKeys(50'000).size());  // the key after the last comma
    // Small objects find them as before.
    ASSERT_FALSE(scenario::parseJson("{\"a\":1,\"b\":2,\"a\":3}", v, err));
    EXPECT_EQ(err.message, "duplicate key \"a\"");
    EXPECT_EQ(err.pos.column, 14);
}

// The size the issue measured: 100k keys load, and every one is there.
TEST(JsonScaling, OneHundredThousandKeysLoad) {
    JsonValue v;
    JsonSyntaxError err;
    JsonParseStats stats;
    ASSERT_TRUE(scenario::parseJson(objectWithKeys(100'000), v, err, &stats)) << err.message;
    ASSERT_EQ(v.keys.size(), 100'000u);
    EXPECT_EQ(v.keys.front().first, "k0");
    EXPECT_EQ(v.values.back().text, "99999");
    EXPECT_LE(stats.keysExamined, 400'000u);
}

// n hosts, then traffic that needs the owner of an address: a datagram to the last host, a connect to
// a free address on a host's network (EHOSTUNREACH) and to no network at all (ENETUNREACH).
std::uint64_t probesFor(int n) {
    sim::Network net(1);
    for (int i = 0; i < n; ++i) {
        const std::string a = "10." + std::to_string(i / 250 + 1) + "." + std::to_string(i % 250) + ".1";
        EXPECT_TRUE(net.addHost("h" + std::to_string(i), {HostAddress(a)}));
    }
    const std::string last = "10." + std::to_string((n - 1) / 250 + 1) + "." + std::to_string((n - 1) % 250) + ".1";
    EXPECT_TRUE(net.setCurrentHost("h0"));
    UdpSocket u(net);
    EXPECT_EQ(u.writeDatagram("x", HostAddress(last), 9), 1);
    TcpSocket sameNetwork(net), nowhere(net);
    sameNetwork.connectToHost("10.1.0.99", 80);
    nowhere.connectToHost("192.168.7.7", 80);
    net.runForMs(10'000);
    EXPECT_EQ(sameNetwork.error(), SocketError::NetworkError);
    EXPECT_EQ(nowhere.error(), SocketError::NetworkError);
    return net.addressProbes();
}

TEST(HostScaling, AddressLookupsAreNearLinearInHosts) {
    for (int n : {1'000, 8'000}) {
        const std::uint64_t probes = probesFor(n);
        EXPECT_LE(probes, 4u * static_cast<std::uint64_t>(n)) << n;  // about n^2/2 before
    }
}

// The size the issue measured, end to end through the CLI: 20k hosts, a connection across them.
TEST(HostScaling, TwentyThousandHostsRun) {
    std::string hosts;
    for (int i = 0; i < 20'000; ++i)
        hosts += std::string(i ? ",\n" : "") + "{\"name\": \"h" + std::to_string(i) + "\", \"addresses\": [\"10." +
                 std::to_string(i / 250 + 1) + "." + std::to_string(i % 250) + ".1\"]}";
    reliability::ScratchDir dir;
    const std::string file = dir / "hosts.json";
    ASSERT_TRUE(reliability::writeText(file, R"({
  "format": 1,
  "engines": ["sim"],
  "network": {"hosts": [)" + hosts + R"(]},
  "peers": [{"name": "srv", "kind": "tcp-server", "host": "h19999", "port": 8080, "script": [{"accept": true}]}],
  "sockets": [{"name": "c", "type": "tcp", "host": "h0"}],
  "actions": [{"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.80.249.1", "port": 8080}],
  "runFor": "10ms",
  "expect": {"sockets": {"c": {"state": "ConnectedState"}}, "peers": {"srv": {"accepted": 1}}}
})"));
    reliability::Outcome o = reliability::runSimsock("run " + file);
    EXPECT_EQ(o.exitCode, 0) << o.output;
    EXPECT_EQ(o.output, "PASS " + file + "\n1 passed, 0 failed\n");
}

}  // namespace
}  // namespace simsock
