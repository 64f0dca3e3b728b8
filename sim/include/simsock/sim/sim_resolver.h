// The simulated DNS: a table of names to ordered address lists, answered after a virtual delay.
// Successful answers go into the shared HostCache (60 s virtual), so a repeated name resolves inside
// connectToHost exactly as with the real resolver.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simsock/host_address.h"
#include "simsock/event_loop.h"
#include "simsock/host_cache.h"
#include "simsock/resolver.h"

namespace simsock::sim {

class SimLoop;

/// How a lookup fails: NXDOMAIN gives HostNotFound, SERVFAIL gives UnknownError.
enum class DnsFailure { None, NxDomain, ServFail };

class SimResolver final : public Resolver {
public:
    static constexpr std::int64_t kDefaultDelayNs = 1'000'000;

    explicit SimResolver(SimLoop& loop);
    ~SimResolver() override;

    LookupId lookupHost(const std::string& name, std::function<void(const HostInfo&)> done) override;
    void abortLookup(LookupId id) override;
    std::optional<HostInfo> cached(const std::string& name) override;

    /// Sets (replaces) the answer for name; names compare case-insensitively.
    void setRecord(const std::string& name, std::vector<HostAddress> addresses);
    /// Appends one address to name's answer.
    void addAddress(const std::string& name, const HostAddress& address);
    /// Removes name from the table (it then fails with NXDOMAIN).
    void removeRecord(const std::string& name);
    /// True when the table holds name.
    bool hasRecord(const std::string& name) const;
    /// Makes lookups of name fail with kind (DnsFailure::None clears it).
    void setFailure(const std::string& name, DnsFailure kind);
    /// The virtual time every lookup takes (default 1 ms).
    void setDefaultDelayNs(std::int64_t ns) { defaultDelayNs_ = ns; }
    /// A per-name lookup delay, overriding the default.
    void setDelayNs(const std::string& name, std::int64_t ns);
    /// Drops every cached answer.
    void clearCache() { cache_.clear(); }
    /// Lookups started so far (cached() hits do not count).
    std::uint64_t lookupsStarted() const { return lookupsStarted_; }
    /// The answer a lookup of name would give now (without delay or caching).
    HostInfo answer(const std::string& name) const;
    /// Called with every answer delivered (for the network's observer).
    void setAnswerHook(std::function<void(const HostInfo&)> hook) { hook_ = std::move(hook); }

private:
    struct Pending {
        std::function<void(const HostInfo&)> done;
        TimerId timer = kNoTimer;
    };
    void deliver(LookupId id, const std::string& name);

    SimLoop& loop_;
    HostCache cache_;
    std::map<std::string, std::vector<HostAddress>> records_;
    std::map<std::string, DnsFailure> failures_;
    std::map<std::string, std::int64_t> delays_;
    std::map<LookupId, Pending> pending_;
    std::function<void(const HostInfo&)> hook_;
    std::int64_t defaultDelayNs_ = kDefaultDelayNs;
    LookupId nextId_ = 1;
    std::uint64_t lookupsStarted_ = 0;
};

}  // namespace simsock::sim
