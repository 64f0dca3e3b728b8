// Link bandwidth on the kernel (kernel_links.h): the exact tc commands, which link fields are refused, and
// which files need a run namespace for their real addresses (kernel_namespace.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simsock/scenario/kernel_links.h"
#include "simsock/scenario/kernel_namespace.h"
#include "simsock/scenario/loader.h"

namespace simsock::scenario {
namespace {

using Argv = std::vector<std::string>;

TEST(LinkShapingCommands, NoLinksNoQdisc) { EXPECT_TRUE(linkShapingCommands({}).empty()); }

TEST(LinkShapingCommands, HtbRootThenOneClassAndTwoFiltersPerLink) {
    const std::vector<ShapedLink> links{{"127.0.0.1", "127.0.0.2", 1'000'000}, {"fd00::1", "fd00::2", 100}};
    const std::vector<Argv> expected{
        {"tc", "qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "0"},
        {"tc", "class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "8000000bit", "ceil", "8000000bit"},
        {"tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "src",
         "127.0.0.1/32", "match", "ip", "dst", "127.0.0.2/32", "flowid", "1:10"},
        {"tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32", "match", "ip", "src",
         "127.0.0.2/32", "match", "ip", "dst", "127.0.0.1/32", "flowid", "1:10"},
        {"tc", "class", "add", "dev", "lo", "parent", "1:", "classid", "1:11", "htb", "rate", "800bit", "ceil", "800bit"},
        {"tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ipv6", "prio", "2", "u32", "match", "ip6", "src",
         "fd00::1/128", "match", "ip6", "dst", "fd00::2/128", "flowid", "1:11"},
        {"tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ipv6", "prio", "2", "u32", "match", "ip6", "src",
         "fd00::2/128", "match", "ip6", "dst", "fd00::1/128", "flowid", "1:11"},
    };
    EXPECT_EQ(linkShapingCommands(links), expected);
}

TEST(LinkShapingCommands, ClassIdsAreHex) {
    std::vector<ShapedLink> links(7, ShapedLink{"127.0.0.1", "127.0.0.2", 1});
    const auto commands = linkShapingCommands(links);
    ASSERT_EQ(commands.size(), 1u + 7u * 3u);
    EXPECT_EQ(commands[1 + 6 * 3][8], "1:16");
    EXPECT_EQ(commands[1 + 6 * 3 + 1].back(), "1:16");
}

TEST(LinkRefusal, BandwidthAndMtuAreRealisedTheOtherFieldsNot) {
    LinkSpec l;
    EXPECT_EQ(linkRefusal(l), "");
    l.bandwidthBytesPerSec = 0;
    EXPECT_EQ(linkRefusal(l), "");
    l.bandwidthBytesPerSec = 100'000;
    EXPECT_EQ(linkRefusal(l), "");
    l.bandwidthBytesPerSec = kMaxShapedBytesPerSec + 1;
    EXPECT_EQ(linkRefusal(l), "link bandwidth above 1099511627776 bytes/s cannot be shaped");
    l.bandwidthBytesPerSec = 100'000;
    l.mtu = 1500;  // lo's MTU (kernel_datagrams.cpp)
    l.mtuLimitsDatagrams = true;
    EXPECT_EQ(linkRefusal(l), "");
    l.lossPpm = 10;
    EXPECT_EQ(linkRefusal(l), "link loss needs the sim engine (not realised on the kernel yet)");
    l.lossPpm.reset();
    l.tcpRetransmitNs = 1;
    EXPECT_EQ(linkRefusal(l), "link tcpRetransmit needs the sim engine (not realised on the kernel yet)");
    l.latencyNs = 0;
    EXPECT_EQ(linkRefusal(l), "link latency / jitter need the sim engine (no netem on this kernel)");
}

Scenario scenarioWith(const std::string& network, const std::string& action) {
    const std::string text = R"({"format": 1, "engines": ["sim", "epoll"], )" + network +
                             R"("sockets": [{"name": "c", "type": "tcp"}], "actions": [)" + action + R"(], "runFor": "1s"})";
    return loadScenarioText("inline.json", text);
}

TEST(NeedsNamespace, RealAddressesOnlyWhereLoopbackHasNoCounterpart) {
    const std::string connect = R"({"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.0.0.2", "port": 8080})";
    EXPECT_FALSE(needsNamespace(scenarioWith("", connect)));
    const std::string v6 = R"("network": {"hosts": [{"name": "client", "addresses": ["fd00::1"]},
                                                      {"name": "server", "addresses": ["fd00::2"]}]}, )";
    const std::string connect6 = R"({"at": "0ms", "socket": "c", "call": "connectToHost", "host": "fd00::2", "port": 8080})";
    EXPECT_TRUE(needsNamespace(scenarioWith(v6, connect6)));
    const std::string bindUnowned = R"({"at": "0ms", "socket": "c", "call": "bind", "host": "10.9.9.9", "port": 5000})";
    EXPECT_TRUE(needsNamespace(scenarioWith("", bindUnowned)));
    // A connect to an address no host owns stays unportable: the kernel would not answer as the sim does.
    const std::string connectUnowned = R"({"at": "0ms", "socket": "c", "call": "connectToHost", "host": "10.9.9.9", "port": 1})";
    EXPECT_FALSE(needsNamespace(scenarioWith("", connectUnowned)));
    const std::string link = R"("network": {"links": [{"between": ["client", "server"], "bandwidth": 1000}]}, )";
    const Scenario shaped = scenarioWith(link, connect);
    EXPECT_TRUE(needsNamespace(shaped));
    EXPECT_EQ(kernelRefusal(shaped), "");
}

}  // namespace
}  // namespace simsock::scenario
