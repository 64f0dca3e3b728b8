#include "simsock/testing/epoll_env.h"

#include <algorithm>

namespace simsock::testing {

void EpollEnv::advance(std::int64_t ms) {
    EXPECT_GE(ms, 0) << "advance(" << ms << "): time only moves forward";
    EXPECT_LE(ms, kMaxRealAdvanceMs) << "advance(" << ms << ") on epoll waits real time: at most "
                                     << kMaxRealAdvanceMs << " ms per call";
    const std::int64_t wait = std::clamp<std::int64_t>(ms, 0, kMaxRealAdvanceMs);
    if (wait > 0) backend_.loop().runUntil([] { return false; }, wait);
}

::testing::AssertionResult EpollEnv::runUntil(const std::function<bool()>& pred, std::int64_t limitMs) {
    if (backend_.loop().runUntil(pred, limitMs)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the condition did not hold within " << limitMs << " ms of real time";
}

::testing::AssertionResult EpollEnv::runUntilIdle(std::int64_t limitMs) {
    // A real network cannot say that nothing is in flight; a quiet recording is the best evidence there is.
    EventLoop& loop = backend_.loop();
    const std::int64_t deadlineNs = loop.nowNs() + limitMs * 1'000'000;
    for (;;) {
        const std::size_t seen = stage_.recorder().trace().events().size();
        const bool changed = loop.runUntil([&] { return stage_.recorder().trace().events().size() != seen; },
                                           kEpollQuietMs);
        if (!changed) return ::testing::AssertionSuccess();
        if (loop.nowNs() >= deadlineNs) {
            return ::testing::AssertionFailure()
                   << "still busy after " << limitMs << " ms of real time (events kept being recorded)";
        }
    }
}

peer::PeerEnvironment EpollEnv::peerEnvironment() {
    peer::PeerEnvironment env;
    env.bind = [](SocketEngine& engine, std::uint16_t port, SocketType) {
        return engine.bind(HostAddress::SpecialAddress::LocalHost, port, BindFlag::DontShareAddress);
    };
    return env;
}

}  // namespace simsock::testing
