#include "simsock/epoll/epoll_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>

#include "socket_address.h"

namespace simsock::epoll {

// What the workers share with the resolver and with the closures they post. Everything but owner is
// guarded by mutex; owner is only touched on the loop thread (posted closures and the destructor).
struct EpollResolver::Shared {
    struct Job {
        LookupId id;
        std::string name;
    };
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    std::size_t idle = 0;
    bool stopping = false;
    EpollResolver* owner = nullptr;
};

namespace {

constexpr const char* kHostNotFound = "Host not found";

// RFC 6761: names under .invalid never resolve, so the OS is not asked.
bool isInvalidName(const std::string& name) {
    if (name.empty()) return true;
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n.back() == '.') n.pop_back();
    const std::string suffix = ".invalid";
    return n == "invalid" || (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0);
}

HostInfo failed(const std::string& name, HostInfo::Error error, std::string text) {
    HostInfo info;
    info.name = name;
    info.error = error;
    info.errorString = std::move(text);
    return info;
}

// Runs on a worker thread. Addresses keep getaddrinfo's order, each once.
HostInfo lookupWithOs(const std::string& name) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &result);
    if (rc != 0) {
        const bool notFound = rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL;
        if (notFound) return failed(name, HostInfo::Error::HostNotFound, kHostNotFound);
        return failed(name, HostInfo::Error::UnknownError, ::gai_strerror(rc));
    }
    HostInfo info;
    info.name = name;
    for (const addrinfo* p = result; p != nullptr; p = p->ai_next) {
        HostAddress a;
        epoll::detail::fromSockAddr(p->ai_addr, p->ai_addrlen, false, &a, nullptr);
        if (a.isNull()) continue;
        if (std::find(info.addresses.begin(), info.addresses.end(), a) == info.addresses.end())
            info.addresses.push_back(a);
    }
    ::freeaddrinfo(result);
    if (info.addresses.empty()) return failed(name, HostInfo::Error::HostNotFound, kHostNotFound);
    return info;
}

}  // namespace

void EpollResolver::postResult(EpollLoop& loop, const std::shared_ptr<Shared>& shared, LookupId id,
                               HostInfo info) {
    loop.post([shared, id, info = std::move(info)] {
        if (shared->owner != nullptr) shared->owner->deliver(id, info);
    });
}

void EpollResolver::workerMain(std::shared_ptr<Shared> shared, EpollLoop* loop) {
    std::unique_lock<std::mutex> lock(shared->mutex);
    for (;;) {
        ++shared->idle;
        shared->wake.wait(lock, [&] { return shared->stopping || !shared->jobs.empty(); });
        --shared->idle;
        if (shared->stopping) return;
        Shared::Job job = std::move(shared->jobs.front());
        shared->jobs.pop_front();
        lock.unlock();
        HostInfo info = lookupWithOs(job.name);
        lock.lock();
        // Posting under the mutex: once the destructor has set stopping, nothing more reaches the loop.
        if (shared->stopping) return;
        postResult(*loop, shared, job.id, std::move(info));
    }
}

EpollResolver::EpollResolver(EpollLoop& loop) : loop_(loop), shared_(std::make_shared<Shared>()) {
    shared_->owner = this;
}

EpollResolver::~EpollResolver() {
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->stopping = true;
        shared_->jobs.clear();
    }
    shared_->wake.notify_all();
    for (std::thread& t : workers_) t.join();
    shared_->owner = nullptr;  // results already posted find no one and are dropped
}

LookupId EpollResolver::lookupHost(const std::string& name, std::function<void(const HostInfo&)> done) {
    const LookupId id = nextId_++;
    pending_.emplace(id, std::move(done));
    if (isInvalidName(name)) {
        postResult(loop_, shared_, id, failed(name, HostInfo::Error::HostNotFound, kHostNotFound));
        return id;
    }
    if (const std::optional<HostAddress> literal = HostAddress::parse(name)) {
        HostInfo info;
        info.name = name;
        info.addresses.push_back(*literal);
        postResult(loop_, shared_, id, std::move(info));
        return id;
    }
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->jobs.push_back(Shared::Job{id, name});
    }
    if (!startWorkerIfNeeded()) {
        postResult(loop_, shared_, id, failed(name, HostInfo::Error::UnknownError, "Cannot start a resolver thread"));
        return id;
    }
    shared_->wake.notify_one();
    return id;
}

bool EpollResolver::startWorkerIfNeeded() {
    std::size_t waiting = 0;
    std::size_t idle = 0;
    {
        std::lock_guard<std::mutex> lock(shared_->mutex);
        waiting = shared_->jobs.size();
        idle = shared_->idle;
    }
    if (waiting <= idle || workers_.size() >= kMaxWorkers) return true;
    try {
        workers_.emplace_back(&EpollResolver::workerMain, shared_, &loop_);
    } catch (const std::system_error&) {
        if (!workers_.empty()) return true;  // the running workers will get to it
        std::lock_guard<std::mutex> lock(shared_->mutex);
        shared_->jobs.clear();
        return false;
    }
    return true;
}

void EpollResolver::abortLookup(LookupId id) {
    if (pending_.erase(id) == 0) return;
    // A lookup not yet started is dropped; a running one finishes and its answer is ignored.
    std::lock_guard<std::mutex> lock(shared_->mutex);
    auto& jobs = shared_->jobs;
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(), [id](const Shared::Job& j) { return j.id == id; }),
               jobs.end());
}

std::optional<HostInfo> EpollResolver::cached(const std::string& name) {
    return cache_.find(name, loop_.nowNs());
}

void EpollResolver::deliver(LookupId id, const HostInfo& info) {
    cache_.insert(info, loop_.nowNs());
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // aborted
    std::function<void(const HostInfo&)> done = std::move(it->second);
    pending_.erase(it);
    done(info);
}

}  // namespace simsock::epoll
