#include "simsock/trace.h"

#include <cstdio>

#include "simsock/abstract_socket.h"
#include "simsock/signal_table.h"

namespace simsock {

void appendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
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
    }
    out += '"';
}

std::string TraceEvent::str() const {
    std::string s = signal + "(";
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? "," : "") + args[i];
    s += ")";
    return call.empty() ? s : call + "{" + s + "}";
}

std::string TraceEvent::toJson() const {
    std::string out = "{\"t\":" + std::to_string(timeNs) + ",\"object\":";
    appendJsonString(out, object);
    out += ",\"signal\":";
    appendJsonString(out, signal);
    out += ",\"args\":[";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        appendJsonString(out, args[i]);
    }
    out += "],\"state\":";
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
