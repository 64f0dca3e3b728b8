// The program registry, parameter fallbacks and the programs' random source.
#include "simsock/program.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace simsock {

std::string ProgramParams::string(std::string_view name, std::string fallback) const {
    auto v = find(name, Type::String);
    return v ? std::get<std::string>(*v) : std::move(fallback);
}

std::int64_t ProgramParams::integer(std::string_view name, std::int64_t fallback) const {
    auto v = find(name, Type::Integer);
    return v ? std::get<std::int64_t>(*v) : fallback;
}

std::uint16_t ProgramParams::port(std::string_view name) const {
    std::int64_t p = integer(name);
    if (p < 0 || p > 65535) fail(name, "a port is 0..65535, not " + std::to_string(p));
    return static_cast<std::uint16_t>(p);
}

std::int64_t ProgramParams::durationNs(std::string_view name, std::int64_t fallbackNs) const {
    auto v = find(name, Type::Duration);
    return v ? std::get<std::int64_t>(*v) : fallbackNs;
}

bool ProgramParams::boolean(std::string_view name, bool fallback) const {
    auto v = find(name, Type::Boolean);
    return v ? std::get<bool>(*v) : fallback;
}

std::uint64_t ProgramRandom::next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::int64_t ProgramRandom::between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    if (span == 0) return static_cast<std::int64_t>(next());  // the whole int64 range
    // In unsigned arithmetic: lo + draw may not fit an int64 on the way, only the result does.
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + next() % span);
}

ProgramRegistry& ProgramRegistry::instance() {
    static ProgramRegistry registry;
    return registry;
}

bool ProgramRegistry::add(std::string name, ProgramFactory factory) {
    if (name.empty() || !factory || find(name)) return false;
    auto at = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const auto& e, const std::string& n) { return e.first < n; });
    entries_.emplace(at, std::move(name), std::move(factory));
    return true;
}

const ProgramFactory* ProgramRegistry::find(std::string_view name) const {
    for (const auto& [n, f] : entries_)
        if (n == name) return &f;
    return nullptr;
}

std::vector<std::string> ProgramRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.first);
    return out;
}

ProgramRegistration::ProgramRegistration(const char* name, ProgramFactory factory) {
    // Static initialisation: no one could catch an exception here, and a program silently missing from the
    // table would make scenarios fail to load far from the cause.
    if (!ProgramRegistry::instance().add(name ? name : "", std::move(factory))) {
        std::fprintf(stderr, "SIMSOCK_PROGRAM: cannot register \"%s\" (an empty name, no factory, or a second program of that name)\n",
                     name ? name : "");
        std::abort();
    }
}

}  // namespace simsock
