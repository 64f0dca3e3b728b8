// The `sockets`, `peers` and `faults` sections.
#include "loader_internal.h"
#include "simsock/host_address.h"
#include "simsock/socket_types.h"

namespace simsock::scenario::detail {
namespace {

void loadOptions(const Node& node, std::vector<std::pair<std::string, int>>& options) {
    for (const auto& [key, value] : node.members()) {
        if (!parseSocketOption(key))
            node.failAtKey(key, "unknown socket option \"" + key + "\" (use Qt's spelling, e.g. LowDelayOption)");
        options.emplace_back(key, static_cast<int>(value.integer(INT32_MIN, INT32_MAX)));
    }
}

void requireUniqueName(const Node& node, const Declared& d, const std::string& name) {
    if (d.sockets.count(name) > 0) node.fail("the name \"" + name + "\" is already used by a socket");
    if (d.peers.count(name) > 0) node.fail("the name \"" + name + "\" is already used by a peer");
    if (d.servers.count(name) > 0) node.fail("the name \"" + name + "\" is already used by a server");
}

PeerStep loadStep(const Node& node) {
    node.expectObject({"accept", "connect", "send", "echo", "read", "close", "reset", "silent", "delay", "handOver"});
    if (node.value().keys.size() != 1) node.fail("a step has exactly one key: the step's kind");
    const std::string& key = node.value().keys[0].first;
    Node arg = node.at(key);
    PeerStep step;
    step.pos = node.pos();
    using K = PeerStep::Kind;
    if (key == "send") {
        step.kind = K::Send;
        step.data = arg.str();
    } else if (key == "read") {
        step.kind = K::Read;
        step.count = arg.integer(1, 1LL << 40);
    } else if (key == "echo") {
        step.kind = K::Echo;
        if (arg.value().isBool()) {
            if (!arg.boolean()) arg.fail("write true (echo everything) or a byte count");
        } else {
            step.count = arg.integer(1, 1LL << 40);
        }
    } else if (key == "delay") {
        step.kind = K::Delay;
        step.delayNs = arg.duration();
    } else {
        if (!arg.boolean()) arg.fail("write true (the step takes no argument)");
        step.kind = key == "accept" ? K::Accept : key == "connect" ? K::Connect : key == "close" ? K::Close
                  : key == "reset" ? K::Reset : key == "handOver" ? K::HandOver : K::Silent;
    }
    return step;
}

void checkScript(const Node& scriptNode, const PeerSpec& peer) {
    auto steps = scriptNode.elements();
    for (std::size_t i = 0; i < peer.script.size(); ++i) {
        auto k = peer.script[i].kind;
        bool tcpOnly = k == PeerStep::Kind::Accept || k == PeerStep::Kind::Connect || k == PeerStep::Kind::Reset ||
                       k == PeerStep::Kind::Close || k == PeerStep::Kind::HandOver;
        if (peer.kind == PeerSpec::Kind::Udp && tcpOnly) steps[i].fail("a UDP peer cannot accept, connect, close or reset");
        if ((k == PeerStep::Kind::Accept || k == PeerStep::Kind::HandOver) && peer.kind != PeerSpec::Kind::TcpServer)
            steps[i].fail("only a tcp-server peer accepts");
        if (k == PeerStep::Kind::Connect && peer.kind != PeerSpec::Kind::TcpClient)
            steps[i].fail("only a tcp-client peer connects");
    }
}

// A peer binds one address of its own host (a literal: "::1", "127.0.0.1" or one of the host's addresses).
void loadPeerAddress(const Node& n, const Scenario& s, const Declared& d, PeerSpec& peer) {
    peer.address = n.name();
    auto a = HostAddress::parse(peer.address);
    if (!a) n.fail("\"" + peer.address + "\" is not an IP address");
    if (a->isLoopback() || a->isAny()) return;
    for (const auto& own : s.network.hosts[d.hosts.find(peer.host)->second].addresses)
        if (HostAddress(own) == *a) return;
    n.fail("host \"" + peer.host + "\" does not own " + peer.address);
}

PeerSpec loadPeer(const Node& p, const Scenario& s, const Declared& d) {
    PeerSpec peer;
    peer.pos = p.pos();
    std::string kind = p.at("kind").oneOf({"tcp-server", "tcp-client", "udp", "socks5-proxy", "http-proxy"});
    peer.kind = kind == "tcp-server"   ? PeerSpec::Kind::TcpServer
              : kind == "udp"          ? PeerSpec::Kind::Udp
              : kind == "socks5-proxy" ? PeerSpec::Kind::Socks5Proxy
              : kind == "http-proxy"   ? PeerSpec::Kind::HttpProxy
                                       : PeerSpec::Kind::TcpClient;
    if (!peer.isProxy()) p.expectObject({"name", "kind", "host", "port", "address", "options", "connect", "script"});
    Node nameNode = p.at("name");
    peer.name = nameNode.name();
    requireUniqueName(nameNode, d, peer.name);
    Node host = p.at("host");
    peer.host = host.name();
    requireHost(host, d, peer.host);
    if (peer.isProxy()) {
        peer.port = p.at("port").port();
        if (auto a = p.get("address")) loadPeerAddress(*a, s, d, peer);
        loadProxyPeerFields(p, peer);
        return peer;
    }
    if (auto c = p.get("connect")) {
        // A tcp-client connects there; a udp peer sends there until a datagram tells it otherwise.
        if (peer.kind == PeerSpec::Kind::TcpServer) p.failAtKey("connect", "a tcp-server peer does not connect");
        c->expectObject({"host", "port"});
        peer.connectHost = c->at("host").name();
        if (!HostAddress::parse(peer.connectHost)) requireHost(c->at("host"), d, peer.connectHost);
        peer.connectPort = c->at("port").port();
    } else if (peer.kind == PeerSpec::Kind::TcpClient) {
        (void)p.at("connect");
    }
    if (peer.kind == PeerSpec::Kind::TcpClient) {
        if (p.has("port")) p.failAtKey("port", "a tcp-client peer has no port of its own");
        if (p.has("address")) p.failAtKey("address", "a tcp-client peer binds nothing");
    } else {
        peer.port = p.at("port").port();
        if (auto a = p.get("address")) loadPeerAddress(*a, s, d, peer);
    }
    if (auto o = p.get("options")) loadOptions(*o, peer.options);
    if (auto script = p.get("script")) {
        for (const auto& st : script->elements()) peer.script.push_back(loadStep(st));
        checkScript(*script, peer);
    }
    return peer;
}

}  // namespace

void loadServers(const Node& node, Scenario& s, Declared& d) {
    for (const auto& n : node.elements()) {
        n.expectObject({"name", "host"});
        ServerSpec spec;
        spec.pos = n.pos();
        Node nameNode = n.at("name");
        spec.name = nameNode.name();
        requireUniqueName(nameNode, d, spec.name);
        if (auto h = n.get("host")) {
            spec.host = h->name();
            requireHost(*h, d, spec.host);
        } else {
            spec.host = s.network.hosts.front().name;
        }
        d.servers.emplace(spec.name, s.servers.size());
        s.servers.push_back(std::move(spec));
    }
}

void loadSockets(const Node& node, Scenario& s, Declared& d) {
    for (const auto& n : node.elements()) {
        n.expectObject({"name", "type", "host", "options", "readBufferSize", "connectTimeout", "proxy", "onProxyAuth",
                        "acceptedBy"});
        SocketSpec spec;
        spec.pos = n.pos();
        Node nameNode = n.at("name");
        spec.name = nameNode.name();
        requireUniqueName(nameNode, d, spec.name);
        spec.type = n.at("type").oneOf({"tcp", "udp"});
        if (auto h = n.get("host")) {
            spec.host = h->name();
            requireHost(*h, d, spec.host);
        } else {
            spec.host = s.network.hosts.front().name;
        }
        if (auto o = n.get("options")) loadOptions(*o, spec.options);
        if (auto r = n.get("readBufferSize")) spec.readBufferSize = r->integer(0, INT64_MAX);
        if (auto t = n.get("connectTimeout")) spec.connectTimeoutNs = t->duration();
        if (auto p = n.get("proxy")) spec.proxy = loadProxy(*p);
        if (auto a = n.get("onProxyAuth")) spec.onProxyAuth = loadProxyAuthAnswer(*a);
        if (auto a = n.get("acceptedBy")) {
            spec.acceptedBy = a->name();
            const ServerSpec& server = requireServer(*a, s, d, spec.acceptedBy);
            if (spec.type != "tcp") a->fail("a server accepts tcp connections; \"" + spec.name + "\" is " + spec.type);
            if (!n.has("host")) spec.host = server.host;
            if (spec.host != server.host)
                n.failAtKey("host", "an accepted connection lives on its server's host \"" + server.host + "\"");
        }
        d.sockets.emplace(spec.name, s.sockets.size());
        s.sockets.push_back(std::move(spec));
    }
}

void loadPeers(const Node& node, Scenario& s, Declared& d) {
    for (const auto& p : node.elements()) {
        s.peers.push_back(loadPeer(p, s, d));
        d.peers.emplace(s.peers.back().name, s.peers.size() - 1);
    }
}

}  // namespace simsock::scenario::detail
