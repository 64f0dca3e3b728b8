// Top level of the loader and the `network` section.
#include "loader_internal.h"

#include <map>

#include "simsock/engines.h"
#include "simsock/host_address.h"
#include "simsock/scenario/loader.h"
#include "simsock/scenario/source_file.h"

namespace simsock::scenario {
namespace detail {
namespace {

std::string checkedAddress(const Node& n) {
    std::string a = n.name();
    if (!HostAddress::parse(a)) n.fail("\"" + a + "\" is not an IPv4 or IPv6 address");
    return a;
}

std::vector<std::string> addressList(const Node& n) {
    std::vector<std::string> out;
    for (const auto& e : n.elements()) out.push_back(checkedAddress(e));
    return out;
}

// The sim gives an address to one host only (loopback aside) and never the wildcard, so a network that
// does otherwise cannot be built: it is rejected here, at the address. owners: address -> host so far.
void checkHostAddresses(const Node& addrs, const std::string& host, std::map<HostAddress, std::string>& owners) {
    for (const auto& n : addrs.elements()) {
        const HostAddress a(n.str());
        if (a.isAny()) n.fail("\"" + n.str() + "\" is a wildcard address, not one a host can own");
        if (a.isLoopback()) continue;
        auto [it, fresh] = owners.emplace(a, host);
        if (!fresh) n.fail("\"" + n.str() + "\" is already an address of host \"" + it->second + "\"");
    }
}

void loadHosts(const Node& node, Scenario& s, Declared& d) {
    std::map<HostAddress, std::string> owners;
    for (const auto& h : node.elements()) {
        h.expectObject({"name", "addresses", "privileged"});
        HostSpec spec;
        Node nameNode = h.at("name");
        spec.name = nameNode.name();
        if (!d.hosts.emplace(spec.name, s.network.hosts.size()).second)
            nameNode.fail("host \"" + spec.name + "\" is declared twice");
        Node addrs = h.at("addresses");
        spec.addresses = addressList(addrs);
        if (spec.addresses.empty()) addrs.fail("a host needs at least one address");
        checkHostAddresses(addrs, spec.name, owners);
        if (auto p = h.get("privileged")) spec.privileged = p->boolean();
        s.network.hosts.push_back(std::move(spec));
    }
}

void loadDns(const Node& node, Scenario& s) {
    for (const auto& d : node.elements()) {
        d.expectObject({"name", "addresses", "delay", "failure"});
        DnsSpec spec;
        spec.name = d.at("name").name();
        if (auto a = d.get("addresses")) spec.addresses = addressList(*a);
        if (auto dl = d.get("delay")) spec.delayNs = dl->duration();
        if (auto f = d.get("failure")) spec.failure = sim::parseDnsFailure(f->oneOf(dnsFailureSpellings()));
        if (spec.addresses.empty() && !spec.failure)
            d.fail("a DNS name needs \"addresses\" or a \"failure\"");
        s.network.dns.push_back(std::move(spec));
    }
}

std::uint32_t probabilityPpm(const Node& n) {
    double p = n.number(0.0, 1.0);
    return static_cast<std::uint32_t>(p * 1'000'000.0 + 0.5);
}

void loadLinkFields(const Node& l, LinkSpec& spec) {
    if (auto v = l.get("latency")) spec.latencyNs = v->duration();
    if (auto v = l.get("jitter")) spec.jitterNs = v->duration();
    if (auto v = l.get("bandwidth")) spec.bandwidthBytesPerSec = v->integer(0, INT64_MAX);
    if (auto v = l.get("loss")) spec.lossPpm = probabilityPpm(*v);
    if (auto v = l.get("duplication")) spec.duplicatePpm = probabilityPpm(*v);
    if (auto v = l.get("reordering")) spec.reorderPpm = probabilityPpm(*v);
    if (auto v = l.get("reorderDelay")) spec.reorderDelayNs = v->duration();
    if (auto v = l.get("tcpRetransmit")) spec.tcpRetransmitNs = v->duration();
    if (auto v = l.get("mtu")) spec.mtu = static_cast<int>(v->integer(68, 65536));
    if (auto v = l.get("mtuLimitsDatagrams")) spec.mtuLimitsDatagrams = v->boolean();
    if (auto v = l.get("maxDatagram")) spec.maxDatagram = v->integer(0, 65535);
}

void loadLinks(const Node& node, Scenario& s, const Declared& d) {
    for (const auto& l : node.elements()) {
        l.expectObject({"between", "latency", "jitter", "bandwidth", "loss", "duplication", "reordering",
                        "reorderDelay", "tcpRetransmit", "mtu", "mtuLimitsDatagrams", "maxDatagram"});
        Node between = l.at("between");
        auto ends = between.elements();
        if (ends.size() != 2) between.fail("expected exactly two host names");
        LinkSpec spec;
        spec.a = ends[0].name();
        spec.b = ends[1].name();
        requireHost(ends[0], d, spec.a);
        requireHost(ends[1], d, spec.b);
        if (spec.a == spec.b) ends[1].fail("a link joins two different hosts");
        loadLinkFields(l, spec);
        s.network.links.push_back(std::move(spec));
    }
}

void defaultHosts(Scenario& s, Declared& d) {
    // Documented default: a client and a server host, so small scenarios need no network section.
    s.network.hosts.push_back(HostSpec{"client", {"10.0.0.1"}, false});
    s.network.hosts.push_back(HostSpec{"server", {"10.0.0.2"}, true});
    d.hosts.insert({{"client", 0}, {"server", 1}});
}

}  // namespace

void loadNetwork(const Node& node, Scenario& s, Declared& d) {
    node.expectObject({"hosts", "dns", "links", "dnsDelay"});
    if (auto h = node.get("hosts")) {
        loadHosts(*h, s, d);
        if (s.network.hosts.empty()) h->fail("declare at least one host (or omit \"hosts\" for the defaults)");
    } else {
        defaultHosts(s, d);
    }
    if (auto delay = node.get("dnsDelay")) s.network.dnsDelayNs = delay->duration();
    if (auto dns = node.get("dns")) loadDns(*dns, s);
    if (auto l = node.get("links")) loadLinks(*l, s, d);
}

void requireHost(const Node& node, const Declared& d, const std::string& name) {
    if (d.hosts.count(name) == 0) node.fail("no host named \"" + name + "\"");
}

const SocketSpec& requireSocket(const Node& node, const Scenario& s, const Declared& d, const std::string& name) {
    auto it = d.sockets.find(name);
    if (it == d.sockets.end()) node.fail("no socket named \"" + name + "\"");
    return s.sockets[it->second];
}

const ServerSpec& requireServer(const Node& node, const Scenario& s, const Declared& d, const std::string& name) {
    auto it = d.servers.find(name);
    if (it == d.servers.end()) node.fail("no server named \"" + name + "\"");
    return s.servers[it->second];
}

namespace {

void loadHeader(const Node& root, Scenario& s) {
    Node fmt = root.at("format");
    if (fmt.integer(INT64_MIN, INT64_MAX) != 1) fmt.fail("unsupported format " + fmt.value().text + " (only 1)");
    if (auto d = root.get("description")) s.description = d->str();
    if (auto seed = root.get("seed")) s.seed = static_cast<std::uint64_t>(seed->integer(0, INT64_MAX));
    if (auto d = root.get("dispatch")) {
        std::vector<std::string_view> orders;
        for (DispatchOrder o : allValues<DispatchOrder>()) orders.push_back(toString(o));
        s.dispatch = *parseDispatchOrder(d->oneOf(orders));
    }
    Node engines = root.at("engines");
    const std::vector<std::string> registered = engineNames();
    const std::vector<std::string_view> choices(registered.begin(), registered.end());
    for (const auto& e : engines.elements()) {
        std::string name = e.oneOf(choices);
        for (const auto& prev : s.engines)
            if (prev == name) e.fail("engine \"" + name + "\" is listed twice");
        s.engines.push_back(name);
    }
    if (s.engines.empty()) engines.fail("list at least one engine");
    s.runForNs = root.at("runFor").duration();
    if (auto f = root.get("expectFailure")) s.expectFailure = f->name();
}

}  // namespace
}  // namespace detail

Scenario loadScenarioText(const std::string& file, std::string_view text) {
    JsonValue doc;
    JsonSyntaxError err;
    if (!parseJson(text, doc, err)) throw ScenarioError(file, err.pos, "$", err.message);
    detail::Node root(doc, "$", file);
    root.expectObject({"format", "description", "seed", "dispatch", "engines", "network", "peers", "faults",
                       "sockets", "servers", "actions", "programs", "applicationProxy", "runFor", "expect",
                       "expectFailure"});
    Scenario s;
    s.file = file;
    detail::Declared d;
    detail::loadHeader(root, s);
    if (auto n = root.get("network")) {
        detail::loadNetwork(*n, s, d);
    } else {
        JsonValue emptyObject;
        emptyObject.kind = JsonValue::Kind::Object;
        detail::loadNetwork(detail::Node(emptyObject, "$.network", file), s, d);
    }
    if (auto n = root.get("applicationProxy")) s.applicationProxy = detail::loadProxy(*n);
    if (auto n = root.get("servers")) detail::loadServers(*n, s, d);
    if (auto n = root.get("sockets")) detail::loadSockets(*n, s, d);
    if (auto n = root.get("peers")) detail::loadPeers(*n, s, d);
    if (auto n = root.get("faults")) detail::loadFaults(*n, s, d);
    if (auto n = root.get("programs")) detail::loadPrograms(*n, s, d);
    if (auto n = root.get("actions")) detail::loadActions(*n, s, d);
    if (auto n = root.get("expect")) detail::loadExpect(*n, s, d);
    return s;
}

Scenario loadScenarioFile(const std::string& file) { return loadScenarioText(file, readSourceFile(file)); }

}  // namespace simsock::scenario
