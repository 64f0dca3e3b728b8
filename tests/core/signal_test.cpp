#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "simsock/signal.h"

namespace simsock {
namespace {

TEST(Signal, CallsHandlersInConnectionOrderWithArguments) {
    Signal<int, std::string> sig;
    std::vector<std::string> calls;
    sig.connect([&](int n, std::string s) { calls.push_back("a" + std::to_string(n) + s); });
    sig.connect([&](int n, std::string s) { calls.push_back("b" + std::to_string(n) + s); });
    EXPECT_TRUE(sig.emit(7, "x"));
    EXPECT_EQ(calls, (std::vector<std::string>{"a7x", "b7x"}));
}

TEST(Signal, DisconnectStopsOnlyThatHandler) {
    Signal<> sig;
    int a = 0, b = 0;
    auto ca = sig.connect([&] { ++a; });
    sig.connect([&] { ++b; });
    sig.emit();
    ca.disconnect();
    EXPECT_FALSE(ca.isConnected());
    sig.emit();
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 2);
    EXPECT_EQ(sig.handlerCount(), 1u);
}

TEST(Signal, HandlerMayDisconnectItselfAndALaterHandlerDuringEmission) {
    Signal<> sig;
    std::vector<int> calls;
    Connection self, later;
    self = sig.connect([&] {
        calls.push_back(1);
        self.disconnect();
        later.disconnect();
    });
    later = sig.connect([&] { calls.push_back(2); });
    sig.connect([&] { calls.push_back(3); });
    sig.emit();
    sig.emit();
    EXPECT_EQ(calls, (std::vector<int>{1, 3, 3}));
}

TEST(Signal, HandlerConnectedDuringEmissionRunsFromTheNextEmission) {
    Signal<> sig;
    int inner = 0;
    sig.connect([&] { sig.connect([&] { ++inner; }); });
    sig.emit();
    EXPECT_EQ(inner, 0);
    sig.emit();
    EXPECT_EQ(inner, 1);
}

TEST(Signal, ManyConnectionsDuringEmissionDoNotDisturbIt) {
    Signal<> sig;
    std::vector<int> calls;
    sig.connect([&] {
        calls.push_back(1);
        for (int i = 0; i < 100; ++i) sig.connect([&] { calls.push_back(3); });  // forces reallocation
    });
    sig.connect([&] { calls.push_back(2); });
    sig.emit();
    EXPECT_EQ(calls, (std::vector<int>{1, 2}));
    calls.clear();
    sig.disconnectAll();
    sig.emit();
    EXPECT_TRUE(calls.empty());
    EXPECT_EQ(sig.handlerCount(), 0u);
}

TEST(Signal, DisconnectAllInsideAHandlerStopsTheRest) {
    Signal<> sig;
    int later = 0;
    sig.connect([&] { sig.disconnectAll(); });
    sig.connect([&] { ++later; });
    sig.emit();
    sig.emit();
    EXPECT_EQ(later, 0);
    EXPECT_EQ(sig.handlerCount(), 0u);
}

TEST(Signal, DestroyingTheSignalInAHandlerSkipsTheRestAndReportsIt) {
    auto sig = std::make_unique<Signal<>>();
    int after = 0;
    sig->connect([&] { sig.reset(); });
    sig->connect([&] { ++after; });
    Signal<>* raw = sig.get();
    EXPECT_FALSE(raw->emit());
    EXPECT_EQ(after, 0);
    EXPECT_EQ(sig, nullptr);
}

TEST(Signal, ConnectionOutlivingSignalIsHarmless) {
    Connection c;
    {
        Signal<> sig;
        c = sig.connect([] {});
        EXPECT_TRUE(c.isConnected());
    }
    EXPECT_FALSE(c.isConnected());
    c.disconnect();
}

}  // namespace
}  // namespace simsock
