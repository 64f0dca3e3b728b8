#include "simsock/backend.h"

namespace simsock {

BackendRegistry& BackendRegistry::instance() {
    static BackendRegistry registry;
    return registry;
}

void BackendRegistry::registerBackend(const std::string& name, Factory factory) {
    factories_[name] = std::move(factory);
}

std::unique_ptr<Backend> BackendRegistry::create(const std::string& name, const BackendOptions& options) const {
    auto it = factories_.find(name);
    if (it == factories_.end()) return nullptr;
    return it->second(options);
}

std::vector<std::string> BackendRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, factory] : factories_) out.push_back(name);
    return out;
}

}  // namespace simsock
