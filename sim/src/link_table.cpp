#include "link_table.h"

#include <algorithm>
#include <limits>

#include "net_log.h"
#include "simsock/sim/random.h"
#include "simsock/sim/sim_loop.h"

namespace simsock::sim::detail {
namespace {

// Later than any run (runs end within 100 virtual days) and far enough from INT64_MAX that what callers
// add to an arrival (a retransmission, a reordering delay: at most 100 days each) cannot overflow.
constexpr std::int64_t kNeverNs = std::numeric_limits<std::int64_t>::max() / 4;

std::int64_t addCapped(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    return __builtin_add_overflow(a, b, &sum) || sum > kNeverNs ? kNeverNs : sum;
}

// ceil(bytes * 1e9 / rate) without overflow, whatever the rate (up to INT64_MAX) and the packet size.
std::int64_t serialiseNs(std::int64_t bytes, std::int64_t rate) {
    std::int64_t scaled = 0;
    if (__builtin_mul_overflow(bytes, std::int64_t{1'000'000'000}, &scaled)) return kNeverNs;
    return scaled / rate + (scaled % rate != 0 ? 1 : 0);
}

}  // namespace

void LinkTable::set(const std::string& a, const std::string& b, const LinkParams& params) {
    links_[a < b ? HostPair(a, b) : HostPair(b, a)] = params;
    ++version_;
}

const LinkParams& LinkTable::between(const std::string& a, const std::string& b) const {
    if (a == b) return loopback_;
    if (links_.empty()) return default_;
    auto it = links_.find(a < b ? HostPairView(a, b) : HostPairView(b, a));
    return it == links_.end() ? default_ : it->second;
}

std::int64_t LinkTable::arrivalNs(const std::string& a, const std::string& b, std::int64_t bytes) {
    const LinkParams& l = between(a, b);
    if (l.bandwidthBytesPerSec > 0) return queuedArrival(l, busyUntilNs(a, b), bytes);
    return unqueuedArrival(l);
}

std::int64_t LinkTable::arrivalNs(const std::string& a, const std::string& b, std::int64_t bytes,
                                  LinkRoute& route) {
    const LinkParams& l = between(a, b, route);
    if (l.bandwidthBytesPerSec > 0) {
        if (route.busyUntilNs == nullptr) route.busyUntilNs = &busyUntilNs(a, b);
        return queuedArrival(l, *route.busyUntilNs, bytes);
    }
    return unqueuedArrival(l);
}

std::int64_t& LinkTable::busyUntilNs(const std::string& a, const std::string& b) {
    auto it = busyUntilNs_.find(HostPairView(a, b));
    if (it == busyUntilNs_.end()) it = busyUntilNs_.emplace(HostPair(a, b), 0).first;
    return it->second;
}

// A link with a bandwidth: one packet at a time per direction, each waiting for the ones before it to
// be serialised.
std::int64_t LinkTable::queuedArrival(const LinkParams& l, std::int64_t& busyUntil, std::int64_t bytes) {
    const std::int64_t start = std::max(loop_.nowNs(), busyUntil);
    busyUntil = addCapped(start, serialiseNs(bytes, l.bandwidthBytesPerSec));
    const std::int64_t jitter = l.jitterNs > 0 ? random_.range(0, l.jitterNs) : 0;
    return addCapped(addCapped(busyUntil, l.latencyNs), jitter);
}

// A link without a bandwidth: latency and jitter only.
std::int64_t LinkTable::unqueuedArrival(const LinkParams& l) {
    const std::int64_t jitter = l.jitterNs > 0 ? random_.range(0, l.jitterNs) : 0;
    return addCapped(addCapped(loop_.nowNs(), l.latencyNs), jitter);
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
