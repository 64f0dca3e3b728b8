// EpollResolver: asynchronous getaddrinfo, names that never reach the OS, abort, cache, shutdown.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "simsock/epoll/epoll_resolver.h"

namespace simsock::epoll {
namespace {

constexpr std::int64_t kLookupMs = 10'000;

struct Answer {
    int calls = 0;
    HostInfo info;
    std::function<void(const HostInfo&)> callback() {
        return [this](const HostInfo& i) {
            ++calls;
            info = i;
        };
    }
};

TEST(EpollResolver, LocalhostResolvesToLoopbackAddressesOnce) {
    EpollLoop loop;
    EpollResolver resolver(loop);
    Answer a;
    const LookupId id = resolver.lookupHost("localhost", a.callback());
    EXPECT_NE(id, 0u);
    EXPECT_EQ(a.calls, 0);  // never inside lookupHost
    ASSERT_TRUE(loop.runUntil([&] { return a.calls == 1; }, kLookupMs));
    EXPECT_EQ(a.info.name, "localhost");
    EXPECT_EQ(a.info.error, HostInfo::Error::NoError);
    EXPECT_EQ(a.info.errorString, "");
    ASSERT_FALSE(a.info.addresses.empty());
    std::set<std::string> seen;
    for (const HostAddress& addr : a.info.addresses) {
        EXPECT_TRUE(addr.isLoopback()) << addr.toString();
        EXPECT_TRUE(seen.insert(addr.toString()).second) << "duplicate " << addr.toString();
    }
    EXPECT_EQ(seen.count("127.0.0.1"), 1u);
    EXPECT_EQ(resolver.workerCount(), 1u);
}

TEST(EpollResolver, EmptyNameAndInvalidNamesFailWithoutAskingTheOs) {
    EpollLoop loop;
    EpollResolver resolver(loop);
    Answer empty;
    Answer invalid;
    Answer upper;
    resolver.lookupHost("", empty.callback());
    resolver.lookupHost("nosuch.invalid", invalid.callback());
    resolver.lookupHost("NoSuch.INVALID.", upper.callback());
    EXPECT_EQ(empty.calls + invalid.calls + upper.calls, 0);
    loop.processEvents();
    for (Answer* a : {&empty, &invalid, &upper}) {
        EXPECT_EQ(a->calls, 1);
        EXPECT_EQ(a->info.error, HostInfo::Error::HostNotFound);
        EXPECT_EQ(a->info.errorString, "Host not found");
        EXPECT_TRUE(a->info.addresses.empty());
    }
    EXPECT_EQ(invalid.info.name, "nosuch.invalid");
    EXPECT_EQ(resolver.workerCount(), 0u);
    EXPECT_EQ(resolver.cached(""), std::nullopt);  // failures are never cached
    EXPECT_EQ(resolver.cached("nosuch.invalid"), std::nullopt);
}

TEST(EpollResolver, LiteralAddressesAnswerThemselves) {
    EpollLoop loop;
    EpollResolver resolver(loop);
    Answer v4;
    Answer v6;
    resolver.lookupHost("127.0.0.1", v4.callback());
    resolver.lookupHost("::1", v6.callback());
    loop.processEvents();
    EXPECT_EQ(v4.calls, 1);
    EXPECT_EQ(v4.info.addresses, (std::vector<HostAddress>{HostAddress("127.0.0.1")}));
    EXPECT_EQ(v6.info.addresses, (std::vector<HostAddress>{HostAddress("::1")}));
    EXPECT_EQ(resolver.workerCount(), 0u);
}

TEST(EpollResolver, AbortSuppressesTheCallback) {
    EpollLoop loop;
    EpollResolver resolver(loop);
    Answer aborted;
    Answer abortedLocal;
    Answer kept;
    const LookupId a = resolver.lookupHost("nosuch.invalid", aborted.callback());
    const LookupId b = resolver.lookupHost("localhost", abortedLocal.callback());
    resolver.lookupHost("localhost", kept.callback());
    resolver.abortLookup(a);
    resolver.abortLookup(b);
    resolver.abortLookup(b);       // twice: ignored
    resolver.abortLookup(999999);  // unknown: ignored
    ASSERT_TRUE(loop.runUntil([&] { return kept.calls == 1; }, kLookupMs));
    EXPECT_FALSE(loop.runUntil([] { return false; }, 100));  // let any straggler arrive
    EXPECT_EQ(aborted.calls, 0);
    EXPECT_EQ(abortedLocal.calls, 0);
    EXPECT_EQ(kept.info.error, HostInfo::Error::NoError);
}

TEST(EpollResolver, AnswersAreCachedOnTheLoopsClock) {
    EpollLoop loop;
    EpollResolver resolver(loop);
    EXPECT_EQ(resolver.cached("localhost"), std::nullopt);
    Answer a;
    resolver.lookupHost("localhost", a.callback());
    ASSERT_TRUE(loop.runUntil([&] { return a.calls == 1; }, kLookupMs));
    const std::optional<HostInfo> hit = resolver.cached("localhost");
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->name, "localhost");
    EXPECT_EQ(hit->addresses, a.info.addresses);
    EXPECT_EQ(hit->error, HostInfo::Error::NoError);
    // An entry past its lifetime is gone.
    resolver.cache().clear();
    resolver.cache().setTtlNs(1);
    Answer b;
    resolver.lookupHost("localhost", b.callback());
    ASSERT_TRUE(loop.runUntil([&] { return b.calls == 1; }, kLookupMs));
    EXPECT_FALSE(loop.runUntil([] { return false; }, 2));
    EXPECT_EQ(resolver.cached("localhost"), std::nullopt);
}

TEST(EpollResolver, DestructionWithLookupsInFlightJoinsAndCallsNothing) {
    EpollLoop loop;
    int calls = 0;
    {
        EpollResolver resolver(loop);
        for (int i = 0; i < 6; ++i) resolver.lookupHost("localhost", [&](const HostInfo&) { ++calls; });
        EXPECT_GE(resolver.workerCount(), 1u);
        EXPECT_LE(resolver.workerCount(), EpollResolver::kMaxWorkers);
    }
    EXPECT_FALSE(loop.runUntil([] { return false; }, 50));
    EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace simsock::epoll
