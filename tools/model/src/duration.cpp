#include "simsock/scenario/duration.h"

#include <array>
#include <utility>

namespace simsock::scenario {
namespace {

constexpr std::int64_t kMaxNs = 100LL * 24 * 3600 * 1'000'000'000;  // 100 virtual days bounds every run

struct Unit {
    std::string_view suffix;
    std::int64_t ns;
};
// "ms" and "us" and "ns" must be tried before "s".
constexpr std::array<Unit, 4> kUnits{{{"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}}};

}  // namespace

std::optional<std::int64_t> parseDuration(std::string_view text, std::string& error) {
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
        if (text.size() > u.suffix.size() && text.substr(text.size() - u.suffix.size()) == u.suffix) {
            unit = &u;
            break;
        }
    }
    if (!unit) {
        error = "duration \"" + std::string(text) + "\" needs a unit: ns, us, ms or s (e.g. \"10ms\")";
        return std::nullopt;
    }
    std::string_view num = text.substr(0, text.size() - unit->suffix.size());
    std::int64_t whole = 0, frac = 0, fracScale = 1;
    bool seenDot = false, seenDigit = false;
    for (char c : num) {
        if (c == '.' && !seenDot) {
            seenDot = true;
        } else if (c >= '0' && c <= '9') {
            seenDigit = true;
            if (whole > kMaxNs || fracScale > 1'000'000'000) {
                error = "duration \"" + std::string(text) + "\" is too long or too precise";
                return std::nullopt;
            }
            if (seenDot) {
                frac = frac * 10 + (c - '0');
                fracScale *= 10;
            } else {
                whole = whole * 10 + (c - '0');
            }
        } else {
            error = "invalid duration \"" + std::string(text) + "\" (expected e.g. \"10ms\", \"1.5s\")";
            return std::nullopt;
        }
    }
    if (!seenDigit || num.back() == '.') {
        error = "invalid duration \"" + std::string(text) + "\" (expected e.g. \"10ms\", \"1.5s\")";
        return std::nullopt;
    }
    if (whole > kMaxNs / unit->ns) {
        error = "duration \"" + std::string(text) + "\" is longer than 100 days";
        return std::nullopt;
    }
    std::int64_t fracNs = frac * unit->ns;
    if (fracNs % fracScale != 0) {
        error = "duration \"" + std::string(text) + "\" is not a whole number of nanoseconds";
        return std::nullopt;
    }
    return whole * unit->ns + fracNs / fracScale;
}

std::string formatDuration(std::int64_t ns) {
    if (ns == 0) return "0ms";
    for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it)
        if (ns % it->ns == 0) return std::to_string(ns / it->ns) + std::string(it->suffix);
    return std::to_string(ns) + "ns";
}

}  // namespace simsock::scenario
