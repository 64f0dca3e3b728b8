// The `faults` section. Kinds and their fields follow the simulator's fault model (sim/fault_plan.h).
#include <array>

#include "loader_internal.h"

namespace simsock::scenario::detail {
namespace {

struct KindFields {
    std::string_view kind;
    std::string_view fields;  ///< space-separated kind-specific keys, beyond the common ones
    std::string_view required;
};

// The common keys (kind, at, on, duration, label) are allowed for every kind.
constexpr std::array<KindFields, 14> kKinds{{
    {"refuse-port", "host port", "host"},
    {"drop-syn", "host port", "host"},
    {"close-connection", "host port", "host"},
    {"reset-connection", "host port", "host"},
    {"partition", "host otherHost", "host otherHost"},
    {"heal", "host otherHost", "host otherHost"},
    {"host-unreachable", "host delay", "host"},
    {"network-unreachable", "host", ""},
    {"lookup-failure", "name failure", "name"},
    {"descriptor-exhaustion", "host", "host"},
    {"address-in-use", "host port", "host port"},
    {"access-denied", "host port", "host"},
    {"datagram-limit", "host limit", "host limit"},
    {"connect-timeout", "host port delay", "host"},
}};

const KindFields& kindOf(const Node& kindNode) {
    std::string k = kindNode.str();
    for (const auto& kf : kKinds)
        if (kf.kind == k) return kf;
    std::string all;
    for (const auto& kf : kKinds) all += (all.empty() ? "" : ", ") + std::string(kf.kind);
    kindNode.fail("unknown fault kind \"" + k + "\" (expected one of: " + all + ")");
}

void checkFieldsForKind(const Node& f, const KindFields& kf) {
    for (const auto& [key, pos] : f.value().keys) {
        bool common = key == "kind" || key == "at" || key == "on" || key == "duration" || key == "label";
        if (!common && !inList(kf.fields, key))
            f.failAtKey(key, "field does not apply to a " + std::string(kf.kind) + " fault");
    }
    for (std::string_view req : {"host", "otherHost", "name", "port", "limit"})
        if (inList(kf.required, req)) (void)f.at(req);
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
    e.onEvent = on->at("event").oneOf({"accept", "afterBytes"});
    if (e.onEvent == "afterBytes") {
        e.onBytes = on->at("bytes").integer(1, INT64_MAX);
    } else if (on->has("bytes")) {
        on->failAtKey("bytes", "only an afterBytes trigger counts bytes");
    }
    if (auto t = on->get("times")) {
        e.times = static_cast<int>(t->integer(-1, 1'000'000));
        if (e.times == 0) t->fail("times must be -1 (always) or at least 1");
    }
    if (e.host.empty())
        f.fail("an event trigger needs the fault's \"host\"");
}

void loadFault(const Node& f, Scenario& s) {
    f.expectObject({"kind", "host", "otherHost", "port", "name", "failure", "delay", "limit", "at", "on",
                    "duration", "label"});
    const KindFields& kf = kindOf(f.at("kind"));
    checkFieldsForKind(f, kf);
    FaultEntry e;
    e.pos = f.pos();
    e.kind = std::string(kf.kind);
    if (auto h = f.get("host")) {
        e.host = h->name();
        requireHost(*h, s, e.host);
    }
    if (auto h = f.get("otherHost")) {
        e.otherHost = h->name();
        requireHost(*h, s, e.otherHost);
        if (e.otherHost == e.host) h->fail("a partition separates two different hosts");
    }
    if (auto p = f.get("port")) e.port = p->port();
    if (auto n = f.get("name")) e.name = n->name();
    if (auto n = f.get("failure")) e.failure = n->oneOf({"nxdomain", "servfail"});
    if (auto d = f.get("delay")) e.delayNs = d->duration();
    if (auto l = f.get("limit")) e.limit = l->integer(0, 65535);
    if (auto d = f.get("duration")) e.durationNs = d->duration();
    if (auto l = f.get("label")) e.label = l->str();
    loadTrigger(f, e);
    s.faults.push_back(std::move(e));
}

}  // namespace

void loadFaults(const Node& node, Scenario& s) {
    for (const auto& f : node.elements()) loadFault(f, s);
}

}  // namespace simsock::scenario::detail
