// The observation's wire form between a namespace child and its parent: every field in a fixed order,
// integers as decimal text and strings length-prefixed ("<n>:<bytes>"), so any byte survives.
#include <charconv>

#include "isolated_run.h"

namespace simsock::scenario::detail {
namespace {

class WireWriter {
public:
    WireWriter& num(std::int64_t v) {
        out_ += std::to_string(v) + ";";
        return *this;
    }
    WireWriter& str(const std::string& s) {
        out_ += std::to_string(s.size()) + ":" + s;
        return *this;
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

class WireReader {
public:
    explicit WireReader(std::string_view in) : in_(in) {}
    bool ok() const { return ok_; }
    std::int64_t num() { return digitsUntil(';'); }
    std::string str() {
        const auto n = static_cast<std::size_t>(digitsUntil(':'));
        if (!ok_ || n > in_.size()) return fail();
        std::string s(in_.substr(0, n));
        in_.remove_prefix(n);
        return s;
    }
    std::size_t count() {
        std::int64_t n = num();
        if (n < 0 || static_cast<std::size_t>(n) > in_.size()) {
            ok_ = false;
            return 0;
        }
        return static_cast<std::size_t>(n);
    }

private:
    std::string fail() {
        ok_ = false;
        return {};
    }
    std::int64_t digitsUntil(char end) {
        std::size_t at = in_.find(end);
        std::int64_t v = 0;
        if (at == std::string_view::npos || std::from_chars(in_.data(), in_.data() + at, v).ptr != in_.data() + at) {
            ok_ = false;
            return 0;
        }
        in_.remove_prefix(at + 1);
        return v;
    }
    std::string_view in_;
    bool ok_ = true;
};

void writeReturn(WireWriter& w, const ReturnValue& v) {
    w.num(static_cast<std::int64_t>(v.index()));
    if (const bool* b = std::get_if<bool>(&v)) w.num(*b ? 1 : 0);
    if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) w.num(*i);
    if (const std::string* s = std::get_if<std::string>(&v)) w.str(*s);
    if (const Word* word = std::get_if<Word>(&v)) w.str(word->text);
}

ReturnValue readReturn(WireReader& r) {
    switch (r.num()) {
    case 0: return r.num() != 0;
    case 1: return r.num();
    case 2: return r.str();
    case 3: return Word{r.str()};
    default: return nullptr;
    }
}

void writeEvent(WireWriter& w, const TraceEvent& e) {
    w.num(e.timeNs).str(e.object).str(e.signal).num(static_cast<std::int64_t>(e.args.size()));
    for (const auto& a : e.args) w.str(a);
    w.str(e.state).str(e.call).str(e.returns).num(e.isCallEvent ? 1 : 0);
}

TraceEvent readEvent(WireReader& r) {
    TraceEvent e;
    e.timeNs = r.num();
    e.object = r.str();
    e.signal = r.str();
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) e.args.push_back(r.str());
    e.state = r.str();
    e.call = r.str();
    e.returns = r.str();
    e.isCallEvent = r.num() != 0;
    return e;
}

}  // namespace

std::string encodeObservation(const Observation& o) {
    WireWriter w;
    w.num(static_cast<std::int64_t>(o.trace.events().size()));
    for (const auto& e : o.trace.events()) writeEvent(w, e);
    w.num(static_cast<std::int64_t>(o.log.size()));
    for (const auto& l : o.log) w.num(l.timeNs).str(l.actor).str(l.what).num(l.bytes).str(l.target).str(l.detail);
    w.num(static_cast<std::int64_t>(o.returns.size()));
    for (const auto& [id, v] : o.returns) {
        w.str(id);
        writeReturn(w, v);
    }
    w.num(static_cast<std::int64_t>(o.sockets.size()));
    for (const auto& [name, f] : o.sockets)
        w.str(name).str(f.state).str(f.error).num(f.bytesAvailable).num(f.bytesToWrite).str(f.read).num(f.isOpen ? 1 : 0);
    w.num(static_cast<std::int64_t>(o.peers.size()));
    for (const auto& [name, p] : o.peers) w.str(name).str(p.received).num(p.accepted);
    // What programs exposed: a number is tagged 0, a text 1.
    w.num(static_cast<std::int64_t>(o.programs.size()));
    for (const auto& [name, values] : o.programs) {
        w.str(name).num(static_cast<std::int64_t>(values.size()));
        for (const auto& [key, v] : values) {
            w.str(key);
            if (const auto* n = std::get_if<std::int64_t>(&v)) w.num(0).num(*n);
            else w.num(1).str(std::get<std::string>(v));
        }
    }
    w.num(static_cast<std::int64_t>(o.problems.size()));
    for (const auto& p : o.problems) w.str(p);
    w.str(o.budget);
    return w.take();
}

std::optional<Observation> decodeObservation(std::string_view bytes) {
    WireReader r(bytes);
    Observation o;
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) o.trace.record(readEvent(r));
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
        LogEvent l;
        l.timeNs = r.num();
        l.actor = r.str();
        l.what = r.str();
        l.bytes = r.num();
        l.target = r.str();
        l.detail = r.str();
        o.log.push_back(std::move(l));
    }
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
        std::string id = r.str();
        o.returns[id] = readReturn(r);
    }
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
        std::string name = r.str();
        Observation::SocketFinal& f = o.sockets[name];
        f.state = r.str();
        f.error = r.str();
        f.bytesAvailable = r.num();
        f.bytesToWrite = r.num();
        f.read = r.str();
        f.isOpen = r.num() != 0;
    }
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
        std::string name = r.str();
        Observation::PeerFinal& p = o.peers[name];
        p.received = r.str();
        p.accepted = r.num();
    }
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
        auto& values = o.programs[r.str()];
        for (std::size_t k = r.count(); k > 0 && r.ok(); --k) {
            std::string key = r.str();
            if (r.num() == 0) values[key] = r.num();
            else values[key] = r.str();
        }
    }
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) o.problems.push_back(r.str());
    o.budget = r.str();
    if (!r.ok()) return std::nullopt;
    return o;
}

}  // namespace simsock::scenario::detail
