#include "simsock/scenario/readable_time.h"

#include <string_view>

namespace simsock::scenario {
namespace {

struct ReadableUnit {
    std::string_view name;
    std::int64_t ns;
    int decimals;  // digits of a fraction of this unit that still name whole nanoseconds
};
constexpr ReadableUnit kReadableUnits[] = {{"s", 1'000'000'000, 9}, {"ms", 1'000'000, 6}, {"us", 1'000, 3}, {"ns", 1, 0}};

}  // namespace

std::string readableDuration(std::int64_t ns) {
    if (ns == 0) return "0 s";
    // The magnitude as unsigned, so the most negative value has one too.
    const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
    const std::string sign = ns < 0 ? "-" : "";
    for (const ReadableUnit& u : kReadableUnits) {
        const auto unit = static_cast<std::uint64_t>(u.ns);
        if (magnitude < unit && u.ns != 1) continue;
        std::string text = sign + std::to_string(magnitude / unit);
        if (const std::uint64_t rest = magnitude % unit; rest != 0) {
            std::string fraction = std::to_string(rest);
            fraction.insert(0, static_cast<std::size_t>(u.decimals) - fraction.size(), '0');
            fraction.erase(fraction.find_last_not_of('0') + 1);
            text += "." + fraction;
        }
        return text + " " + std::string(u.name);
    }
    return sign + std::to_string(magnitude) + " ns";  // not reached: the last unit takes every magnitude
}

}  // namespace simsock::scenario
