#include "link_table.h"

#include <algorithm>

#include "net_log.h"
#include "simsock/sim/random.h"
#include "simsock/sim/sim_loop.h"

namespace simsock::sim::detail {

void LinkTable::set(const std::string& a, const std::string& b, const LinkParams& params) {
    links_[a < b ? HostPair(a, b) : HostPair(b, a)] = params;
}

const LinkParams& LinkTable::between(const std::string& a, const std::string& b) const {
    if (a == b) return loopback_;
    if (links_.empty()) return default_;
    auto it = links_.find(a < b ? HostPairView(a, b) : HostPairView(b, a));
    return it == links_.end() ? default_ : it->second;
}

std::int64_t LinkTable::arrivalNs(const std::string& a, const std::string& b, std::int64_t bytes) {
    const LinkParams& l = between(a, b);
    const std::int64_t now = loop_.nowNs();
    std::int64_t done = now;
    if (l.bandwidthBytesPerSec > 0) {
        // One packet at a time per direction: a packet waits for the ones before it to be serialised.
        auto it = busyUntilNs_.find(HostPairView(a, b));
        if (it == busyUntilNs_.end()) it = busyUntilNs_.emplace(HostPair(a, b), 0).first;
        std::int64_t& busy = it->second;
        const std::int64_t start = std::max(now, busy);
        const std::int64_t serialise = (bytes * 1'000'000'000 + l.bandwidthBytesPerSec - 1) / l.bandwidthBytesPerSec;
        busy = start + serialise;
        done = busy;
    }
    const std::int64_t jitter = l.jitterNs > 0 ? random_.range(0, l.jitterNs) : 0;
    return done + l.latencyNs + jitter;
}

bool LinkTable::segmentLost(const LinkParams& link, std::int64_t bytes, const EventSite& from) {
    if (!random_.chancePerMillion(link.lossPpm)) return false;
    log_.fault(from, "link loss: segment of " + std::to_string(bytes) + " bytes retransmitted");
    return true;
}

bool LinkTable::datagramLost(const LinkParams& link, std::int64_t bytes, const EventSite& from,
                             const std::string& to) {
    if (!random_.chancePerMillion(link.lossPpm)) return false;
    log_.fault(from, "link loss: datagram of " + std::to_string(bytes) + " bytes to " + to + " lost");
    return true;
}

bool LinkTable::datagramDuplicated(const LinkParams& link, const EventSite& from, const std::string& to) {
    if (!random_.chancePerMillion(link.duplicatePpm)) return false;
    log_.fault(from, "link duplication: datagram to " + to + " sent twice");
    return true;
}

bool LinkTable::datagramReordered(const LinkParams& link, const EventSite& from, const std::string& to) {
    if (!random_.chancePerMillion(link.reorderPpm)) return false;
    log_.fault(from, "link reordering: datagram to " + to + " held back");
    return true;
}

}  // namespace simsock::sim::detail
