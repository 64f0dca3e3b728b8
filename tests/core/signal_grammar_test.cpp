// The one copy of the signal grammar: the transition table and the trace checker's rules.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "simsock/signal_grammar.h"

namespace simsock {
namespace {

using S = SocketState;

constexpr S kAll[] = {S::UnconnectedState, S::HostLookupState, S::ConnectingState, S::ConnectedState,
                      S::BoundState,       S::ListeningState,  S::ClosingState};

TEST(SignalGrammar, LegalTransitionsAreExactlyTheMachineTable) {
    const std::set<std::pair<S, S>> legal = {
        {S::UnconnectedState, S::HostLookupState}, {S::UnconnectedState, S::ConnectingState},
        {S::UnconnectedState, S::ConnectedState},  {S::UnconnectedState, S::BoundState},
        {S::UnconnectedState, S::ListeningState},  {S::HostLookupState, S::ConnectingState},
        {S::HostLookupState, S::UnconnectedState}, {S::ConnectingState, S::ConnectedState},
        {S::ConnectingState, S::UnconnectedState}, {S::ConnectedState, S::ClosingState},
        {S::ConnectedState, S::UnconnectedState},  {S::BoundState, S::HostLookupState},
        {S::BoundState, S::ConnectedState},        {S::BoundState, S::ClosingState},
        {S::BoundState, S::UnconnectedState},      {S::ListeningState, S::HostLookupState},
        {S::ListeningState, S::ClosingState},      {S::ListeningState, S::UnconnectedState},
        {S::ClosingState, S::UnconnectedState},
    };
    for (S from : kAll)
        for (S to : kAll)
            EXPECT_EQ(legalTransition(from, to), legal.count({from, to}) == 1)
                << toString(from) << " -> " << toString(to);
}

TEST(SignalGrammar, ClientTransitionsAreTheTcpClientLifeCycle) {
    const std::set<std::pair<S, S>> client = {
        {S::UnconnectedState, S::HostLookupState}, {S::HostLookupState, S::ConnectingState},
        {S::HostLookupState, S::UnconnectedState}, {S::ConnectingState, S::ConnectedState},
        {S::ConnectingState, S::UnconnectedState}, {S::ConnectedState, S::ClosingState},
        {S::ConnectedState, S::UnconnectedState},  {S::ClosingState, S::UnconnectedState},
    };
    for (S from : kAll)
        for (S to : kAll) {
            EXPECT_EQ(clientTransition(from, to), client.count({from, to}) == 1)
                << toString(from) << " -> " << toString(to);
            if (clientTransition(from, to)) {
                EXPECT_TRUE(legalTransition(from, to));
            }
        }
}

TraceEvent ev(std::string signal, std::vector<std::string> args, std::string state, std::string call = {}) {
    TraceEvent e;
    e.object = "c";
    e.signal = std::move(signal);
    e.args = std::move(args);
    e.state = std::move(state);
    e.call = std::move(call);
    return e;
}

TraceEvent moved(const char* to, std::string call = {}) { return ev("stateChanged", {to}, to, std::move(call)); }

// connectToHost, connected, remote close: the whole orderly life of a client.
std::vector<TraceEvent> lifeOfAClient() {
    return {moved("HostLookupState", "connectToHost"),
            moved("ConnectingState", "connectToHost"),
            ev("hostFound", {}, "ConnectingState", "connectToHost"),
            moved("ConnectedState"),
            ev("connected", {}, "ConnectedState"),
            ev("readyRead", {"5"}, "ConnectedState"),
            ev("errorOccurred", {"RemoteHostClosedError"}, "ConnectedState"),
            moved("ClosingState"),
            moved("UnconnectedState"),
            ev("readChannelFinished", {}, "UnconnectedState"),
            ev("disconnected", {}, "UnconnectedState")};
}

std::string feedAll(SignalGrammar& g, const std::vector<TraceEvent>& events) {
    for (const auto& e : events)
        if (auto why = g.feed(e); !why.empty()) return why;
    return {};
}

TEST(SignalGrammar, AcceptsTheLifeOfAClientInBothForms) {
    SignalGrammar passive;
    EXPECT_EQ(feedAll(passive, lifeOfAClient()), "");
    EXPECT_EQ(passive.state(), S::UnconnectedState);
    SignalGrammar reentrant(SignalGrammar::Handlers::Reentrant);
    EXPECT_EQ(feedAll(reentrant, lifeOfAClient()), "");
    Trace twice;
    for (int i = 0; i < 2; ++i)
        for (auto e : lifeOfAClient()) twice.record(e);
    SignalGrammar again;
    EXPECT_EQ(again.feedAll(twice), "");
}

TEST(SignalGrammar, ComplaintsNameTheEventItsIndexAndTheRule) {
    SignalGrammar g;
    EXPECT_EQ(g.feed(moved("HostLookupState", "connectToHost")), "");
    EXPECT_EQ(g.feed(ev("hostFound", {}, "HostLookupState", "connectToHost")),
              "event 1 connectToHost{hostFound()} [HostLookupState]: hostFound outside HostLookup -> Connecting");
    // The rejected event is not taken in; counting goes on.
    EXPECT_EQ(g.feed(moved("ConnectedState")), "event 2 stateChanged(ConnectedState) [ConnectedState]: illegal "
                                               "transition from HostLookupState");
    EXPECT_EQ(g.state(), S::HostLookupState);
}

TEST(SignalGrammar, TransitionRules) {
    SignalGrammar g;
    EXPECT_EQ(g.feed(moved("ClosingState")),
              "event 0 stateChanged(ClosingState) [ClosingState]: illegal transition from UnconnectedState");
    EXPECT_EQ(g.feed(ev("stateChanged", {"BoundState"}, "BoundState")),
              "event 1 stateChanged(BoundState) [BoundState]: illegal transition from UnconnectedState");
    EXPECT_EQ(g.feed(ev("stateChanged", {"NoSuchState"}, "NoSuchState")),
              "event 2 stateChanged(NoSuchState) [NoSuchState]: illegal transition from UnconnectedState");
    EXPECT_EQ(g.feed(ev("stateChanged", {"HostLookupState"}, "UnconnectedState")),
              "event 3 stateChanged(HostLookupState) [UnconnectedState]: stateChanged delivered before the state "
              "changed");
    EXPECT_EQ(g.feed(ev("readyRead", {"1"}, "ConnectedState")),
              "event 4 readyRead(1) [ConnectedState]: delivered in ConnectedState but the last stateChanged said "
              "UnconnectedState");
}

TEST(SignalGrammar, DisconnectedNeedsAConnectedOfTheSameConnection) {
    SignalGrammar g;
    EXPECT_EQ(g.feed(moved("HostLookupState")), "");
    EXPECT_EQ(g.feed(moved("UnconnectedState")), "");
    EXPECT_EQ(g.feed(ev("disconnected", {}, "UnconnectedState")),
              "event 2 disconnected() [UnconnectedState]: disconnected without a connected of the same connection");
}

TEST(SignalGrammar, RemoteCloseOnlyWhileTheConnectionIsThere) {
    SignalGrammar g;
    EXPECT_EQ(g.feed(moved("HostLookupState")), "");
    EXPECT_EQ(g.feed(moved("UnconnectedState")), "");
    EXPECT_EQ(g.feed(ev("errorOccurred", {"RemoteHostClosedError"}, "UnconnectedState")),
              "event 2 errorOccurred(RemoteHostClosedError) [UnconnectedState]: RemoteHostClosedError delivered "
              "after the connection was already gone");
    EXPECT_EQ(g.feed(ev("errorOccurred", {"HostNotFoundError"}, "UnconnectedState")), "");
}

// A handler of stateChanged(ConnectedState) calls connectToHost again: its OperationError comes between.
std::vector<TraceEvent> errorBetweenConnectedAndItsSignal() {
    return {moved("HostLookupState", "connectToHost"),
            moved("ConnectingState", "connectToHost"),
            ev("hostFound", {}, "ConnectingState", "connectToHost"),
            moved("ConnectedState"),
            ev("errorOccurred", {"OperationError"}, "ConnectedState", "connectToHost"),
            ev("connected", {}, "ConnectedState")};
}

TEST(SignalGrammar, PassiveHandlersMeanRightAfter) {
    SignalGrammar g;
    EXPECT_EQ(feedAll(g, errorBetweenConnectedAndItsSignal()),
              "event 5 connected() [ConnectedState]: connected not right after stateChanged(ConnectedState)");
}

TEST(SignalGrammar, ReentrantHandlersMeanWithinTheSameAttempt) {
    SignalGrammar g(SignalGrammar::Handlers::Reentrant);
    EXPECT_EQ(feedAll(g, errorBetweenConnectedAndItsSignal()), "");
    EXPECT_EQ(g.feed(ev("connected", {}, "ConnectedState")),
              "event 6 connected() [ConnectedState]: connected without stateChanged(ConnectedState) before it in "
              "the same attempt");
    EXPECT_EQ(g.feed(ev("hostFound", {}, "ConnectedState")),
              "event 7 hostFound() [ConnectedState]: hostFound without stateChanged(ConnectingState) before it in "
              "the same attempt");
}

TEST(SignalGrammar, HostFoundBeforeConnectingIsCaughtInBothForms) {
    // The planted bug's order (tests/properties/planted_bug_test.cpp).
    const std::vector<TraceEvent> planted = {moved("HostLookupState", "connectToHost"),
                                             ev("hostFound", {}, "HostLookupState", "connectToHost")};
    SignalGrammar passive;
    EXPECT_EQ(feedAll(passive, planted),
              "event 1 connectToHost{hostFound()} [HostLookupState]: hostFound outside HostLookup -> Connecting");
    SignalGrammar reentrant(SignalGrammar::Handlers::Reentrant);
    EXPECT_EQ(feedAll(reentrant, planted),
              "event 1 connectToHost{hostFound()} [HostLookupState]: hostFound without stateChanged(ConnectingState) "
              "before it in the same attempt");
}

}  // namespace
}  // namespace simsock
