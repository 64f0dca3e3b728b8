#include "net_log.h"

#include "simsock/sim/sim_loop.h"

namespace simsock::sim::detail {

void NetLog::emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail) {
    if (!observer_) return;
    observer_(NetEvent{loop_.nowNs(), std::move(kind), std::move(from), std::move(to), bytes, std::move(detail)});
}

void NetLog::fault(const EventSite& where, const std::string& decision) {
    if (!observer_) return;
    emit("fault", where.toString(), {}, 0, decision);
}

}  // namespace simsock::sim::detail
