// Host-name lookup, as an engine provides it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "simsock/host_address.h"

namespace simsock {

/// The result of one lookup: the addresses in the order to try them, or an errno-level failure fact.
struct HostInfo {
    enum class Error { NoError, HostNotFound, UnknownError };
    std::string name;
    std::vector<HostAddress> addresses;
    Error error = Error::NoError;
    std::string errorString;
};

using LookupId = std::uint64_t;

class Resolver {
public:
    virtual ~Resolver() = default;

    /// Starts an asynchronous lookup. done runs later from the loop, never inside this call.
    virtual LookupId lookupHost(const std::string& name, std::function<void(const HostInfo&)> done) = 0;

    /// Abandons a lookup: its callback will not run. Unknown ids are ignored.
    virtual void abortLookup(LookupId id) = 0;

    /// A cached answer for name, if the resolver has one (then no lookup is needed and hostFound is
    /// emitted inside connectToHost, as Qt does for its host cache).
    virtual std::optional<HostInfo> cached(const std::string& name) = 0;
};

}  // namespace simsock
