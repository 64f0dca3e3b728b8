// Link bandwidth on the kernel: HTB on lo (kernel_links.h). The rate is the sim's bytes per second as bits
// per second; ceil equals rate so that a link never borrows from another. HTB's default class 0 sends
// unclassified packets straight through (its direct queue), so traffic outside the links is not shaped.
#include "simsock/scenario/kernel_links.h"

#include <cstdio>

#include "kernel_network.h"
#include "kernel_tools.h"

namespace simsock::scenario {
namespace {

// Classes 1:10, 1:11 ... (tc reads the minor number in hex).
std::string linkClassId(std::size_t i) {
    char buf[24];  // "1:" and up to 16 hex digits
    std::snprintf(buf, sizeof buf, "1:%zx", i + 0x10);
    return buf;
}

// The u32 filter sending packets from `from` to `to` into the class; IPv6 filters take their own
// priority (tc keeps one protocol per priority).
std::vector<std::string> linkFilter(const std::string& from, const std::string& to, const std::string& classId) {
    const bool v6 = from.find(':') != std::string::npos;
    return {"tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", v6 ? "ipv6" : "ip", "prio", v6 ? "2" : "1",
            "u32", "match", v6 ? "ip6" : "ip", "src", from + (v6 ? "/128" : "/32"),
            "match", v6 ? "ip6" : "ip", "dst", to + (v6 ? "/128" : "/32"), "flowid", classId};
}

}  // namespace

std::vector<std::vector<std::string>> linkShapingCommands(std::span<const ShapedLink> links) {
    std::vector<std::vector<std::string>> out;
    if (links.empty()) return out;
    out.push_back({"tc", "qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "0"});
    for (std::size_t i = 0; i < links.size(); ++i) {
        const std::string classId = linkClassId(i);
        const std::string rate = std::to_string(links[i].bytesPerSec * 8) + "bit";
        out.push_back({"tc", "class", "add", "dev", "lo", "parent", "1:", "classid", classId, "htb", "rate", rate, "ceil", rate});
        out.push_back(linkFilter(links[i].a, links[i].b, classId));
        out.push_back(linkFilter(links[i].b, links[i].a, classId));
    }
    return out;
}

// Latency and jitter need netem, which this kernel lacks; bandwidth is HTB (below), mtu and
// mtuLimitsDatagrams lo's MTU and path-MTU discovery (kernel_datagrams.cpp); the other fields have no
// realisation yet. A field the file sets is refused even at zero (the file asked for the sim's model of
// it), except a zero bandwidth, which is the sim's "unlimited".
std::string linkRefusal(const LinkSpec& l) {
    if (l.latencyNs || l.jitterNs) return "link latency / jitter need the sim engine (no netem on this kernel)";
    const char* field = l.lossPpm ? "loss" : l.duplicatePpm ? "duplication" : l.reorderPpm ? "reordering"
                        : l.reorderDelayNs ? "reorderDelay" : l.maxDatagram ? "maxDatagram"
                        : l.tcpRetransmitNs ? "tcpRetransmit" : nullptr;
    if (field) return std::string("link ") + field + " needs the sim engine (not realised on the kernel yet)";
    if (l.bandwidthBytesPerSec.value_or(0) > kMaxShapedBytesPerSec)
        return "link bandwidth above " + std::to_string(kMaxShapedBytesPerSec) + " bytes/s cannot be shaped";
    return {};
}

namespace detail {

// The links are few (a scenario's own), each three tc calls; the classes' minor numbers stay below 0xffff.
std::string shapeLinks(const Scenario& s, const LoopbackMap& map) {
    constexpr std::size_t kMaxShapedLinks = 1000;
    std::vector<ShapedLink> links;
    for (const auto& l : s.network.links) {
        if (l.bandwidthBytesPerSec.value_or(0) <= 0) continue;
        ShapedLink shaped{map.hostAddress(l.a).toString(), map.hostAddress(l.b).toString(), *l.bandwidthBytesPerSec};
        if ((shaped.a.find(':') == std::string::npos) != (shaped.b.find(':') == std::string::npos))
            return "link " + l.a + " - " + l.b + ": an IPv4 and an IPv6 host cannot share a shaped link";
        links.push_back(shaped);
    }
    if (links.size() > kMaxShapedLinks) return "more than " + std::to_string(kMaxShapedLinks) + " links with a bandwidth";
    for (const auto& argv : linkShapingCommands(links))
        if (std::string err = runTool(argv); !err.empty()) return "shaping the links: " + err;
    return {};
}

}  // namespace detail
}  // namespace simsock::scenario
