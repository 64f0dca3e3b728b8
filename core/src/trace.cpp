#include "simsock/trace.h"

#include <cstdio>

#include "simsock/abstract_socket.h"
#include "simsock/check.h"
#include "simsock/signal_table.h"

namespace simsock {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The range the second byte of a sequence led by b may take (RFC 3629's table: no overlongs, no
// surrogates, nothing above U+10FFFF); the rest are 0x80..0xBF.
struct Lead {
    int length;
    unsigned char low, high;
};
Lead leadOf(unsigned char b) {
    if (b < 0x80) return {1, 0, 0};
    if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
    if (b == 0xE0) return {3, 0xA0, 0xBF};
    if (b == 0xED) return {3, 0x80, 0x9F};
    if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
    if (b == 0xF0) return {4, 0x90, 0xBF};
    if (b == 0xF4) return {4, 0x80, 0x8F};
    if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
    return {0, 0, 0};
}

}  // namespace

std::size_t utf8SequenceLength(std::string_view s, std::size_t* invalid) {
    const Lead lead = leadOf(static_cast<unsigned char>(s[0]));
    std::size_t good = lead.length > 0 ? 1 : 0;  // bytes that are a valid prefix so far
    for (int k = 1; good == static_cast<std::size_t>(k) && k < lead.length && static_cast<std::size_t>(k) < s.size(); ++k) {
        const auto c = static_cast<unsigned char>(s[static_cast<std::size_t>(k)]);
        const bool ok = k == 1 ? c >= lead.low && c <= lead.high : (c & 0xC0) == 0x80;
        good += ok ? 1 : 0;
    }
    if (lead.length > 0 && good == static_cast<std::size_t>(lead.length)) return good;
    if (invalid) *invalid = good > 0 ? good : 1;
    return 0;
}

void appendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            std::size_t bad = 1;
            const std::size_t n = utf8SequenceLength(s.substr(i), &bad);
            out += n > 0 ? s.substr(i, n) : kReplacement;
            i += n > 0 ? n : bad;
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
}

std::string TraceEvent::str() const {
    if (isCallEvent) {
        std::string s = call + "(";
        for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
        s += ")";
        return returns.empty() ? s : s + " -> " + returns;
    }
    std::string s = signal + "(";
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? "," : "") + args[i];
    s += ")";
    return call.empty() ? s : call + "{" + s + "}";
}

namespace {

void appendJsonArray(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        appendJsonString(out, items[i]);
    }
    out += ']';
}

}  // namespace

std::string TraceEvent::toJson() const {
    std::string out = "{\"t\":" + std::to_string(timeNs) + ",\"object\":";
    appendJsonString(out, object);
    if (isCallEvent) {
        out += ",\"call\":";
        appendJsonString(out, call);
        out += ",\"args\":";
        appendJsonArray(out, args);
        out += ",\"returns\":";
        appendJsonString(out, returns);
        out += '}';
        return out;
    }
    out += ",\"signal\":";
    appendJsonString(out, signal);
    out += ",\"args\":";
    appendJsonArray(out, args);
    out += ",\"state\":";
    appendJsonString(out, state);
    out += ",\"call\":";
    appendJsonString(out, call);
    out += '}';
    return out;
}

std::vector<std::string> Trace::compact(const std::string& object) const {
    std::vector<std::string> out;
    for (const auto& e : events_)
        if (object.empty() || e.object == object) out.push_back(e.str());
    return out;
}

std::size_t Trace::beginCall(std::int64_t timeNs, std::string object, std::string name,
                             std::vector<std::string> args) {
    TraceEvent e;
    e.timeNs = timeNs;
    e.object = std::move(object);
    e.call = std::move(name);
    e.args = std::move(args);
    e.isCallEvent = true;
    events_.push_back(std::move(e));
    return events_.size() - 1;
}

void Trace::endCall(std::size_t index, std::string returns) {
    SIMSOCK_ASSERT(index < events_.size() && events_[index].isCallEvent);
    events_[index].returns = std::move(returns);
}

std::string Trace::serialize() const {
    std::string out;
    for (const auto& e : events_) out += e.toJson() + "\n";
    return out;
}

TraceRecorder::TraceRecorder(AbstractSocket& socket, Trace& trace) : socket_(&socket), trace_(trace) {
    forEachSignal([&](const SignalInfo& signal) {
        connections_.push_back(signal.connect(
            socket, [this, name = signal.name](std::vector<std::string> args) { add(name, std::move(args)); }));
    });
}

TraceRecorder::~TraceRecorder() { detach(); }

void TraceRecorder::detach() {
    for (auto& c : connections_) c.disconnect();
    connections_.clear();
    socket_ = nullptr;
}

void TraceRecorder::add(std::string_view signal, std::vector<std::string> args) {
    if (!socket_) return;
    TraceEvent e;
    e.timeNs = socket_->backend().loop().nowNs();
    e.object = socket_->objectName();
    e.signal = signal;
    e.args = std::move(args);
    e.state = std::string(toString(socket_->state()));
    e.call = std::string(socket_->currentCall());
    trace_.record(std::move(e));
}

}  // namespace simsock
