// Writing a scenario model as a file. Each entity is one line (as in the hand-written files), so a saved
// counterexample reads like the library's scenarios and diffs line by line.
#include "simsock/scenario/writer.h"

#include "simsock/scenario/duration.h"
#include "simsock/scenario/proxy_words.h"
#include "simsock/scenario/trace_diff.h"

namespace simsock::scenario {
namespace {

std::string quote(const std::string& s) {
    std::string out;
    appendJsonString(out, s);
    return out;
}

std::string duration(std::int64_t ns) { return quote(formatDuration(ns)); }

// The loader rounds p * 1e6 to whole ppm, so six decimals give back exactly the ppm that was stored.
std::string probability(std::uint32_t ppm) {
    if (ppm >= 1'000'000) return "1";
    std::string frac = std::to_string(ppm);
    frac.insert(0, 6 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? "0" : "0." + frac;
}

/// One JSON object on one line, members in insertion order.
class Line {
public:
    Line& raw(const std::string& key, const std::string& value) {
        text_ += (text_.empty() ? "" : ", ") + quote(key) + ": " + value;
        return *this;
    }
    Line& str(const std::string& key, const std::string& value) { return raw(key, quote(value)); }
    Line& num(const std::string& key, std::int64_t value) { return raw(key, std::to_string(value)); }
    std::string done() const { return "{" + text_ + "}"; }

private:
    std::string text_;
};

/// `[a, b]` with each element on its own indented line (or `[]`).
std::string block(const std::vector<std::string>& items, const std::string& indent) {
    if (items.empty()) return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += indent + "  " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    return out + indent + "]";
}

std::string stringArray(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote(items[i]);
    return out + "]";
}

std::string link(const LinkSpec& l) {
    Line o;
    o.raw("between", stringArray({l.a, l.b}));
    if (l.latencyNs) o.raw("latency", duration(*l.latencyNs));
    if (l.jitterNs) o.raw("jitter", duration(*l.jitterNs));
    if (l.bandwidthBytesPerSec) o.num("bandwidth", *l.bandwidthBytesPerSec);
    if (l.lossPpm) o.raw("loss", probability(*l.lossPpm));
    if (l.duplicatePpm) o.raw("duplication", probability(*l.duplicatePpm));
    if (l.reorderPpm) o.raw("reordering", probability(*l.reorderPpm));
    if (l.reorderDelayNs) o.raw("reorderDelay", duration(*l.reorderDelayNs));
    if (l.tcpRetransmitNs) o.raw("tcpRetransmit", duration(*l.tcpRetransmitNs));
    if (l.mtu) o.num("mtu", *l.mtu);
    if (l.mtuLimitsDatagrams) o.raw("mtuLimitsDatagrams", *l.mtuLimitsDatagrams ? "true" : "false");
    if (l.maxDatagram) o.num("maxDatagram", *l.maxDatagram);
    return o.done();
}

std::string network(const NetworkSpec& n) {
    std::vector<std::string> hosts, dns, links;
    for (const auto& h : n.hosts) {
        Line o;
        o.str("name", h.name).raw("addresses", stringArray(h.addresses));
        if (h.privileged) o.raw("privileged", "true");
        hosts.push_back(o.done());
    }
    for (const auto& d : n.dns) {
        Line o;
        o.str("name", d.name);
        if (!d.addresses.empty()) o.raw("addresses", stringArray(d.addresses));
        if (d.delayNs) o.raw("delay", duration(*d.delayNs));
        if (d.failure) o.str("failure", sim::toString(*d.failure));
        dns.push_back(o.done());
    }
    for (const auto& l : n.links) links.push_back(link(l));
    std::string out = "{\n    \"hosts\": " + block(hosts, "    ");
    if (n.dnsDelayNs) out += ",\n    \"dnsDelay\": " + duration(*n.dnsDelayNs);
    if (!dns.empty()) out += ",\n    \"dns\": " + block(dns, "    ");
    if (!links.empty()) out += ",\n    \"links\": " + block(links, "    ");
    return out + "\n  }";
}

std::string options(const std::vector<std::pair<std::string, int>>& list) {
    Line opts;
    for (const auto& [name, value] : list) opts.num(name, value);
    return opts.done();
}

std::string proxy(const ProxySpec& spec) {
    Line p;
    p.str("type", std::string(toString(spec.type)));
    if (!spec.host.empty()) p.str("host", spec.host).num("port", spec.port);
    if (!spec.user.empty()) p.str("user", spec.user);
    if (!spec.password.empty()) p.str("password", spec.password);
    if (spec.capabilities) {
        std::vector<std::string> words;
        for (auto w : spellProxyCapabilities(*spec.capabilities)) words.emplace_back(w);
        p.raw("capabilities", stringArray(words));
    }
    return p.done();
}

// A proxy peer's fields beyond name, kind, host, port and address; defaults are left out.
void proxyPeerFields(Line& o, const PeerSpec& p) {
    const peer::ProxySettings& s = p.proxy;
    const peer::ProxySettings defaults;
    if (!s.user.empty() || !s.password.empty()) {
        Line a;
        if (!s.user.empty()) a.str("user", s.user);
        if (!s.password.empty()) a.str("password", s.password);
        if (p.kind == PeerSpec::Kind::HttpProxy) {
            if (s.realm != defaults.realm) a.str("realm", s.realm);
            if (!s.closeOn407) a.str("on407", "keep-alive");
            if (s.wrongCredentialsStatus != defaults.wrongCredentialsStatus) a.num("wrongCredentials", s.wrongCredentialsStatus);
        }
        o.raw("auth", a.done());
    }
    if (s.boundAddress != defaults.boundAddress || s.boundPort != 0)
        o.raw("bound", Line().str("address", s.boundAddress).num("port", s.boundPort).done());
    if (s.fault != peer::ProxyFault::None) {
        Line f;
        f.str("kind", std::string(peer::proxyFaultInfo(s.fault).name));
        if (peer::proxyFaultInfo(s.fault).needsCode) f.num("code", s.code);
        o.raw("fault", f.done());
    }
    if (s.splitDelayNs > 0) o.raw("split", duration(s.splitDelayNs));
    if (!p.realServer) o.raw("realServer", "false");
}

std::string step(const PeerStep& s) {
    using K = PeerStep::Kind;
    Line o;
    switch (s.kind) {
    case K::Accept: o.raw("accept", "true"); break;
    case K::Connect: o.raw("connect", "true"); break;
    case K::Send: o.str("send", s.data); break;
    case K::Echo: s.count ? o.num("echo", s.count) : o.raw("echo", "true"); break;
    case K::Read: o.num("read", s.count); break;
    case K::Close: o.raw("close", "true"); break;
    case K::Reset: o.raw("reset", "true"); break;
    case K::Silent: o.raw("silent", "true"); break;
    case K::Delay: o.raw("delay", duration(s.delayNs)); break;
    case K::HandOver: o.raw("handOver", "true"); break;
    }
    return o.done();
}

std::string peer(const PeerSpec& p) {
    static const char* const kKinds[] = {"tcp-server", "tcp-client", "udp", "socks5-proxy", "http-proxy"};
    Line o;
    o.str("name", p.name).str("kind", kKinds[static_cast<int>(p.kind)]).str("host", p.host);
    if (p.kind != PeerSpec::Kind::TcpClient) o.num("port", p.port);
    if (!p.address.empty()) o.str("address", p.address);
    if (p.isProxy()) {
        proxyPeerFields(o, p);
        return o.done();
    }
    if (!p.options.empty()) o.raw("options", options(p.options));
    if (!p.connectHost.empty())
        o.raw("connect", Line().str("host", p.connectHost).num("port", p.connectPort).done());
    std::string script = "[";
    for (std::size_t i = 0; i < p.script.size(); ++i) script += (i ? ", " : "") + step(p.script[i]);
    return o.raw("script", script + "]").done();
}

// The kind's fields in table order; a port is written whenever the kind takes one (0 means every port).
void faultValues(Line& o, const sim::FaultKindInfo& row, const sim::FaultValues& v) {
    using F = sim::FaultField;
    for (int i = 0; i < sim::kFaultFieldCount; ++i) {
        const auto field = static_cast<F>(i);
        if (!row.takes.has(field)) continue;
        const char* key = sim::toString(field);
        switch (field) {
        case F::Host: if (!v.host.empty()) o.str(key, v.host); break;
        case F::OtherHost: if (!v.otherHost.empty()) o.str(key, v.otherHost); break;
        case F::Port: o.num(key, v.port); break;
        case F::Name: if (!v.name.empty()) o.str(key, v.name); break;
        case F::Failure: if (v.failure) o.str(key, sim::toString(*v.failure)); break;
        case F::Delay: if (v.delayNs) o.raw(key, duration(*v.delayNs)); break;
        case F::Limit: if (v.limit) o.num(key, *v.limit); break;
        }
    }
}

std::string fault(const FaultEntry& f) {
    Line o;
    o.str("kind", sim::toString(f.kind));
    faultValues(o, sim::faultKindInfo(f.kind), f.values);
    if (f.atNs) {
        o.raw("at", duration(*f.atNs));
    } else {
        Line on;
        on.str("event", sim::toString(f.onEvent));
        if (f.onEvent == sim::FaultTrigger::Kind::AfterBytes) on.num("bytes", f.onBytes);
        if (f.times != 1) on.num("times", f.times);
        o.raw("on", on.done());
    }
    if (f.durationNs) o.raw("duration", duration(*f.durationNs));
    if (!f.label.empty()) o.str("label", f.label);
    return o.done();
}

std::string socket(const SocketSpec& s) {
    Line o;
    o.str("name", s.name).str("type", s.type);
    if (!s.host.empty()) o.str("host", s.host);
    if (!s.options.empty()) o.raw("options", options(s.options));
    if (s.readBufferSize) o.num("readBufferSize", *s.readBufferSize);
    if (s.connectTimeoutNs) o.raw("connectTimeout", duration(*s.connectTimeoutNs));
    if (s.proxy) o.raw("proxy", proxy(*s.proxy));
    if (s.onProxyAuth) {
        Line a;
        if (!s.onProxyAuth->user.empty()) a.str("user", s.onProxyAuth->user);
        if (!s.onProxyAuth->password.empty()) a.str("password", s.onProxyAuth->password);
        o.raw("onProxyAuth", a.done());
    }
    if (!s.acceptedBy.empty()) o.str("acceptedBy", s.acceptedBy);
    return o.done();
}

std::string server(const ServerSpec& s) {
    Line o;
    o.str("name", s.name);
    if (!s.host.empty()) o.str("host", s.host);
    return o.done();
}

// The loader expands `size` into the a..z pattern; writing it back as `size` keeps large payloads short.
bool isPattern(const std::string& data) {
    for (std::size_t i = 0; i < data.size(); ++i)
        if (data[i] != static_cast<char>('a' + i % 26)) return false;
    return data.size() > 26;
}

void payload(Line& o, const ActionSpec& a) {
    if (isPattern(a.data)) {
        o.num("size", static_cast<std::int64_t>(a.data.size()));
    } else {
        o.str("data", a.data);
    }
}

// The call's arguments in table order: the required ones always, the optional ones when given.
void callArgs(Line& o, const ActionSpec& a) {
    const CallInfo& ci = callInfo(a.call);
    for (CallArg arg : callArgOrder()) {
        if (!ci.takes.has(arg) || !(ci.needs.has(arg) || isGiven(arg, a))) continue;
        const std::string key(callArgKeys(arg).front());
        switch (arg) {
        case CallArg::Payload: payload(o, a); break;
        case CallArg::HostName:
        case CallArg::LocalAddress:
        case CallArg::RemoteAddress: o.str(key, a.host); break;
        case CallArg::Port:
            if (a.portOf.empty()) o.num(key, a.port);
            else o.raw(key, Line().str("portOf", a.portOf).done());
            break;
        case CallArg::MaxSize:
        case CallArg::BufferSize: o.num(key, a.size); break;
        case CallArg::Option: o.str(key, std::string(toString(a.option))); break;
        case CallArg::Value: o.num(key, a.value); break;
        case CallArg::Timeout: o.raw(key, duration(std::int64_t{a.timeoutMs} * 1'000'000)); break;
        case CallArg::Byte:
        case CallArg::Tag: o.str(key, a.data); break;
        case CallArg::Pause: o.str(key, std::string(toString(a.pauseMode))); break;
        case CallArg::ProxyArg: o.raw(key, proxy(a.proxy)); break;
        case CallArg::Descriptor:
            if (a.descriptorFrom.empty()) o.num(key, a.descriptor);
            else o.raw(key, Line().str("takeFrom", a.descriptorFrom).done());
            break;
        case CallArg::StateArg: o.str(key, std::string(toString(*a.state))); break;
        case CallArg::OpenModeArg: o.str(key, std::string(toString(*a.openMode))); break;
        case CallArg::As: o.str(key, a.as); break;
        }
    }
}

std::string action(const ActionSpec& a) {
    Line o;
    if (a.atNs) {
        o.raw("at", duration(*a.atNs));
    } else if (a.on) {
        Line on;
        on.str(a.on->server ? "server" : "socket", a.on->socket)
            .str("signal", a.on->args.empty() ? a.on->signal : a.on->signal + "(" + a.on->args + ")");
        if (a.on->nth != 1) on.num("nth", a.on->nth);
        // A trigger with `until` fires on every emission unless the file said otherwise.
        if (a.on->times != (a.untilReadBytes ? -1 : 1)) on.num("times", a.on->times);
        o.raw("on", on.done());
    }
    o.str(a.server ? "server" : "socket", a.socket).str("call", toString(a.call));
    callArgs(o, a);
    if (a.repeat != 1) o.num("repeat", a.repeat);
    if (a.untilReadBytes) o.raw("until", Line().num("readBytes", *a.untilReadBytes).done());
    if (!a.id.empty()) o.str("id", a.id);
    return o.done();
}

std::string returnValue(const ReturnValue& v) {
    if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
    if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
    if (const std::string* s = std::get_if<std::string>(&v)) return quote(*s);
    if (const Word* w = std::get_if<Word>(&v)) return quote(w->text);
    return "null";
}

std::string socketExpect(const SocketExpect& e) {
    Line o;
    if (e.state) o.str("state", *e.state);
    if (e.error) o.str("error", *e.error);
    if (e.bytesAvailable) o.num("bytesAvailable", *e.bytesAvailable);
    if (e.bytesToWrite) o.num("bytesToWrite", *e.bytesToWrite);
    if (e.readBytes) o.num("readBytes", *e.readBytes);
    if (e.read) o.str("read", *e.read);
    if (e.isOpen) o.raw("isOpen", *e.isOpen ? "true" : "false");
    return o.done();
}

std::string peerExpect(const PeerExpect& e) {
    Line o;
    if (e.received) o.str("received", *e.received);
    if (e.receivedBytes) o.num("receivedBytes", *e.receivedBytes);
    if (e.accepted) o.num("accepted", *e.accepted);
    return o.done();
}

std::string traceLines(const std::vector<TraceLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(quote(renderLine(l)));
    return block(out, "    ");
}

std::string expect(const Expectations& e) {
    std::vector<std::string> parts;
    if (e.trace) parts.push_back("\"trace\": " + traceLines(*e.trace));
    if (e.subsequence) parts.push_back("\"subsequence\": " + traceLines(*e.subsequence));
    Line sockets, peers, returns;
    for (const auto& [name, se] : e.sockets) sockets.raw(name, socketExpect(se));
    for (const auto& [name, pe] : e.peers) peers.raw(name, peerExpect(pe));
    for (const auto& [id, v] : e.returns) returns.raw(id, returnValue(v));
    if (!e.sockets.empty()) parts.push_back("\"sockets\": " + sockets.done());
    if (!e.peers.empty()) parts.push_back("\"peers\": " + peers.done());
    if (!e.returns.empty()) parts.push_back("\"returns\": " + returns.done());
    std::string out = "{";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ",\n    " : "\n    ") + parts[i];
    return out + (parts.empty() ? "}" : "\n  }");
}

template <typename T, typename F>
std::vector<std::string> each(const std::vector<T>& items, F render) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(render(i));
    return out;
}

}  // namespace

std::string writeScenario(const Scenario& s) {
    std::string out = "{\n  \"format\": 1,\n";
    if (!s.description.empty()) out += "  \"description\": " + quote(s.description) + ",\n";
    out += "  \"seed\": " + std::to_string(s.seed) + ",\n";
    if (s.dispatch != DispatchOrder::Glib) out += "  \"dispatch\": " + quote(std::string(toString(s.dispatch))) + ",\n";
    out += "  \"engines\": " + stringArray(s.engines) + ",\n";
    out += "  \"network\": " + network(s.network) + ",\n";
    if (!s.peers.empty()) out += "  \"peers\": " + block(each(s.peers, peer), "  ") + ",\n";
    if (!s.faults.empty()) out += "  \"faults\": " + block(each(s.faults, fault), "  ") + ",\n";
    if (!s.sockets.empty()) out += "  \"sockets\": " + block(each(s.sockets, socket), "  ") + ",\n";
    if (!s.servers.empty()) out += "  \"servers\": " + block(each(s.servers, server), "  ") + ",\n";
    if (!s.actions.empty()) out += "  \"actions\": " + block(each(s.actions, action), "  ") + ",\n";
    if (s.applicationProxy) out += "  \"applicationProxy\": " + proxy(*s.applicationProxy) + ",\n";
    out += "  \"runFor\": " + duration(s.runForNs);
    if (s.hasExpect) out += ",\n  \"expect\": " + expect(s.expect);
    if (s.expectFailure) out += ",\n  \"expectFailure\": " + quote(*s.expectFailure);
    return out + "\n}\n";
}

}  // namespace simsock::scenario
