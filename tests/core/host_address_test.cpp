#include <gtest/gtest.h>

#include "simsock/host_address.h"

namespace simsock {
namespace {

TEST(HostAddress, ParsesAndFormatsIPv4) {
    HostAddress a("10.1.2.3");
    EXPECT_EQ(a.protocol(), NetworkLayerProtocol::IPv4Protocol);
    EXPECT_EQ(a.toIPv4Address(), 0x0a010203u);
    EXPECT_EQ(a.toString(), "10.1.2.3");
    EXPECT_FALSE(a.isLoopback());
    EXPECT_TRUE(HostAddress("127.0.0.42").isLoopback());
}

TEST(HostAddress, ParsesAndFormatsIPv6InCanonicalForm) {
    HostAddress a("2001:0db8:0000:0000:0000:0000:0000:0001");
    EXPECT_EQ(a.protocol(), NetworkLayerProtocol::IPv6Protocol);
    EXPECT_EQ(a.toString(), "2001:db8::1");
    EXPECT_EQ(HostAddress("[::1]").toString(), "::1");
    EXPECT_TRUE(HostAddress("::1").isLoopback());
}

TEST(HostAddress, RejectsNonLiterals) {
    EXPECT_TRUE(HostAddress("example.com").isNull());
    EXPECT_TRUE(HostAddress("256.1.1.1").isNull());
    EXPECT_TRUE(HostAddress("").isNull());
    EXPECT_FALSE(HostAddress::parse("1.2.3"));
    EXPECT_EQ(HostAddress().toString(), "");
}

TEST(HostAddress, SpecialAddresses) {
    using SA = HostAddress::SpecialAddress;
    EXPECT_EQ(HostAddress(SA::LocalHost).toString(), "127.0.0.1");
    EXPECT_EQ(HostAddress(SA::LocalHostIPv6).toString(), "::1");
    EXPECT_EQ(HostAddress(SA::AnyIPv4).toString(), "0.0.0.0");
    EXPECT_EQ(HostAddress(SA::AnyIPv6).toString(), "::");
    EXPECT_EQ(HostAddress(SA::Any).protocol(), NetworkLayerProtocol::AnyIPProtocol);
    EXPECT_TRUE(HostAddress(SA::Any).isAny());
    EXPECT_TRUE(HostAddress(SA::AnyIPv4).isAny());
    EXPECT_TRUE(HostAddress(SA::Null).isNull());
    EXPECT_EQ(HostAddress(SA::Broadcast).toString(), "255.255.255.255");
}

TEST(HostAddress, EqualityAndOrdering) {
    EXPECT_EQ(HostAddress("127.0.0.1"), HostAddress(HostAddress::SpecialAddress::LocalHost));
    EXPECT_NE(HostAddress("127.0.0.1"), HostAddress("::1"));
    EXPECT_LT(HostAddress("10.0.0.1"), HostAddress("10.0.0.2"));
}

}  // namespace
}  // namespace simsock
