#include "simsock/trace.h"

#include <cstdio>

#include "simsock/abstract_socket.h"
#include "simsock/check.h"
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
