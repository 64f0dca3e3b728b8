#include "simsock/testing/fault_calls.h"

#include <gtest/gtest.h>

namespace simsock::testing {
namespace {

using sim::FaultField;
using sim::FaultKind;
using sim::FaultTrigger;
using sim::FaultValues;

constexpr std::int64_t kNsPerMs = 1'000'000;

// The first field kind needs that values lacks, or nullopt. A port of 0 counts as not given.
std::optional<FaultField> missingField(const sim::FaultKindInfo& row, const FaultValues& v) {
    const auto lacks = [&v](FaultField f) {
        switch (f) {
        case FaultField::Host: return v.host.empty();
        case FaultField::OtherHost: return v.otherHost.empty();
        case FaultField::Port: return v.port == 0;
        case FaultField::Name: return v.name.empty();
        case FaultField::Failure: return !v.failure.has_value();
        case FaultField::Delay: return !v.delayNs.has_value();
        case FaultField::Limit: return !v.limit.has_value();
        }
        return true;
    };
    for (int i = 0; i < sim::kFaultFieldCount; ++i) {
        const auto f = static_cast<FaultField>(i);
        if (row.needs.has(f) && lacks(f)) return f;
    }
    return std::nullopt;
}

}  // namespace

sim::FaultId FaultCalls::inject(FaultKind kind, const FaultValues& values, const FaultTrigger& trigger,
                                std::int64_t durationMs) {
    const sim::FaultKindInfo& row = sim::faultKindInfo(kind);
    if (auto missing = missingField(row, values)) {
        ADD_FAILURE() << "fault " << row.name << " needs its " << sim::toString(*missing);
        return 0;
    }
    sim::FaultSpec spec = row.build(values);
    spec.durationNs = durationMs < 0 ? -1 : durationMs * kNsPerMs;
    return inject(spec, trigger);
}

sim::FaultId FaultCalls::inject(std::string_view kind, const FaultValues& values, const FaultTrigger& trigger,
                                std::int64_t durationMs) {
    const auto parsed = sim::parseFaultKind(kind);
    if (!parsed) {
        ADD_FAILURE() << "no fault kind \"" << kind << "\" (sim/fault_kinds.h lists them)";
        return 0;
    }
    return inject(*parsed, values, trigger, durationMs);
}

sim::FaultId FaultCalls::inject(const sim::FaultSpec& fault, const FaultTrigger& trigger) {
    return faultTarget().injectFault(fault, trigger);
}

bool FaultCalls::clearFault(sim::FaultId id) { return faultTarget().clearFault(id); }

sim::FaultId FaultCalls::refuse(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::RefusePort, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::dropSyn(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::DropSyn, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::partition(const std::string& a, const std::string& b) {
    return inject(FaultKind::Partition, FaultArgs().host(a).otherHost(b));
}

sim::FaultId FaultCalls::heal(const std::string& a, const std::string& b) {
    return inject(FaultKind::Heal, FaultArgs().host(a).otherHost(b));
}

sim::FaultId FaultCalls::hostUnreachable(const std::string& host) {
    return inject(FaultKind::HostUnreachable, FaultArgs().host(host));
}

sim::FaultId FaultCalls::networkUnreachable(const std::string& host) {
    return inject(FaultKind::NetworkUnreachable, FaultArgs().host(host));
}

sim::FaultId FaultCalls::lookupFailure(const std::string& name, sim::DnsFailure failure) {
    return inject(FaultKind::LookupFailure, FaultArgs().name(name).failure(failure));
}

sim::FaultId FaultCalls::connectTimeout(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::ConnectTimeout, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::exhaustDescriptors(const std::string& host) {
    return inject(FaultKind::DescriptorExhaustion, FaultArgs().host(host));
}

sim::FaultId FaultCalls::addressInUse(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::AddressInUse, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::accessDenied(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::AccessDenied, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::datagramLimit(const std::string& host, std::int64_t limit) {
    return inject(FaultKind::DatagramLimit, FaultArgs().host(host).limit(limit));
}

sim::FaultId FaultCalls::resetConnections(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::ResetConnection, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::closeConnections(const std::string& host, std::uint16_t port) {
    return inject(FaultKind::CloseConnection, FaultArgs().host(host).port(port));
}

sim::FaultId FaultCalls::resetAfterBytes(const std::string& host, std::uint16_t port, std::int64_t bytes, int times) {
    return inject(FaultKind::ResetConnection, FaultArgs().host(host).port(port),
                  FaultTrigger::afterBytes(host, port, bytes, times));
}

sim::FaultId FaultCalls::closeAfterBytes(const std::string& host, std::uint16_t port, std::int64_t bytes, int times) {
    return inject(FaultKind::CloseConnection, FaultArgs().host(host).port(port),
                  FaultTrigger::afterBytes(host, port, bytes, times));
}

sim::FaultId FaultCalls::resetOnAccept(const std::string& host, std::uint16_t port, int times) {
    return inject(FaultKind::ResetConnection, FaultArgs().host(host).port(port), FaultTrigger::onAccept(host, port, times));
}

sim::FaultId FaultCalls::closeOnAccept(const std::string& host, std::uint16_t port, int times) {
    return inject(FaultKind::CloseConnection, FaultArgs().host(host).port(port), FaultTrigger::onAccept(host, port, times));
}

}  // namespace simsock::testing
