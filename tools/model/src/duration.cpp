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

namespace {

std::string invalid(std::string_view text) {
    return "invalid duration \"" + std::string(text) + "\" (expected e.g. \"10ms\", \"1.5s\")";
}

// The nanoseconds of fraction digits (after the dot) in unit, or nullopt when they are not a whole
// number. Trailing zeros carry nothing; what remains has at most as many digits as the unit has zeros, so
// every product below stays under 10^9.
std::optional<std::int64_t> fractionNs(std::string_view digits, std::int64_t unitNs) {
    while (!digits.empty() && digits.back() == '0') digits.remove_suffix(1);
    std::int64_t scale = unitNs;
    std::int64_t ns = 0;
    for (char c : digits) {
        if (scale % 10 != 0) return std::nullopt;
        scale /= 10;
        ns += (c - '0') * scale;
    }
    return ns;
}

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
    const std::string_view num = text.substr(0, text.size() - unit->suffix.size());
    const std::size_t dot = num.find('.');
    const std::string_view whole = num.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : num.substr(dot + 1);
    const auto digitsOnly = [](std::string_view d) { return d.find_first_not_of("0123456789") == std::string_view::npos; };
    // ".5s" has always been half a second; "5.s" and "." are not durations.
    const bool noDigits = whole.empty() && frac.empty();
    if (noDigits || !digitsOnly(whole) || !digitsOnly(frac) || (dot != std::string_view::npos && frac.empty())) {
        error = invalid(text);
        return std::nullopt;
    }
    const std::string tooLong = "duration \"" + std::string(text) + "\" is longer than 100 days";
    // Checked before each step: the whole part never exceeds kMaxNs in nanoseconds.
    const std::int64_t maxWhole = kMaxNs / unit->ns;
    std::int64_t units = 0;
    for (char c : whole) {
        if (units > (maxWhole - (c - '0')) / 10) {
            error = tooLong;
            return std::nullopt;
        }
        units = units * 10 + (c - '0');
    }
    const std::optional<std::int64_t> fracNs = fractionNs(frac, unit->ns);
    if (!fracNs) {
        error = "duration \"" + std::string(text) + "\" is not a whole number of nanoseconds";
        return std::nullopt;
    }
    if (units * unit->ns > kMaxNs - *fracNs) {
        error = tooLong;
        return std::nullopt;
    }
    return units * unit->ns + *fracNs;
}

std::string formatDuration(std::int64_t ns) {
    if (ns == 0) return "0ms";
    for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it)
        if (ns % it->ns == 0) return std::to_string(ns / it->ns) + std::string(it->suffix);
    return std::to_string(ns) + "ns";
}

}  // namespace simsock::scenario
