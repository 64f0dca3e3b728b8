// What the simulated kernel sees of the network around it, and nothing more: the loop (virtual time,
// timers, posted work), the observation log, the links (when a packet arrives, the MTU, the link's own
// losses) and the fault plan, whose named questions decide every fault. The fault triggers that fire
// on kernel events (a connection accepted, bytes carried) go back through the two callbacks, so the
// Network decides what a fired fault does. The Network builds the context and outlives the stack.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace simsock::sim {
class FaultPlan;
class SimLoop;
}

namespace simsock::sim::detail {

class LinkTable;
class NetLog;
struct Sock;

struct StackContext {
    SimLoop& loop;
    NetLog& log;
    LinkTable& links;
    FaultPlan& faults;
    /// A connection entered a listener's accept queue (called with its server side): OnAccept triggers.
    std::function<void(const std::shared_ptr<Sock>& serverSide)> accepted;
    /// A connection has carried before..after payload bytes (called with its server side, and only while
    /// the plan has AfterBytes triggers armed).
    std::function<void(const std::shared_ptr<Sock>& serverSide, std::int64_t before, std::int64_t after)> carried;
};

}  // namespace simsock::sim::detail
