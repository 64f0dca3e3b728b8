// Host-name lookup for the epoll engine: getaddrinfo (AF_UNSPEC, SOCK_STREAM) on a few worker threads,
// results handed back to the loop with EpollLoop::post, so a lookup never blocks the loop.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "simsock/epoll/epoll_loop.h"
#include "simsock/host_cache.h"
#include "simsock/resolver.h"

namespace simsock::epoll {

class EpollResolver final : public Resolver {
public:
    /// Up to this many getaddrinfo calls run at once; workers start on demand.
    static constexpr std::size_t kMaxWorkers = 4;

    /// loop must outlive the resolver; the resolver must be destroyed on the loop's thread.
    explicit EpollResolver(EpollLoop& loop);
    /// Drops queued lookups, waits for running getaddrinfo calls and joins every worker.
    ~EpollResolver() override;
    EpollResolver(const EpollResolver&) = delete;
    EpollResolver& operator=(const EpollResolver&) = delete;

    /// The empty name and names under .invalid fail with HostNotFound, and literal addresses succeed,
    /// without asking the OS; the answer still arrives from the loop. Successful answers are cached.
    LookupId lookupHost(const std::string& name, std::function<void(const HostInfo&)> done) override;
    void abortLookup(LookupId id) override;
    /// A fresh (60 s on the loop's clock) answer from an earlier lookup.
    std::optional<HostInfo> cached(const std::string& name) override;

    HostCache& cache() { return cache_; }
    /// Worker threads started so far (at most kMaxWorkers).
    std::size_t workerCount() const { return workers_.size(); }

private:
    struct Shared;

    static void workerMain(std::shared_ptr<Shared> shared, EpollLoop* loop);
    static void postResult(EpollLoop& loop, const std::shared_ptr<Shared>& shared, LookupId id, HostInfo info);
    void deliver(LookupId id, const HostInfo& info);
    bool startWorkerIfNeeded();

    EpollLoop& loop_;
    std::shared_ptr<Shared> shared_;
    std::map<LookupId, std::function<void(const HostInfo&)>> pending_;  // loop thread only
    HostCache cache_;
    LookupId nextId_ = 1;
    std::vector<std::thread> workers_;
};

}  // namespace simsock::epoll
