#include "namespace_dns.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "dns_message.h"
#include "loopback_map.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/kernel_namespace.h"

namespace simsock::scenario::detail {

struct NamespaceDns::Pending {
    std::chrono::steady_clock::time_point due;
    std::vector<std::uint8_t> query;
    sockaddr_in from{};
};

namespace {

// At most this many queries wait for their delay; more are dropped (the stub resolver retries or gives up).
constexpr std::size_t kMaxPendingQueries = 256;

std::string errnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

// The file's text in a temporary file, bind-mounted over target in the run's private mount namespace and
// unlinked at once: the mount keeps the file alive for the run, and nothing stays behind it.
std::string mountText(const std::string& target, const std::string& text) {
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/simsock-ns-XXXXXX";
    int fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) return errnoText("creating the run's " + target);
    std::size_t done = 0;
    bool wrote = true;
    while (wrote && done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        wrote = n > 0;
        if (wrote) done += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    ::close(fd);
    std::string err = !wrote ? errnoText("writing the run's " + target)
                     : ::mount(path.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0
                         ? errnoText("bind-mounting the run's " + target)
                         : std::string();
    ::unlink(path.c_str());
    return err;
}

std::string lowerName(std::string n) {
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!n.empty() && n.back() == '.') n.pop_back();
    return n;
}

}  // namespace

NamespaceDns::NamespaceDns(std::map<std::string, NamespaceDnsRecord> records, std::int64_t defaultDelayNs)
    : defaultDelayNs_(defaultDelayNs) {
    for (auto& [name, r] : records) records_[lowerName(name)] = std::move(r);
}

NamespaceDns::~NamespaceDns() {
    if (thread_.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] ssize_t n = ::write(stop_, &one, sizeof one);
        thread_.join();
    }
    if (socket_ >= 0) ::close(socket_);
    if (stop_ >= 0) ::close(stop_);
}

std::string NamespaceDns::start() {
    socket_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    stop_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (socket_ < 0 || stop_ < 0) return errnoText("the run's DNS server");
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(53);
    ::inet_pton(AF_INET, kServerAddress, &sa.sin_addr);
    if (::bind(socket_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return errnoText("binding the run's DNS server");
    // One attempt, and a timeout longer than any delay a scenario gives a lookup within its run.
    const std::string resolv = std::string("nameserver ") + kServerAddress + "\noptions timeout:30 attempts:1\n";
    if (std::string err = mountText("/etc/resolv.conf", resolv); !err.empty()) return err;
    if (std::string err = mountText("/etc/nsswitch.conf", "hosts: files dns\n"); !err.empty()) return err;
    thread_ = std::thread([this] { serve(); });
    return {};
}

void NamespaceDns::setFailure(const std::string& name, sim::DnsFailure kind) {
    std::lock_guard<std::mutex> lock(mutex_);
    records_[lowerName(name)].failure = kind;
}

std::vector<HostAddress> NamespaceDns::addressesOf(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = records_.find(lowerName(name));
    if (it == records_.end() || it->second.failure != sim::DnsFailure::None) return {};
    return it->second.addresses;
}

std::int64_t NamespaceDns::delayOf(const std::vector<std::uint8_t>& query) const {
    auto q = parseDnsQuery(query);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = q ? records_.find(q->name) : records_.end();
    return it != records_.end() && it->second.delayNs ? *it->second.delayNs : defaultDelayNs_;
}

// As the sim's resolver: the answer is decided when it is delivered, so a fault during the delay counts.
std::vector<std::uint8_t> NamespaceDns::answer(const std::vector<std::uint8_t>& query) const {
    auto q = parseDnsQuery(query);
    if (!q) return {};
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = records_.find(q->name);
    if (it == records_.end() || (it->second.failure == sim::DnsFailure::None && it->second.addresses.empty()))
        return buildDnsAnswer(query, *q, DnsRcode::NxDomain, {});
    if (it->second.failure != sim::DnsFailure::None)
        return buildDnsAnswer(query, *q, it->second.failure == sim::DnsFailure::ServFail ? DnsRcode::ServFail : DnsRcode::NxDomain, {});
    return buildDnsAnswer(query, *q, DnsRcode::NoError, it->second.addresses);
}

void NamespaceDns::serve() {
    using Clock = std::chrono::steady_clock;
    std::vector<Pending> pending;
    for (;;) {
        int timeoutMs = -1;
        if (!pending.empty()) {
            auto next = std::min_element(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) { return a.due < b.due; });
            auto left = std::chrono::ceil<std::chrono::milliseconds>(next->due - Clock::now()).count();
            timeoutMs = static_cast<int>(std::clamp<std::int64_t>(left, 0, 60'000));
        }
        pollfd fds[2] = {{stop_, POLLIN, 0}, {socket_, POLLIN, 0}};
        if (::poll(fds, 2, timeoutMs) < 0 && errno != EINTR) return;
        if (fds[0].revents) return;
        if (fds[1].revents & POLLIN) {
            Pending p;
            p.query.resize(kDnsMaxQuery);
            socklen_t len = sizeof p.from;
            ssize_t n = ::recvfrom(socket_, p.query.data(), p.query.size(), 0, reinterpret_cast<sockaddr*>(&p.from), &len);
            if (n > 0 && pending.size() < kMaxPendingQueries) {
                p.query.resize(static_cast<std::size_t>(n));
                p.due = Clock::now() + std::chrono::nanoseconds(delayOf(p.query));
                pending.push_back(std::move(p));
            }
        }
        const auto now = Clock::now();
        for (auto it = pending.begin(); it != pending.end();) {
            if (it->due > now) {
                ++it;
                continue;
            }
            const std::vector<std::uint8_t> reply = answer(it->query);
            if (!reply.empty())
                ::sendto(socket_, reply.data(), reply.size(), 0, reinterpret_cast<const sockaddr*>(&it->from), sizeof it->from);
            it = pending.erase(it);
        }
    }
}

}  // namespace simsock::scenario::detail

namespace simsock::scenario {

bool needsScenarioDns(const Scenario& s) {
    if (!s.network.dns.empty()) return true;
    for (const auto& f : s.faults)
        if (f.kind == sim::FaultKind::LookupFailure) return true;
    for (const auto& a : s.actions)
        if (callInfo(a.call).takes.has(CallArg::HostName) && !HostAddress::parse(a.host) && !detail::realResolverAnswers(a.host))
            return true;
    return false;
}

}  // namespace simsock::scenario
