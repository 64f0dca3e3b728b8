#include "simsock/sim/fault_kinds.h"

#include <array>

#include "simsock/check.h"

namespace simsock::sim {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

FaultSpec make(FaultKind kind, std::string host, std::uint16_t port) {
    FaultSpec f;
    f.kind = kind;
    f.host = std::move(host);
    f.port = port;
    return f;
}

constexpr std::array<const char*, kFaultFieldCount> kFieldKeys{"host", "otherHost", "port", "name", "failure", "delay",
                                                               "limit"};

constexpr std::array<FaultTrigger::Kind, 2> kEvents{FaultTrigger::Kind::OnAccept, FaultTrigger::Kind::AfterBytes};
constexpr std::array<DnsFailure, 2> kDnsFailures{DnsFailure::NxDomain, DnsFailure::ServFail};

}  // namespace

std::span<const FaultKindInfo> faultKinds() { return kFaultKindTable; }

const FaultKindInfo& faultKindInfo(FaultKind kind) {
    const auto i = static_cast<std::size_t>(kind);
    SIMSOCK_ASSERT(i < std::size(kFaultKindTable));
    return kFaultKindTable[i];
}

const char* toString(FaultKind kind) { return faultKindInfo(kind).name; }

std::optional<FaultKind> parseFaultKind(std::string_view name) {
    for (const auto& row : kFaultKindTable)
        if (name == row.name) return row.kind;
    return std::nullopt;
}

const char* toString(FaultField field) { return kFieldKeys.at(static_cast<std::size_t>(field)); }

const char* toString(FaultTrigger::Kind kind) {
    switch (kind) {
    case FaultTrigger::Kind::AtTime: return "at";
    case FaultTrigger::Kind::OnAccept: return "accept";
    case FaultTrigger::Kind::AfterBytes: return "afterBytes";
    }
    return "unknown";
}

std::optional<FaultTrigger::Kind> parseTriggerEvent(std::string_view name) {
    for (auto k : kEvents)
        if (name == toString(k)) return k;
    return std::nullopt;
}

std::span<const FaultTrigger::Kind> triggerEvents() { return kEvents; }

const char* toString(DnsFailure failure) {
    switch (failure) {
    case DnsFailure::None: return "";
    case DnsFailure::NxDomain: return "nxdomain";
    case DnsFailure::ServFail: return "servfail";
    }
    return "unknown";
}

std::optional<DnsFailure> parseDnsFailure(std::string_view name) {
    for (auto f : kDnsFailures)
        if (name == toString(f)) return f;
    return std::nullopt;
}

std::span<const DnsFailure> dnsFailures() { return kDnsFailures; }

FaultSpec FaultSpec::refusePort(std::string host, std::uint16_t port) { return make(FaultKind::RefusePort, std::move(host), port); }
FaultSpec FaultSpec::dropSyn(std::string host, std::uint16_t port) { return make(FaultKind::DropSyn, std::move(host), port); }
FaultSpec FaultSpec::closeConnection(std::string host, std::uint16_t port) {
    return make(FaultKind::CloseConnection, std::move(host), port);
}
FaultSpec FaultSpec::resetConnection(std::string host, std::uint16_t port) {
    return make(FaultKind::ResetConnection, std::move(host), port);
}
FaultSpec FaultSpec::partition(std::string a, std::string b) {
    FaultSpec f = make(FaultKind::Partition, std::move(a), 0);
    f.otherHost = std::move(b);
    return f;
}
FaultSpec FaultSpec::heal(std::string a, std::string b) {
    FaultSpec f = make(FaultKind::Heal, std::move(a), 0);
    f.otherHost = std::move(b);
    return f;
}
FaultSpec FaultSpec::hostUnreachable(std::string host, std::int64_t delayNs) {
    FaultSpec f = make(FaultKind::HostUnreachable, std::move(host), 0);
    f.delayNs = delayNs;
    return f;
}
FaultSpec FaultSpec::networkUnreachable(std::string host) { return make(FaultKind::NetworkUnreachable, std::move(host), 0); }
FaultSpec FaultSpec::lookupFailure(std::string name, DnsFailure kind) {
    FaultSpec f = make(FaultKind::LookupFailure, {}, 0);
    f.name = std::move(name);
    f.dnsFailure = kind;
    return f;
}
FaultSpec FaultSpec::descriptorExhaustion(std::string host) {
    return make(FaultKind::DescriptorExhaustion, std::move(host), 0);
}
FaultSpec FaultSpec::addressInUse(std::string host, std::uint16_t port) { return make(FaultKind::AddressInUse, std::move(host), port); }
FaultSpec FaultSpec::accessDenied(std::string host, std::uint16_t port) { return make(FaultKind::AccessDenied, std::move(host), port); }
FaultSpec FaultSpec::datagramLimit(std::string host, std::int64_t limit) {
    FaultSpec f = make(FaultKind::DatagramLimit, std::move(host), 0);
    f.limit = limit;
    return f;
}
FaultSpec FaultSpec::connectTimeout(std::string host, std::uint16_t port, std::int64_t delayNs) {
    FaultSpec f = make(FaultKind::ConnectTimeout, std::move(host), port);
    f.delayNs = delayNs;
    return f;
}

std::string FaultSpec::describe() const {
    std::string s = toString(kind);
    if (kind == FaultKind::LookupFailure) {
        s += " " + name + (dnsFailure == DnsFailure::ServFail ? " servfail" : " nxdomain");
    } else {
        s += " " + (host.empty() ? std::string("*") : host);
        if (port != 0) s += ":" + std::to_string(port);
        if (!otherHost.empty()) s += " " + otherHost;
        if (kind == FaultKind::DatagramLimit) s += " limit=" + std::to_string(limit);
        // Logs name whole milliseconds as they always have; a finer delay shows in nanoseconds.
        if (delayNs % kNsPerMs == 0 && delayNs != 0) s += " delayMs=" + std::to_string(delayNs / kNsPerMs);
        if (delayNs % kNsPerMs != 0) s += " delayNs=" + std::to_string(delayNs);
    }
    if (!label.empty()) s += " [" + label + "]";
    return s;
}

FaultTrigger FaultTrigger::atNsTime(std::int64_t ns) {
    FaultTrigger t;
    t.atNs = ns;
    return t;
}

FaultTrigger FaultTrigger::onAccept(std::string host, std::uint16_t port, int times) {
    FaultTrigger t;
    t.kind = Kind::OnAccept;
    t.host = std::move(host);
    t.port = port;
    t.times = times;
    return t;
}

FaultTrigger FaultTrigger::afterBytes(std::string host, std::uint16_t port, std::int64_t bytes, int times) {
    FaultTrigger t = onAccept(std::move(host), port, times);
    t.kind = Kind::AfterBytes;
    t.bytes = bytes;
    return t;
}

}  // namespace simsock::sim
