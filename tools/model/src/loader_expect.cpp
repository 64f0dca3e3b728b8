// The `expect` section, expected trace lines and signal spellings.
#include "loader_internal.h"
#include "simsock/check.h"
#include "simsock/scenario/duration.h"
#include "simsock/scenario/loader.h"
#include "simsock/signal_table.h"
#include "simsock/socket_types.h"

namespace simsock::scenario {
namespace {

bool isDecimal(std::string_view s) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace

bool isKnownSignal(std::string_view name) { return findSignal(name) != nullptr || findServerSignal(name) != nullptr; }

bool isKnownCall(std::string_view name) { return isCallName(name); }

namespace detail {

void parseSignalSpec(const Node& node, const std::string& text, std::string& name, std::string& args) {
    auto open = text.find('(');
    name = text.substr(0, open);
    const SignalInfo* signal = findSignal(name);
    const ServerSignalInfo* serverSignal = findServerSignal(name);
    if (!signal && !serverSignal) node.fail("unknown signal \"" + name + "\"");
    const SignalArgs kind = signal ? signal->args : serverSignal->args;
    args.clear();
    if (open == std::string::npos) return;
    if (text.back() != ')') node.fail("\"" + text + "\": missing ')'");
    args = text.substr(open + 1, text.size() - open - 2);
    switch (kind) {
    case SignalArgs::State:
        if (!parseSocketState(args)) node.fail("unknown state \"" + args + "\"");
        break;
    case SignalArgs::Error:
        if (!parseSocketError(args)) node.fail("unknown error \"" + args + "\"");
        break;
    case SignalArgs::ByteCount:
        if (!isDecimal(args)) node.fail(name + " takes a byte count, not \"" + args + "\"");
        break;
    case SignalArgs::None:
        if (!args.empty()) node.fail(name + " takes no arguments");
        break;
    case SignalArgs::Text:
        if (args.size() < 2 || args.front() != '"' || args.back() != '"')
            node.fail(name + " takes one quoted text, e.g. " + name + "(\"...\")");
        break;
    }
    if (kind != SignalArgs::None && args.empty()) node.fail(name + " needs its argument, e.g. " + name + "(...)");
}

namespace {

// A call event `write("y") -> 1`: a call's name, its arguments and, for a call that returns something, the
// value after " -> ". The arguments and the value are compared as written (TraceEvent::str()).
bool checkCallEvent(const Node& node, const std::string& compact) {
    const auto open = compact.find('(');
    const auto brace = compact.find('{');
    if (open == std::string::npos || (brace != std::string::npos && brace < open)) return false;
    const std::string name = compact.substr(0, open);
    if (!isCallName(name)) return false;
    const auto arrow = compact.rfind(") -> ");
    const bool closed = compact.back() == ')' || (arrow != std::string::npos && arrow + 5 < compact.size());
    if (!closed) node.fail("\"" + compact + "\": a call event is name(arguments) or name(arguments) -> value");
    return true;
}

// Splits "call{sig(args)}" and checks both halves, or checks a call event; returns the compact text.
std::string checkCompact(const Node& node, const std::string& compact) {
    if (checkCallEvent(node, compact)) return compact;
    std::string sig = compact;
    auto brace = compact.find('{');
    if (brace != std::string::npos) {
        if (compact.back() != '}') node.fail("\"" + compact + "\": missing '}'");
        std::string call = compact.substr(0, brace);
        if (!isKnownCall(call)) node.fail("unknown call \"" + call + "\"");
        sig = compact.substr(brace + 1, compact.size() - brace - 2);
    }
    if (sig.find('(') == std::string::npos) node.fail("\"" + sig + "\": write the signal with parentheses, e.g. connected()");
    std::string name, args;
    parseSignalSpec(node, sig, name, args);
    return compact;
}

}  // namespace

TraceLine parseTraceLine(const Node& node, const Scenario& s, const Declared& d) {
    std::string text = node.name();
    TraceLine line;
    line.pos = node.pos();
    if (text[0] == '@') {
        auto space = text.find(' ');
        if (space == std::string::npos) node.fail("a time prefix is followed by a space: \"@10ms c: ...\"");
        std::string error;
        auto ns = parseDuration(text.substr(1, space - 1), error);
        if (!ns) node.fail(error);
        line.timeNs = ns;
        text = text.substr(space + 1);
    }
    auto colon = text.find(": ");
    if (colon != std::string::npos && colon < text.find('(')) {
        line.socket = text.substr(0, colon);
        bool known = d.servers.count(line.socket) != 0;
        // A program's traced sockets are named by the program at run time: `<program>.<socket>`.
        for (const auto& p : s.programs) known = known || line.socket.rfind(p.name + ".", 0) == 0;
        if (!known) requireSocket(node, s, d, line.socket);
        text = text.substr(colon + 2);
    }
    line.compact = checkCompact(node, text);
    return line;
}

namespace {

std::vector<TraceLine> loadTraceLines(const Node& node, const Scenario& s, const Declared& d) {
    std::vector<TraceLine> out;
    for (const auto& e : node.elements()) out.push_back(parseTraceLine(e, s, d));
    return out;
}

void loadSocketExpect(const Node& n, SocketExpect& e) {
    n.expectObject({"state", "error", "bytesAvailable", "bytesToWrite", "readBytes", "read", "isOpen"});
    if (auto v = n.get("state")) {
        e.state = v->str();
        if (!parseSocketState(*e.state)) v->fail("unknown state \"" + *e.state + "\"");
    }
    if (auto v = n.get("error")) {
        e.error = v->str();
        if (!parseSocketError(*e.error)) v->fail("unknown error \"" + *e.error + "\"");
    }
    if (auto v = n.get("bytesAvailable")) e.bytesAvailable = v->integer(0, INT64_MAX);
    if (auto v = n.get("bytesToWrite")) e.bytesToWrite = v->integer(0, INT64_MAX);
    if (auto v = n.get("readBytes")) e.readBytes = v->integer(0, INT64_MAX);
    if (auto v = n.get("read")) e.read = v->str();
    if (auto v = n.get("isOpen")) e.isOpen = v->boolean();
}

void loadPeerExpect(const Node& n, PeerExpect& e) {
    n.expectObject({"received", "receivedBytes", "accepted"});
    if (auto v = n.get("received")) e.received = v->str();
    if (auto v = n.get("receivedBytes")) e.receivedBytes = v->integer(0, INT64_MAX);
    if (auto v = n.get("accepted")) e.accepted = v->integer(0, INT64_MAX);
}

// A number, or the one word that stands in for values engines do not share.
ReturnValue numberOrWord(const Node& value, std::string_view word) {
    if (value.value().isNumber()) return value.integer(INT64_MIN, INT64_MAX);
    if (value.str() != word) value.fail("expected a number or \"" + std::string(word) + "\"");
    return Word{std::string(word)};
}

ReturnValue stringOrNull(const Node& value, bool word) {
    if (value.value().isNull()) return nullptr;
    if (word) return Word{value.name()};
    return value.str();
}

ReturnValue expectedReturn(const Node& value, ReturnKind kind) {
    switch (kind) {
    case ReturnKind::Boolean: return value.boolean();
    case ReturnKind::Integer: return value.integer(INT64_MIN, INT64_MAX);
    case ReturnKind::Text:
    case ReturnKind::Address: return value.str();
    case ReturnKind::Name: return Word{value.name()};
    case ReturnKind::Port: return numberOrWord(value, "ephemeral");
    case ReturnKind::Descriptor: return numberOrWord(value, "valid");
    case ReturnKind::Datagram: return stringOrNull(value, false);
    case ReturnKind::Socket: return stringOrNull(value, true);
    case ReturnKind::None: break;
    }
    SIMSOCK_ASSERT(false);
    return nullptr;
}

void loadReturns(const Node& n, Scenario& s, const Declared& d) {
    for (const auto& [id, value] : n.members()) {
        auto found = d.actionIds.find(id);
        if (found == d.actionIds.end()) n.failAtKey(id, "no action with id \"" + id + "\"");
        const ActionSpec* action = &s.actions[found->second];
        s.expect.returns[id] = expectedReturn(value, callInfo(action->call).returns);
    }
}

// expect.programs.<program>.<key>: a number or a string, compared with what the program exposed.
void loadProgramExpect(const Node& n, Scenario& s) {
    for (const auto& [name, values] : n.members()) {
        bool known = false;
        for (const auto& p : s.programs) known = known || p.name == name;
        if (!known) n.failAtKey(name, "no program named \"" + name + "\" in this scenario");
        auto& into = s.expect.programs[name];
        for (const auto& [key, v] : values.members()) {
            if (v.value().isNumber()) {
                into[key] = v.integer(INT64_MIN, INT64_MAX);
            } else {
                if (!v.value().isString()) v.fail(std::string("expected a number or a string, got ") + kindName(v.value().kind));
                into[key] = v.str();
            }
        }
    }
}

}  // namespace

void loadExpect(const Node& node, Scenario& s, const Declared& d) {
    node.expectObject({"trace", "subsequence", "sockets", "peers", "returns", "programs"});
    s.hasExpect = true;
    s.expectObjectEnd = node.value().endOffset;
    if (auto t = node.get("trace")) {
        s.expect.trace = loadTraceLines(*t, s, d);
        s.expect.traceBegin = t->value().begin.offset;
        s.expect.traceEnd = t->value().endOffset;
    }
    if (auto t = node.get("subsequence")) s.expect.subsequence = loadTraceLines(*t, s, d);
    if (auto so = node.get("sockets")) {
        for (const auto& [name, v] : so->members()) {
            if (d.sockets.count(name) == 0) so->failAtKey(name, "no socket named \"" + name + "\"");
            loadSocketExpect(v, s.expect.sockets[name]);
        }
    }
    if (auto p = node.get("peers")) {
        for (const auto& [name, v] : p->members()) {
            if (d.peers.count(name) == 0) p->failAtKey(name, "no peer named \"" + name + "\"");
            loadPeerExpect(v, s.expect.peers[name]);
        }
    }
    if (auto r = node.get("returns")) loadReturns(*r, s, d);
    if (auto p = node.get("programs")) loadProgramExpect(*p, s);
}

}  // namespace detail
}  // namespace simsock::scenario
