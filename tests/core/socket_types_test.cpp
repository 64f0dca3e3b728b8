#include <gtest/gtest.h>

#include "simsock/socket_types.h"

namespace simsock {
namespace {

TEST(SocketTypes, EveryErrorHasItsQtSpellingAndParsesBack) {
    for (int i = 0; i < kSocketErrorCount; ++i) {
        auto e = static_cast<SocketError>(i);
        auto name = toString(e);
        ASSERT_NE(name, "Unknown") << i;
        EXPECT_TRUE(name.ends_with("Error")) << name;
        EXPECT_EQ(parseSocketError(name), e);
    }
    EXPECT_EQ(toString(SocketError::ConnectionRefusedError), "ConnectionRefusedError");
    EXPECT_EQ(toString(SocketError::UnknownSocketError), "UnknownSocketError");
    EXPECT_EQ(static_cast<int>(SocketError::UnknownSocketError), 23);
}

TEST(SocketTypes, StatesOptionsTypesProtocolsRoundTrip) {
    for (int i = 0; i <= static_cast<int>(SocketState::ClosingState); ++i) {
        auto s = static_cast<SocketState>(i);
        EXPECT_EQ(parseSocketState(toString(s)), s);
    }
    EXPECT_EQ(toString(SocketState::ConnectingState), "ConnectingState");
    for (int i = 0; i < kSocketOptionCount; ++i) {
        auto o = static_cast<SocketOption>(i);
        EXPECT_EQ(parseSocketOption(toString(o)), o);
    }
    EXPECT_EQ(toString(SocketOption::PathMtuSocketOption), "PathMtuSocketOption");
    EXPECT_EQ(parseSocketType("UdpSocket"), SocketType::UdpSocket);
    EXPECT_EQ(parseNetworkLayerProtocol("IPv6Protocol"), NetworkLayerProtocol::IPv6Protocol);
    EXPECT_EQ(parsePauseMode("PauseOnSslErrors"), PauseMode::PauseOnSslErrors);
    EXPECT_EQ(parseBindFlag("ReuseAddressHint"), BindFlag::ReuseAddressHint);
}

TEST(SocketTypes, UnknownNamesDoNotParse) {
    EXPECT_FALSE(parseSocketError("ConnectionRefused"));
    EXPECT_FALSE(parseSocketState(""));
    EXPECT_FALSE(parseSocketOption("lowdelayoption"));
}

TEST(SocketTypes, FlagSetsPrintAsQtDoes) {
    EXPECT_EQ(toString(BindMode()), "DefaultForPlatform");
    EXPECT_EQ(toString(BindFlag::ShareAddress | BindFlag::ReuseAddressHint), "ShareAddress|ReuseAddressHint");
    EXPECT_EQ(toString(OpenMode(OpenModeFlag::ReadWrite)), "ReadWrite");
    EXPECT_EQ(toString(OpenModeFlag::ReadWrite | OpenModeFlag::Unbuffered), "ReadWrite|Unbuffered");
    EXPECT_EQ(toString(OpenMode()), "NotOpen");
    OpenMode rw = OpenModeFlag::ReadWrite;
    EXPECT_TRUE(rw.testFlag(OpenModeFlag::ReadOnly));
    EXPECT_TRUE(rw.testFlag(OpenModeFlag::WriteOnly));
    EXPECT_FALSE(OpenMode(OpenModeFlag::ReadOnly).testFlag(OpenModeFlag::WriteOnly));
}

}  // namespace
}  // namespace simsock
