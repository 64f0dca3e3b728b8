#include "simsock/testing/matchers.h"

#include <functional>
#include <ostream>
#include <utility>

namespace simsock::testing {
namespace {

// One matcher class for all four: a test over the parsed event, and how to say what it expects.
class PartsMatcher final : public ::testing::MatcherInterface<const std::string&> {
public:
    PartsMatcher(std::function<bool(const EventParts&)> test, std::string expectation)
        : test_(std::move(test)), expectation_(std::move(expectation)) {}

    bool MatchAndExplain(const std::string& event, ::testing::MatchResultListener* listener) const override {
        const EventParts parts = parseEvent(event);
        const bool ok = test_(parts);
        if (!ok && listener->IsInterested()) {
            *listener << "which is " << (parts.call.empty() ? "from the loop" : "inside " + parts.call) << ", signal "
                      << parts.signal;
        }
        return ok;
    }
    void DescribeTo(std::ostream* os) const override { *os << expectation_; }
    void DescribeNegationTo(std::ostream* os) const override { *os << "not (" << expectation_ << ")"; }

private:
    std::function<bool(const EventParts&)> test_;
    std::string expectation_;
};

::testing::Matcher<const std::string&> partsMatcher(std::function<bool(const EventParts&)> test, std::string what) {
    return ::testing::MakeMatcher(new PartsMatcher(std::move(test), std::move(what)));
}

}  // namespace

EventParts parseEvent(const std::string& event) {
    EventParts p;
    std::string rest = event;
    const auto brace = rest.find('{');
    if (brace != std::string::npos && rest.size() >= brace + 2 && rest.back() == '}') {
        p.call = rest.substr(0, brace);
        rest = rest.substr(brace + 1, rest.size() - brace - 2);
    }
    const auto paren = rest.find('(');
    if (paren == std::string::npos || rest.back() != ')') {
        p.call.clear();
        p.signal = event;
        return p;
    }
    p.signal = rest.substr(0, paren);
    p.args = rest.substr(paren + 1, rest.size() - paren - 2);
    return p;
}

::testing::Matcher<const std::string&> SignalIs(std::string name) {
    std::string what = "is a " + name + " event";
    return partsMatcher([name = std::move(name)](const EventParts& p) { return p.signal == name; }, std::move(what));
}

::testing::Matcher<const std::string&> Emitted(std::string bare) {
    std::string what = "is " + bare + " (inside any call or from the loop)";
    return partsMatcher([bare = std::move(bare)](const EventParts& p) { return p.bare() == bare; }, std::move(what));
}

::testing::Matcher<const std::string&> InsideCall(std::string call) {
    std::string what = "fired inside " + call;
    return partsMatcher([call = std::move(call)](const EventParts& p) { return p.call == call; }, std::move(what));
}

::testing::Matcher<const std::string&> FromLoop() {
    return partsMatcher([](const EventParts& p) { return p.call.empty(); }, "fired from the loop");
}

}  // namespace simsock::testing
