#include "simsock/sim/net_event.h"

namespace simsock::sim {

std::string toString(const NetEvent& e) {
    std::string s = std::to_string(e.timeNs) + " " + e.kind + " " + e.from;
    if (!e.to.empty()) s += " -> " + e.to;
    if (e.bytes != 0) s += " bytes=" + std::to_string(e.bytes);
    if (!e.detail.empty()) s += " " + e.detail;
    return s;
}

}  // namespace simsock::sim
