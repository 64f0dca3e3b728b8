// The scenario's real addresses on lo of a run's own namespace (kernel_network.h). An IPv6 address is added
// `nodad`: duplicate address detection would keep it tentative (unbindable) for a second or more.
#include "kernel_network.h"
#include "kernel_tools.h"

namespace simsock::scenario::detail {

std::string addRealAddresses(const LoopbackMap& map) {
    for (const HostAddress& a : map.realAddresses()) {
        const bool v6 = a.protocol() == NetworkLayerProtocol::IPv6Protocol;
        std::vector<std::string> argv{"ip", v6 ? "-6" : "-4", "addr", "add", a.toString() + (v6 ? "/128" : "/32"), "dev", "lo"};
        if (v6) argv.push_back("nodad");
        if (std::string err = runTool(argv); !err.empty()) return "adding the scenario's address to lo: " + err;
    }
    return {};
}

}  // namespace simsock::scenario::detail
