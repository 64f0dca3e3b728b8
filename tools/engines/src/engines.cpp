#include "simsock/engines.h"

#include <algorithm>
#include <string_view>

#include "registered_engines.h"
#include "simsock/backend.h"
#include "simsock/check.h"

namespace simsock {

void registerEngines() {
    // A static library cannot rely on static initialisers, so registration is explicit; once is enough.
    static const bool registered = [] {
        detail::registerEachEngine();
        const std::vector<std::string> names = BackendRegistry::instance().names();
        // The registration line names the engine as its backend names itself, or the lists would differ.
        for (std::string_view name : detail::engineLineNames())
            SIMSOCK_ASSERT(std::find(names.begin(), names.end(), name) != names.end());
        return true;
    }();
    (void)registered;
}

std::vector<std::string> engineNames() {
    registerEngines();
    return BackendRegistry::instance().names();
}

}  // namespace simsock
