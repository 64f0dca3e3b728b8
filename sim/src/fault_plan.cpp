#include "simsock/sim/fault_plan.h"

#include <algorithm>
#include <cctype>

namespace simsock::sim {

namespace {
bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool portMatches(std::uint16_t faultPort, std::uint16_t port) { return faultPort == 0 || faultPort == port; }

// Whether a partition (or heal) between the spec's two hosts is one between a and b, in either order.
bool separates(const FaultSpec& f, const std::string& a, const std::string& b) {
    return (sameName(f.host, a) && sameName(f.otherHost, b)) || (sameName(f.host, b) && sameName(f.otherHost, a));
}

}  // namespace

void FaultPlan::activate(FaultId id, FaultSpec spec) {
    const std::string where = spec.host.empty() ? spec.name : spec.host;
    log(where, "active " + spec.describe());
    active_.push_back(Active{id, std::move(spec)});
}

bool FaultPlan::clear(FaultId id) {
    for (const auto& a : active_) {
        if (a.id != id) continue;
        log(a.spec.host, "cleared " + a.spec.describe());
        break;
    }
    const auto before = active_.size() + armed_.size();
    std::erase_if(active_, [id](const Active& a) { return a.id == id; });
    std::erase_if(armed_, [id](const Armed& a) { return a.id == id; });
    return active_.size() + armed_.size() != before;
}

int FaultPlan::heal(const FaultSpec& heal) {
    const auto before = active_.size();
    std::erase_if(active_, [&](const Active& f) {
        return f.spec.kind == FaultKind::Partition &&
               separates(f.spec, heal.host, heal.otherHost);
    });
    const int healed = static_cast<int>(before - active_.size());
    log(heal.host, heal.describe() + ": " + std::to_string(healed) + " partition(s) healed");
    return healed;
}

void FaultPlan::arm(FaultId id, FaultSpec spec, FaultTrigger trigger) {
    log(trigger.host + ":" + std::to_string(trigger.port), "armed " + spec.describe());
    armed_.push_back(Armed{id, std::move(spec), std::move(trigger)});
}

const FaultPlan::Active* FaultPlan::find(FaultKind kind, const std::string& host, std::uint16_t port) const {
    for (const auto& a : active_) {
        if (a.spec.kind != kind) continue;
        if (!a.spec.host.empty() && !sameName(a.spec.host, host)) continue;
        if (!portMatches(a.spec.port, port)) continue;
        return &a;
    }
    return nullptr;
}

const FaultPlan::Active* FaultPlan::findPartition(const std::string& a, const std::string& b) const {
    for (const auto& f : active_)
        if (f.spec.kind == FaultKind::Partition && separates(f.spec, a, b)) return &f;
    return nullptr;
}

bool FaultPlan::decide(const Active* f, const EventSite& where, const std::string& outcome) const {
    if (!f) return false;
    log(where, f->spec.describe() + ": " + outcome);
    return true;
}

std::optional<std::int64_t> FaultPlan::hostUnreachable(const std::string& host, const EventSite& site) {
    const Active* f = find(FaultKind::HostUnreachable, host);
    if (!f) return std::nullopt;
    const std::int64_t delayNs = f->spec.delayNs;
    decide(f, site, "EHOSTUNREACH after " + std::to_string(delayNs) + " ns");
    return delayNs;
}

std::optional<std::int64_t> FaultPlan::connectTimesOut(const std::string& host, std::uint16_t port,
                                                       const EventSite& site) {
    const Active* f = find(FaultKind::ConnectTimeout, host, port);
    if (!decide(f, site, "ETIMEDOUT")) return std::nullopt;
    return f->spec.delayNs;
}

bool FaultPlan::holdsSegment(const std::string& a, const std::string& b, const EventSite& site, bool& reported) {
    const Active* f = findPartition(a, b);
    if (!f) return false;
    if (!reported) decide(f, site, "segment held back");
    reported = true;
    return true;
}

bool FaultPlan::datagramTooLarge(const std::string& host, std::int64_t bytes, std::int64_t kernelLimit) {
    // Only a limit at or below the kernel's is the one that refuses; above it the fault changes nothing.
    const Active* f = find(FaultKind::DatagramLimit, host);
    if (!f || f->spec.limit > kernelLimit || bytes <= f->spec.limit) return false;
    return decide(f, host, "EMSGSIZE for " + std::to_string(bytes) + " bytes");
}

bool FaultPlan::partitioned(const std::string& a, const std::string& b) const { return findPartition(a, b) != nullptr; }

DnsFailure FaultPlan::lookupFails(const std::string& name) const {
    for (const auto& a : active_)
        if (a.spec.kind == FaultKind::LookupFailure && sameName(a.spec.name, name)) return a.spec.dnsFailure;
    return DnsFailure::None;
}

std::vector<FaultPlan::Armed> FaultPlan::fire(FaultTrigger::Kind kind, const std::string& host, std::uint16_t port,
                                              std::int64_t before, std::int64_t after) {
    std::vector<Armed> fired;
    for (auto& a : armed_) {
        const FaultTrigger& t = a.trigger;
        if (t.kind != kind || t.times == 0) continue;
        if (!t.host.empty() && !sameName(t.host, host)) continue;
        if (!portMatches(t.port, port)) continue;
        if (kind == FaultTrigger::Kind::AfterBytes && !(before < t.bytes && after >= t.bytes)) continue;
        fired.push_back(a);
        if (a.trigger.times > 0) --a.trigger.times;
    }
    std::erase_if(armed_, [](const Armed& a) { return a.trigger.times == 0; });
    return fired;
}

std::vector<FaultPlan::Armed> FaultPlan::fireOnAccept(const std::string& host, std::uint16_t port) {
    return fire(FaultTrigger::Kind::OnAccept, host, port, 0, 0);
}

std::vector<FaultPlan::Armed> FaultPlan::fireAfterBytes(const std::string& host, std::uint16_t port,
                                                        std::int64_t before, std::int64_t after) {
    return fire(FaultTrigger::Kind::AfterBytes, host, port, before, after);
}

bool FaultPlan::hasByteTriggers() const {
    return std::any_of(armed_.begin(), armed_.end(),
                       [](const Armed& a) { return a.trigger.kind == FaultTrigger::Kind::AfterBytes; });
}

}  // namespace simsock::sim
