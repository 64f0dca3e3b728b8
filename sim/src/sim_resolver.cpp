#include "simsock/sim/sim_resolver.h"

#include <algorithm>
#include <cctype>

#include "simsock/sim/sim_loop.h"

namespace simsock::sim {

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

SimResolver::SimResolver(SimLoop& loop) : loop_(loop) {
    setRecord("localhost", {HostAddress(HostAddress::SpecialAddress::LocalHost),
                            HostAddress(HostAddress::SpecialAddress::LocalHostIPv6)});
}

SimResolver::~SimResolver() {
    for (auto& [id, p] : pending_) loop_.cancelTimer(p.timer);
}

void SimResolver::setRecord(const std::string& name, std::vector<HostAddress> addresses) {
    records_[lower(name)] = std::move(addresses);
}

void SimResolver::addAddress(const std::string& name, const HostAddress& address) {
    records_[lower(name)].push_back(address);
}

void SimResolver::removeRecord(const std::string& name) { records_.erase(lower(name)); }

bool SimResolver::hasRecord(const std::string& name) const { return records_.count(lower(name)) != 0; }

void SimResolver::setFailure(const std::string& name, DnsFailure kind) {
    if (kind == DnsFailure::None)
        failures_.erase(lower(name));
    else
        failures_[lower(name)] = kind;
}

void SimResolver::setDelayNs(const std::string& name, std::int64_t ns) { delays_[lower(name)] = ns; }

HostInfo SimResolver::answer(const std::string& name) const {
    HostInfo info;
    info.name = name;
    const std::string key = lower(name);
    auto notFound = [&info] {
        info.error = HostInfo::Error::HostNotFound;
        info.errorString = "Host not found";
        return info;
    };
    // RFC 6761: .invalid never resolves; an empty name is not a name.
    if (key.empty() || key == "invalid" || endsWith(key, ".invalid")) return notFound();
    if (auto f = failures_.find(key); f != failures_.end()) {
        if (f->second == DnsFailure::NxDomain) return notFound();
        info.error = HostInfo::Error::UnknownError;
        info.errorString = "Temporary failure in name resolution";
        return info;
    }
    auto it = records_.find(key);
    if (it == records_.end() || it->second.empty()) return notFound();
    info.addresses = it->second;
    return info;
}

LookupId SimResolver::lookupHost(const std::string& name, std::function<void(const HostInfo&)> done) {
    const LookupId id = nextId_++;
    ++lookupsStarted_;
    auto d = delays_.find(lower(name));
    const std::int64_t delay = d != delays_.end() ? d->second : defaultDelayNs_;
    Pending& p = pending_[id];
    p.done = std::move(done);
    p.timer = loop_.startTimer(delay, [this, id, name] { deliver(id, name); }, false);
    return id;
}

void SimResolver::deliver(LookupId id, const std::string& name) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    auto done = std::move(it->second.done);
    pending_.erase(it);
    const HostInfo info = answer(name);
    cache_.insert(info, loop_.nowNs());
    if (hook_) hook_(info);
    done(info);
}

void SimResolver::abortLookup(LookupId id) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    loop_.cancelTimer(it->second.timer);
    pending_.erase(it);
}

std::optional<HostInfo> SimResolver::cached(const std::string& name) {
    return cache_.find(name, loop_.nowNs());
}

}  // namespace simsock::sim
