// A Backend bundles what sockets need from an engine: one loop, one resolver, and engine creation.
// Backends are created by name from a registry ("sim", "epoll"), so tools pick one at run time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "simsock/engine.h"
#include "simsock/event_loop.h"
#include "simsock/resolver.h"

namespace simsock {

class Backend {
public:
    virtual ~Backend() = default;
    /// The registry name ("sim", "epoll").
    virtual std::string name() const = 0;
    virtual EventLoop& loop() = 0;
    virtual Resolver& resolver() = 0;
    /// A fresh engine for one socket; it owns no OS socket until initialize() or adoptDescriptor().
    virtual std::unique_ptr<SocketEngine> createEngine(SocketType type) = 0;
};

/// Options passed to a backend factory (a seed for the sim; ignored where meaningless).
struct BackendOptions {
    std::uint64_t seed = 1;
    /// The loop's order when a socket is readable and writable at once (EventLoop::dispatchOrder).
    DispatchOrder dispatch = DispatchOrder::Glib;
};

/// Backends by name. Engines register themselves with registerBackend (see each engine's header for
/// its registration function; a static library cannot rely on static initialisers).
class BackendRegistry {
public:
    using Factory = std::function<std::unique_ptr<Backend>(const BackendOptions&)>;
    static BackendRegistry& instance();
    void registerBackend(const std::string& name, Factory factory);
    /// The backend, or null for an unknown name.
    std::unique_ptr<Backend> create(const std::string& name, const BackendOptions& options = {}) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, Factory> factories_;
};

}  // namespace simsock
