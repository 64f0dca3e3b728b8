// The host-name cache both resolvers share, so a repeated name resolves inside connectToHost on every
// engine alike (Qt keeps such a cache, 60 s per entry).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "simsock/resolver.h"

namespace simsock {

class HostCache {
public:
    static constexpr std::int64_t kDefaultTtlNs = 60'000'000'000;

    explicit HostCache(std::int64_t ttlNs = kDefaultTtlNs) : ttlNs_(ttlNs) {}
    /// Remembers a successful answer at time nowNs; failures are never cached.
    void insert(const HostInfo& info, std::int64_t nowNs) {
        if (info.error != HostInfo::Error::NoError || info.addresses.empty() || ttlNs_ <= 0) return;
        entries_[info.name] = Entry{info, nowNs + ttlNs_};
    }
    /// The answer for name if it is still fresh at nowNs.
    std::optional<HostInfo> find(const std::string& name, std::int64_t nowNs) {
        auto it = entries_.find(name);
        if (it == entries_.end()) return std::nullopt;
        if (nowNs >= it->second.expiresNs) {
            entries_.erase(it);
            return std::nullopt;
        }
        return it->second.info;
    }
    void clear() { entries_.clear(); }
    void setTtlNs(std::int64_t ttlNs) { ttlNs_ = ttlNs; }

private:
    struct Entry {
        HostInfo info;
        std::int64_t expiresNs;
    };
    std::int64_t ttlNs_;
    std::map<std::string, Entry> entries_;
};

}  // namespace simsock
