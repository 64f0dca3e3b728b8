// Proxy settings of sockets (`proxy`, `onProxyAuth`), the application proxy, and the proxy peers'
// fields (`socks5-proxy`, `http-proxy`: auth, bound, fault, split, realServer).
#include "loader_internal.h"
#include "simsock/host_address.h"
#include "simsock/scenario/proxy_words.h"

namespace simsock::scenario::detail {
namespace {

std::vector<std::string_view> proxyTypeWords() {
    std::vector<std::string_view> out;
    for (auto t : allValues<NetworkProxy::ProxyType>()) out.push_back(toString(t));
    return out;
}

std::vector<std::string_view> capabilityWords() {
    std::vector<std::string_view> out;
    for (const auto& w : proxyCapabilityWords()) out.push_back(w.name);
    return out;
}

std::vector<std::string_view> faultWords(bool socks5) {
    std::vector<std::string_view> out;
    for (const auto& row : peer::proxyFaults())
        if (row.fault != peer::ProxyFault::None && (socks5 ? row.socks5 : row.http)) out.push_back(row.name);
    return out;
}

void loadProxyAuth(const Node& a, PeerSpec& peer) {
    const bool http = peer.kind == PeerSpec::Kind::HttpProxy;
    a.expectObject({"user", "password", "realm", "on407", "wrongCredentials"});
    if (auto u = a.get("user")) peer.proxy.user = u->str();
    if (auto p = a.get("password")) peer.proxy.password = p->str();
    if (peer.proxy.user.empty() && peer.proxy.password.empty())
        a.fail("give a user or a password (an empty pair asks for no authentication)");
    for (std::string_view key : {"realm", "on407", "wrongCredentials"})
        if (!http && a.has(key)) a.failAtKey(key, "\"" + std::string(key) + "\" is for http-proxy peers");
    if (auto r = a.get("realm")) peer.proxy.realm = r->str();
    if (auto c = a.get("on407")) peer.proxy.closeOn407 = c->oneOf({"keep-alive", "close"}) == "close";
    if (auto w = a.get("wrongCredentials")) {
        peer.proxy.wrongCredentialsStatus = static_cast<int>(w->integer(401, 407));
        if (peer.proxy.wrongCredentialsStatus != 401 && peer.proxy.wrongCredentialsStatus != 407)
            w->fail("write 401 (as tinyproxy) or 407 (ask again)");
    }
}

void loadProxyFault(const Node& f, PeerSpec& peer) {
    const bool socks5 = peer.kind == PeerSpec::Kind::Socks5Proxy;
    f.expectObject({"kind", "code"});
    peer.proxy.fault = *peer::parseProxyFault(f.at("kind").oneOf(faultWords(socks5)));
    const peer::ProxyFaultInfo& row = peer::proxyFaultInfo(peer.proxy.fault);
    if (!row.needsCode) {
        if (f.has("code")) f.failAtKey("code", "fault \"" + std::string(row.name) + "\" takes no code");
        return;
    }
    Node code = f.at("code");
    peer.proxy.code = static_cast<int>(socks5 ? code.integer(1, 255) : code.integer(100, 599));
    if (!socks5 && peer.proxy.code == 200) code.fail("200 is success: leave the fault out");
}

void loadProxyBound(const Node& b, PeerSpec& peer) {
    if (peer.kind != PeerSpec::Kind::Socks5Proxy) b.fail("\"bound\" (BND.ADDR, BND.PORT) is for socks5-proxy peers");
    b.expectObject({"address", "port"});
    if (auto a = b.get("address")) {
        peer.proxy.boundAddress = a->name();
        auto parsed = HostAddress::parse(peer.proxy.boundAddress);
        if (!parsed || parsed->protocol() != NetworkLayerProtocol::IPv4Protocol) a->fail("expected an IPv4 address");
    }
    if (auto p = b.get("port")) peer.proxy.boundPort = p->port();
}

}  // namespace

ProxySpec loadProxy(const Node& node) {
    node.expectObject({"type", "host", "port", "user", "password", "capabilities"});
    ProxySpec p;
    p.type = *parseProxyType(node.at("type").oneOf(proxyTypeWords()));
    if (auto h = node.get("host")) p.host = h->name();
    if (auto port = node.get("port")) p.port = port->port();
    if (auto u = node.get("user")) p.user = u->str();
    if (auto pw = node.get("password")) p.password = pw->str();
    if (auto caps = node.get("capabilities")) {
        unsigned bits = 0;
        for (const auto& c : caps->elements()) bits |= *parseProxyCapability(c.oneOf(capabilityWords()));
        p.capabilities = bits;
    }
    return p;
}

ProxyAuthAnswer loadProxyAuthAnswer(const Node& node) {
    node.expectObject({"user", "password"});
    ProxyAuthAnswer a;
    if (auto u = node.get("user")) a.user = u->str();
    if (auto p = node.get("password")) a.password = p->str();
    if (a.user.empty() && a.password.empty()) node.fail("give a user or a password (leave onProxyAuth out to answer nothing)");
    return a;
}

void loadProxyPeerFields(const Node& p, PeerSpec& peer) {
    p.expectObject({"name", "kind", "host", "port", "address", "auth", "bound", "fault", "split", "realServer"});
    peer.proxy.type = peer.kind == PeerSpec::Kind::HttpProxy ? peer::ProxyKind::Http : peer::ProxyKind::Socks5;
    peer.proxy.port = peer.port;
    if (auto a = p.get("auth")) loadProxyAuth(*a, peer);
    if (auto b = p.get("bound")) loadProxyBound(*b, peer);
    if (auto f = p.get("fault")) loadProxyFault(*f, peer);
    if (auto s = p.get("split")) {
        peer.proxy.splitDelayNs = s->duration();
        if (peer.proxy.splitDelayNs == 0) s->fail("a split needs a delay above 0");
    }
    if (auto r = p.get("realServer")) peer.realServer = r->boolean();
}

}  // namespace simsock::scenario::detail
