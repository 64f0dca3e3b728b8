#include "run_budget.h"

#include <cstdio>

namespace simsock::scenario::detail {
namespace {

// "0.8 ms", "12 ms": a time in milliseconds without trailing zeros.
std::string milliseconds(std::int64_t ns) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(ns) / 1e6);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + " ms";
}

// "0.2 s", "60 s".
std::string seconds(std::int64_t ms) {
    std::string s = std::to_string(ms / 1000);
    if (ms % 1000 == 0) return s + " s";
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(ms % 1000));
    s += frac;
    while (s.back() == '0') s.pop_back();
    return s + " s";
}

}  // namespace

std::string withSeparators(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

RunBudget::RunBudget(const RunLimits& limits, const EventLoop& loop, std::int64_t baseNs)
    : limits_(limits), loop_(loop), baseNs_(baseNs), start_(std::chrono::steady_clock::now()) {}

void RunBudget::reach(const std::string& what) {
    if (reached()) return;  // the first bound reached is the one reported
    message_ = "budget: " + what + " reached at " + milliseconds(loop_.nowNs() - baseNs_) +
               (virtual_ ? " virtual time" : " of the run");
}

bool RunBudget::exceeded(std::uint64_t events, std::uint64_t recorded) {
    if (reached()) return true;
    if (limits_.maxEvents > 0 && events >= limits_.maxEvents) {
        reach(withSeparators(limits_.maxEvents) + " events");
    } else if (limits_.maxTraceEvents > 0 && recorded >= limits_.maxTraceEvents) {
        reach(withSeparators(limits_.maxTraceEvents) + " trace events");
    } else if (limits_.timeoutMs > 0 &&
               std::chrono::steady_clock::now() - start_ >= std::chrono::milliseconds(limits_.timeoutMs)) {
        reach(seconds(limits_.timeoutMs) + " wall-clock timeout");
    }
    return reached();
}

bool RunBudget::admitWrite(std::uint64_t bytes) {
    written_ += bytes;
    if (limits_.maxWrittenBytes > 0 && written_ > limits_.maxWrittenBytes)
        reach(withSeparators(limits_.maxWrittenBytes) + " bytes written");
    return !reached();
}

bool RunBudget::admitNesting(int depth) {
    if (limits_.maxNesting > 0 && depth > limits_.maxNesting)
        reach("actions nested " + std::to_string(limits_.maxNesting) + " deep in signal handlers");
    return !reached();
}

}  // namespace simsock::scenario::detail
