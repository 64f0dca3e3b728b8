// PROXY-SEMANTICS §4: a reply that arrives in pieces is reassembled. Property: whatever the split of the
// proxy's answer into segments and whatever the delays between them (within the connect timeout), the
// socket's trace is the one the answer gives in one piece. Reproduce with RC_PARAMS="seed=N" (the failing
// seed is printed).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "proxy_fixture.h"

namespace simsock::testing {
namespace {

struct Exchange {
    NetworkProxy::ProxyType type;
    std::size_t requestBytes;  ///< what the client sends before the answer is due
    std::string answer;        ///< the proxy's whole answer
    std::string tunnel;        ///< bytes of the target right behind it (they travel with the last piece)
};

const std::vector<Exchange>& exchanges() {
    static const std::string httpRequest =
        "CONNECT 127.0.0.1:5000 HTTP/1.1\r\nProxy-Connection: keep-alive\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0\r\n\r\n";
    static const std::vector<Exchange> all{
        {NetworkProxy::Socks5Proxy, 3,
         bytes({0x05, 0x00}) + bytes({0x05, 0x00, 0x00, 0x01, 192, 0, 2, 1, 0x03, 0xE8}), "tunnel"},
        {NetworkProxy::Socks5Proxy, 3, bytes({0x05, 0x00}) + bytes({0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0}), ""},
        {NetworkProxy::Socks5Proxy, 3, bytes({0x05, 0x00}) + bytes({0x05, 0x00, 0x00, 0x03, 4}) + "host" + bytes({0, 80}), ""},
        {NetworkProxy::HttpProxy, httpRequest.size(), "HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n", "tunnel"},
        {NetworkProxy::HttpProxy, httpRequest.size(), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", ""},
        {NetworkProxy::HttpProxy, httpRequest.size(), "HTTP/1.1 407 Auth\r\nContent-Length: 2\r\n\r\nxx", ""},
    };
    return all;
}

// A sim world with one client and a fake proxy playing steps; returns the client's compact trace.
class SplitWorld : public ProxyFixture {
public:
    void TestBody() override {}
    Events play(const Exchange& x, const std::vector<ProxyStep>& steps) {
        proxy.setScript(steps);
        auto& c = client(x.type);
        c.connectToHost("127.0.0.1", kTargetPort);
        net.loop().runUntil([&] { return false; }, 70'000);
        return events();
    }
};

// The answer cut at the given offsets, each piece sent `delays[i]` ms after the previous one.
std::vector<ProxyStep> splitSteps(const Exchange& x, std::vector<std::size_t> cuts, const std::vector<int>& delays) {
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<ProxyStep> steps;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t to = i < cuts.size() ? cuts[i] : x.answer.size();
        if (to <= from) continue;
        ProxyStep s;
        s.after = x.requestBytes;
        s.reply = x.answer.substr(from, to - from);
        if (to == x.answer.size()) s.reply += x.tunnel;
        s.delayMs = delays.empty() ? 0 : delays[i % delays.size()];
        steps.push_back(s);
        from = to;
    }
    return steps;
}

RC_GTEST_PROP(ProxySplit, AnySplitAndTimingGivesTheWholeAnswersTrace, ()) {
    const auto index = *rc::gen::inRange<std::size_t>(0, exchanges().size());
    const Exchange& x = exchanges()[index];
    // At most 20 pieces of at most 300 ms: the whole answer stays well inside the 30 s connect timer.
    const auto pieces = *rc::gen::inRange<std::size_t>(0, 20);
    const auto cuts = *rc::gen::container<std::vector<std::size_t>>(
        pieces, rc::gen::inRange<std::size_t>(1, std::max<std::size_t>(2, x.answer.size())));
    const auto delays = *rc::gen::container<std::vector<int>>(pieces + 1, rc::gen::inRange(0, 300));
    Events whole;
    {
        SplitWorld w;
        whole = w.play(x, {{x.requestBytes, x.answer + x.tunnel}});
    }
    SplitWorld w;
    const Events split = w.play(x, splitSteps(x, cuts, delays));
    RC_ASSERT(split == whole);
}

}  // namespace
}  // namespace simsock::testing
