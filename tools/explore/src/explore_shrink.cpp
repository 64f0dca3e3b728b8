// Greedy delta debugging over the scenario model: a failing case loses one part at a time (a call, a
// fault, a peer step, a link impairment), and each loss that keeps the same kind of failure is kept.
// Passes repeat until a whole pass removes nothing; a run budget bounds the work.
#include <functional>

#include "simsock/scenario/explore.h"

namespace simsock::scenario::explore {
namespace {

class Shrinker {
public:
    Shrinker(Scenario s, Violation v, int maxRuns) : best_(std::move(s)), violation_(std::move(v)), runsLeft_(maxRuns) {}

    std::pair<Scenario, Violation> run() {
        bool progress = true;
        while (progress && runsLeft_ > 0) {
            progress = false;
            progress |= dropEach([](Scenario& s) -> auto& { return s.actions; });
            progress |= dropEach([](Scenario& s) -> auto& { return s.faults; });
            if (!best_.peers.empty()) progress |= dropEach([](Scenario& s) -> auto& { return s.peers.front().script; });
            progress |= simplifyLink();
        }
        return {best_, violation_};
    }

private:
    // Keeps candidate when it still fails the same way.
    bool attempt(const Scenario& candidate) {
        if (runsLeft_ <= 0) return false;
        --runsLeft_;
        auto v = runCase(candidate);
        if (!v || v->kind != violation_.kind) return false;
        best_ = candidate;
        violation_ = *v;
        return true;
    }

    // From the back, so that earlier indices stay valid after a removal.
    template <typename Get>
    bool dropEach(Get get) {
        bool any = false;
        for (std::size_t i = get(best_).size(); i-- > 0;) {
            if (i >= get(best_).size()) continue;
            Scenario candidate = best_;
            auto& items = get(candidate);
            items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
            any |= attempt(candidate);
        }
        return any;
    }

    bool simplifyLink() {
        if (best_.network.links.empty()) return false;
        bool any = false;
        std::vector<std::function<void(LinkSpec&)>> resets = {
            [](LinkSpec& l) { l.lossPpm.reset(); },       [](LinkSpec& l) { l.duplicatePpm.reset(); },
            [](LinkSpec& l) { l.reorderPpm.reset(); },    [](LinkSpec& l) { l.jitterNs.reset(); },
            [](LinkSpec& l) { l.bandwidthBytesPerSec.reset(); }, [](LinkSpec& l) { l.latencyNs.reset(); }};
        for (const auto& reset : resets) {
            Scenario candidate = best_;
            reset(candidate.network.links.front());
            if (differs(candidate.network.links.front(), best_.network.links.front())) any |= attempt(candidate);
        }
        return any;
    }

    // Only a change is worth a run.
    static bool differs(const LinkSpec& a, const LinkSpec& b) {
        return a.lossPpm != b.lossPpm || a.duplicatePpm != b.duplicatePpm || a.reorderPpm != b.reorderPpm ||
               a.jitterNs != b.jitterNs || a.bandwidthBytesPerSec != b.bandwidthBytesPerSec || a.latencyNs != b.latencyNs;
    }

    Scenario best_;
    Violation violation_;
    int runsLeft_;
};

}  // namespace

std::pair<Scenario, Violation> shrinkCase(const Scenario& s, const Violation& v, int maxRuns) {
    return Shrinker(s, v, maxRuns).run();
}

}  // namespace simsock::scenario::explore
