// The `faults` section. Kinds, their fields and which are required come from the simulator's table
// (sim::faultKinds(), fault_kinds.h); what the faults mean is the fault model of sim/fault_plan.h.
#include <algorithm>

#include "loader_internal.h"

namespace simsock::scenario::detail {
namespace {

using sim::FaultField;

// Keys every fault may carry, whatever its kind: the kind first, the trigger and the rest after the fields.
constexpr std::string_view kKindKey = "kind";
constexpr std::string_view kCommonKeys[] = {"at", "on", "duration", "label"};

std::vector<std::string_view> faultAllowedKeys() {
    std::vector<std::string_view> out{kKindKey};
    for (int i = 0; i < sim::kFaultFieldCount; ++i) out.emplace_back(sim::toString(static_cast<FaultField>(i)));
    out.insert(out.end(), std::begin(kCommonKeys), std::end(kCommonKeys));
    return out;
}

const sim::FaultKindInfo& kindOf(const Node& kindNode) {
    std::string k = kindNode.str();
    if (auto kind = sim::parseFaultKind(k)) return sim::faultKindInfo(*kind);
    std::string all;
    for (const auto& row : sim::faultKinds()) all += (all.empty() ? "" : ", ") + std::string(row.name);
    kindNode.fail("unknown fault kind \"" + k + "\" (expected one of: " + all + ")");
}

std::optional<FaultField> fieldOf(std::string_view key) {
    for (int i = 0; i < sim::kFaultFieldCount; ++i)
        if (key == sim::toString(static_cast<FaultField>(i))) return static_cast<FaultField>(i);
    return std::nullopt;
}

void checkFieldsForKind(const Node& f, const sim::FaultKindInfo& row) {
    for (const auto& [key, pos] : f.value().keys) {
        bool common = key == kKindKey ||
                      std::find(std::begin(kCommonKeys), std::end(kCommonKeys), key) != std::end(kCommonKeys);
        auto field = fieldOf(key);
        if (!common && !(field && row.takes.has(*field)))
            f.failAtKey(key, "field does not apply to a " + std::string(row.name) + " fault");
    }
    for (int i = 0; i < sim::kFaultFieldCount; ++i)
        if (row.needs.has(static_cast<FaultField>(i))) (void)f.at(sim::toString(static_cast<FaultField>(i)));
}

std::vector<std::string_view> eventSpellings() {
    std::vector<std::string_view> out;
    for (auto k : sim::triggerEvents()) out.emplace_back(sim::toString(k));
    return out;
}

void loadTrigger(const Node& f, FaultEntry& e) {
    auto at = f.get("at");
    auto on = f.get("on");
    if (at && on) f.failAtKey("on", "a fault has \"at\" or \"on\", not both");
    if (!at && !on) f.fail("a fault needs a trigger: \"at\" (a time) or \"on\" (an event)");
    if (at) {
        e.atNs = at->duration();
        return;
    }
    on->expectObject({"event", "bytes", "times"});
    e.onEvent = *sim::parseTriggerEvent(on->at("event").oneOf(eventSpellings()));
    if (e.onEvent == sim::FaultTrigger::Kind::AfterBytes) {
        e.onBytes = on->at("bytes").integer(1, INT64_MAX);
    } else if (on->has("bytes")) {
        on->failAtKey("bytes", "only an afterBytes trigger counts bytes");
    }
    if (auto t = on->get("times")) {
        e.times = static_cast<int>(t->integer(-1, 1'000'000));
        if (e.times == 0) t->fail("times must be -1 (always) or at least 1");
    }
    if (e.values.host.empty())
        f.fail("an event trigger needs the fault's \"host\"");
}

void loadValues(const Node& f, const Declared& d, sim::FaultValues& v) {
    if (auto h = f.get("host")) {
        v.host = h->name();
        requireHost(*h, d, v.host);
    }
    if (auto h = f.get("otherHost")) {
        v.otherHost = h->name();
        requireHost(*h, d, v.otherHost);
        if (v.otherHost == v.host) h->fail("a partition separates two different hosts");
    }
    if (auto p = f.get("port")) v.port = p->port();
    if (auto n = f.get("name")) v.name = n->name();
    if (auto n = f.get("failure")) v.failure = sim::parseDnsFailure(n->oneOf(dnsFailureSpellings()));
    if (auto d = f.get("delay")) v.delayNs = d->duration();
    if (auto l = f.get("limit")) v.limit = l->integer(0, 65535);
}

void loadFault(const Node& f, Scenario& s, const Declared& d) {
    f.expectObject(faultAllowedKeys());
    const sim::FaultKindInfo& row = kindOf(f.at("kind"));
    checkFieldsForKind(f, row);
    FaultEntry e;
    e.pos = f.pos();
    e.kind = row.kind;
    loadValues(f, d, e.values);
    if (auto d = f.get("duration")) e.durationNs = d->duration();
    if (auto l = f.get("label")) e.label = l->str();
    loadTrigger(f, e);
    s.faults.push_back(std::move(e));
}

}  // namespace

std::vector<std::string_view> dnsFailureSpellings() {
    std::vector<std::string_view> out;
    for (auto f : sim::dnsFailures()) out.emplace_back(sim::toString(f));
    return out;
}

void loadFaults(const Node& node, Scenario& s, const Declared& d) {
    for (const auto& f : node.elements()) loadFault(f, s, d);
}

}  // namespace simsock::scenario::detail
