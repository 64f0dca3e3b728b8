#include "simsock/scenario/viewer_data.h"

#include <algorithm>
#include <map>

#include "simsock/scenario/readable_time.h"

namespace simsock::scenario {
namespace {

constexpr const char* kNetworkLane = "network";
// Longer digit runs (a fault's label may hold anything) stay as written: they would not fit an int64.
constexpr std::size_t kMaxNsDigits = 18;

// Replaces the nanosecond counts the sim writes into its texts ("arrives=11000000", "after 3000000000 ns",
// "delayNs=1500") by readable times, so no raw nanoseconds reach the page.
std::string readableNsText(const std::string& text) {
    static const std::pair<std::string_view, std::string_view> kForms[] = {
        {"arrives=", "arrives "}, {"delayNs=", "delay "}};
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        for (const auto& [prefix, spelled] : kForms) {
            if (text.compare(i, prefix.size(), prefix) != 0) continue;
            std::size_t j = i + prefix.size();
            while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
            if (j == i + prefix.size() || j - i - prefix.size() > kMaxNsDigits) continue;
            out += std::string(spelled) + readableDuration(std::stoll(text.substr(i + prefix.size(), j - i - prefix.size())));
            i = j;
            replaced = true;
        }
        if (replaced) continue;
        // "<digits> ns" as a word of its own
        if (text[i] >= '0' && text[i] <= '9' && (i == 0 || text[i - 1] == ' ')) {
            std::size_t j = i;
            while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
            if (j - i <= kMaxNsDigits && text.compare(j, 3, " ns") == 0 && (j + 3 == text.size() || text[j + 3] == ' ')) {
                out += readableDuration(std::stoll(text.substr(i, j - i)));
                i = j + 3;
                continue;
            }
            out += text.substr(i, j - i);
            i = j;
            continue;
        }
        out += text[i++];
    }
    return out;
}

// The first word of a network event's detail names where it happened: "server 10.0.0.2:8080 ...",
// "server:7007 armed ...", "dns ...".
std::string siteWord(const std::string& detail) {
    std::string word = detail.substr(0, detail.find(' '));
    return word.substr(0, word.find(':'));
}

std::string afterSite(const std::string& detail) {
    const std::size_t space = detail.find(' ');
    if (space == std::string::npos) return {};
    std::string rest = detail.substr(space + 1);
    // An endpoint site is two words: "server 10.0.0.2:8080".
    const std::size_t next = rest.find(' ');
    const std::string second = rest.substr(0, next);
    if (second.find(':') != std::string::npos && second.find_first_of("0123456789[") == 0)
        rest = next == std::string::npos ? "" : rest.substr(next + 1);
    return rest;
}

std::string sizeText(std::int64_t bytes) { return bytes ? " " + std::to_string(bytes) + " B" : ""; }

class RunBuilder {
public:
    RunBuilder(const Scenario& s, const Observation& obs) : s_(s), obs_(obs) {}

    ViewerRun build(const std::string& engine) {
        run_.engine = engine;
        addLanes();
        mergeEvents();
        addBands();
        run_.endNs = s_.runForNs;
        for (const auto& e : run_.events) run_.endNs = std::max(run_.endNs, e.timeNs);
        for (const auto& p : run_.packets) run_.endNs = std::max({run_.endNs, p.arrivalNs, p.lostNs});
        return std::move(run_);
    }

private:
    // Hosts in the scenario's order, then any other host a packet names; each with its sockets and peers.
    void addLanes() {
        std::vector<std::string> hosts;
        for (const auto& h : s_.network.hosts) hosts.push_back(h.name);
        auto note = [&hosts](const std::string& h) {
            if (!h.empty() && std::find(hosts.begin(), hosts.end(), h) == hosts.end()) hosts.push_back(h);
        };
        for (const auto& sock : s_.sockets) note(hostOfSocket(sock));
        for (const auto& server : s_.servers) note(hostOf(server.host));
        for (const auto& p : s_.peers) note(p.host);
        for (const auto& l : obs_.log)
            if (l.packet) {
                note(l.packet->fromHost);
                note(l.packet->toHost);
            }
        for (std::size_t h = 0; h < hosts.size(); ++h) {
            if (h != 0) addLane(hosts[h], Lane::Kind::Host, hosts[h]);
            for (const auto& sock : s_.sockets)
                if (hostOfSocket(sock) == hosts[h]) addLane(sock.name, Lane::Kind::Socket, hosts[h]);
            for (const auto& server : s_.servers)
                if (hostOf(server.host) == hosts[h]) addLane(server.name, Lane::Kind::Server, hosts[h]);
            for (const auto& p : s_.peers)
                if (p.host == hosts[h]) addLane(p.name, Lane::Kind::Peer, hosts[h]);
            if (h == 0) addLane(hosts[h], Lane::Kind::Host, hosts[h]);
        }
    }

    std::string hostOfSocket(const SocketSpec& sock) const { return hostOf(sock.host); }

    // An object's host; empty means the network's first host.
    std::string hostOf(const std::string& host) const {
        if (!host.empty()) return host;
        return s_.network.hosts.empty() ? std::string() : s_.network.hosts.front().name;
    }

    void addLane(const std::string& name, Lane::Kind kind, const std::string& host) {
        const std::size_t index = run_.lanes.size();
        run_.lanes.push_back(Lane{name, kind, host});
        (kind == Lane::Kind::Host ? hostLanes_ : memberLanes_).emplace(name, index);
    }

    std::size_t networkLane() {
        if (!networkLane_) {
            networkLane_ = run_.lanes.size();
            run_.lanes.push_back(Lane{kNetworkLane, Lane::Kind::Network, {}});
        }
        return *networkLane_;
    }

    std::size_t hostLane(const std::string& host) {
        auto it = hostLanes_.find(host);
        return it == hostLanes_.end() ? networkLane() : it->second;
    }

    std::size_t memberLane(const std::string& name) {
        auto it = memberLanes_.find(name);
        return it == memberLanes_.end() ? networkLane() : it->second;
    }

    void mergeEvents() {
        const auto& ev = obs_.trace.events();
        std::size_t i = 0, j = 0;
        while (i < ev.size() || j < obs_.log.size()) {
            const bool takeLog = j < obs_.log.size() && (i == ev.size() || obs_.log[j].timeNs <= ev[i].timeNs);
            if (takeLog) {
                addLogEvent(obs_.log[j++]);
            } else {
                addSignal(ev[i], static_cast<int>(i));
                ++i;
            }
        }
    }

    void addSignal(const TraceEvent& e, int index) {
        ViewerEvent v;
        v.timeNs = e.timeNs;
        v.lane = memberLane(e.object);
        v.traceIndex = index;
        if (e.isCall()) {
            v.kind = ViewerEvent::Kind::Call;
            v.name = e.call;
            v.label = e.str();
            v.text = e.object + ": " + e.str();
            run_.events.push_back(std::move(v));
            return;
        }
        v.kind = ViewerEvent::Kind::Signal;
        v.name = e.signal;
        v.label = e.signal + "(";
        for (std::size_t a = 0; a < e.args.size(); ++a) v.label += (a ? ", " : "") + e.args[a];
        v.label += ")";
        v.text = e.object + ": " + e.str() + " in " + e.state;
        v.state = e.state;
        v.call = e.call;
        run_.events.push_back(std::move(v));
    }

    void addLogEvent(const LogEvent& l) {
        ViewerEvent v;
        v.timeNs = l.timeNs;
        v.name = l.what;
        const std::string target = l.target.empty() ? "" : " -> " + l.target;
        if (l.actor != kNetworkLane) {
            v.kind = ViewerEvent::Kind::Peer;
            v.lane = memberLane(l.actor);
            v.label = l.what + sizeText(l.bytes) + (l.target.empty() ? "" : " \u2192 " + l.target);
            v.text = l.actor + " " + l.what + sizeText(l.bytes) + target + (l.detail.empty() ? "" : ": " + l.detail);
        } else {
            v.kind = l.what == "fault" ? ViewerEvent::Kind::Fault : ViewerEvent::Kind::Network;
            v.lane = l.packet ? hostLane(l.packet->fromHost) : hostLane(siteWord(l.detail));
            const std::string rest = readableNsText(afterSite(l.detail));
            v.label = l.what == "fault" ? rest : l.what + sizeText(l.bytes) + (l.packet || rest.empty() ? "" : " (" + rest + ")");
            v.text = "network " + l.what + sizeText(l.bytes) + " " + readableNsText(l.detail) + target;
        }
        if (l.packet) addPacket(l, run_.events.size(), v);
        run_.events.push_back(std::move(v));
    }

    void addPacket(const LogEvent& l, std::size_t event, ViewerEvent& v) {
        const PacketFacts& f = *l.packet;
        v.packet = static_cast<int>(run_.packets.size());
        run_.packets.push_back(ViewerPacket{event, f.kind, hostLane(f.fromHost), hostLane(f.toHost), f.bytes,
                                            l.timeNs, f.arrivalNs, f.lostNs, f.retransmitNs});
        if (f.lostNs >= 0) v.text += ", lost at " + readableDuration(f.lostNs);
        if (f.retransmitNs > 0) v.text += ", first copy lost, sent again after " + readableDuration(f.retransmitNs);
        if (f.arrivalNs >= 0 && f.lostNs < 0) v.text += ", arrived at " + readableDuration(f.arrivalNs);
    }

    void addBands();
    std::vector<std::size_t> lanesOfHosts(const std::vector<std::string>& hosts) const;

    const Scenario& s_;
    const Observation& obs_;
    ViewerRun run_;
    std::map<std::string, std::size_t> hostLanes_, memberLanes_;
    std::optional<std::size_t> networkLane_;
};

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t j = std::min(text.find(' ', i), text.size());
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::vector<std::size_t> RunBuilder::lanesOfHosts(const std::vector<std::string>& hosts) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < run_.lanes.size(); ++i)
        if (!run_.lanes[i].host.empty() && std::find(hosts.begin(), hosts.end(), run_.lanes[i].host) != hosts.end())
            out.push_back(i);
    return out;
}

// The fault plan logs "<site> active <fault>" and "<site> cleared <fault>" for faults that last, and
// "<site> heal <a> <b>: N partition(s) healed" when a heal ends partitions between a and b.
void RunBuilder::addBands() {
    std::map<std::string, std::size_t> open;  // fault text -> its band
    for (const auto& l : obs_.log) {
        if (l.actor != kNetworkLane || l.what != "fault") continue;
        const std::vector<std::string> w = words(l.detail);
        if (w.size() >= 3 && w[1] == "active") {
            const std::string fault = l.detail.substr(l.detail.find(" active ") + 8);
            std::vector<std::string> hosts(w.begin() + 3, w.end());
            for (auto& h : hosts) h = h.substr(0, h.find(':'));
            if (hosts.empty() || hostLanes_.count(hosts.front()) == 0) hosts = {siteWord(l.detail)};
            open[fault] = run_.bands.size();
            run_.bands.push_back(FaultBand{fault, l.timeNs, -1, lanesOfHosts(hosts)});
        } else if (w.size() >= 3 && w[1] == "cleared") {
            auto it = open.find(l.detail.substr(l.detail.find(" cleared ") + 9));
            if (it == open.end()) continue;
            run_.bands[it->second].toNs = l.timeNs;
            open.erase(it);
        } else if (w.size() >= 4 && w[1] == "heal") {
            const std::string a = w[2], b = w[3].substr(0, w[3].find(':'));
            for (auto it = open.begin(); it != open.end();) {
                const std::vector<std::string> f = words(it->first);
                const bool healed = f.size() >= 3 && f[0] == "partition" &&
                                    ((f[1] == a && f[2] == b) || (f[1] == b && f[2] == a));
                if (healed) run_.bands[it->second].toNs = l.timeNs;
                it = healed ? open.erase(it) : std::next(it);
            }
        }
    }
}

}  // namespace

ViewerRun viewerRun(const Scenario& s, const Observation& obs, const std::string& engine) {
    return RunBuilder(s, obs).build(engine);
}

}  // namespace simsock::scenario
