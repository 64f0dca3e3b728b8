#include "net_log.h"

#include "simsock/sim/sim_loop.h"

namespace simsock::sim::detail {

void NetLog::emit(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail) {
    if (!observer_) return;
    observer_(NetEvent{loop_.nowNs(), std::move(kind), std::move(from), std::move(to), bytes, std::move(detail), {}});
}

void NetLog::emitPacket(std::string kind, std::string from, std::string to, std::int64_t bytes, std::string detail,
                        NetPacket packet) {
    if (!observer_) return;
    packet.kind = kind;
    observer_(NetEvent{loop_.nowNs(), std::move(kind), std::move(from), std::move(to), bytes, std::move(detail),
                       std::move(packet)});
}

void NetLog::fault(const EventSite& where, const std::string& decision) {
    if (!observer_) return;
    emit("fault", where.toString(), {}, 0, decision);
}

void NetLog::fate(std::string_view what, std::uint64_t id, const char* kind, std::string detail) {
    if (!observer_ || id == 0) return;
    NetEvent e{loop_.nowNs(), std::string(what), {}, {}, 0, std::move(detail), {}};
    e.packet.id = id;
    e.packet.kind = kind;
    observer_(e);
}

void NetLog::arrived(std::uint64_t id, const char* kind) {
    if (id != 0) fate(kPacketArrives, id, kind, "packet " + std::to_string(id));
}

void NetLog::lost(std::uint64_t id, const char* kind, const char* why) {
    if (id != 0) fate(kPacketLost, id, kind, "packet " + std::to_string(id) + " " + why);
}

void NetLog::lostBeforeSending(const std::string& fromHost, const std::string& toHost, std::int64_t bytes) {
    if (!observer_) return;
    const std::uint64_t id = newPacketId();
    NetEvent e{loop_.nowNs(), std::string(kPacketLost), {}, {}, bytes, "packet " + std::to_string(id) + " not sent",
               NetPacket{id, "udp", fromHost, toHost.empty() ? "?" : toHost, -1, 0}};
    observer_(e);
}

}  // namespace simsock::sim::detail
