// The fault kinds: one table (faultKinds()) with every kind the simulator can inject, its spelling in logs
// and scenario files, the fields it takes, whether it is a condition or an action, and its builder from
// generic field values. Loaders, writers, generators and worlds derive from the table, so a kind is added
// here (an enum value and a row) and in the place that gives it a meaning (see fault_plan.h for the model).
// Durations are nanoseconds throughout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "simsock/sim/sim_resolver.h"

namespace simsock::sim {

/// Every fault kind, in the order of the table (kFaultKindTable below). A new kind is a value here, a row in
/// the table (whose static_asserts name the last kind; tables_test requires a builder), and its meaning.
enum class FaultKind {
    RefusePort,
    DropSyn,
    CloseConnection,
    ResetConnection,
    Partition,
    Heal,
    HostUnreachable,
    NetworkUnreachable,
    LookupFailure,
    ConnectTimeout,
    DescriptorExhaustion,
    AddressInUse,
    AccessDenied,
    DatagramLimit,
};

/// The fault's name as logs and scenario files spell it ("refuse-port", "drop-syn", ...).
const char* toString(FaultKind kind);
/// The kind spelled name, or nullopt.
std::optional<FaultKind> parseFaultKind(std::string_view name);

/// Linux gives up on ARP after about three seconds.
inline constexpr std::int64_t kDefaultHostUnreachableDelayNs = 3'000'000'000;
inline constexpr std::int64_t kDefaultConnectTimeoutDelayNs = 1'000'000'000;

/// One fault. Only the fields its kind uses matter (see the table); the builders fill them.
struct FaultSpec {
    FaultKind kind = FaultKind::RefusePort;
    std::string host;       ///< target host name
    std::uint16_t port = 0; ///< target port; 0 = every port
    std::string otherHost;  ///< Partition / Heal: the other side
    std::string name;       ///< LookupFailure: the host name that fails
    DnsFailure dnsFailure = DnsFailure::NxDomain;
    std::int64_t delayNs = 0;      ///< HostUnreachable / ConnectTimeout: when the error arrives
    std::int64_t limit = 0;        ///< DatagramLimit: the largest payload allowed
    std::int64_t durationNs = -1;  ///< conditions: how long they last once triggered; -1 = until cleared
    std::string label;             ///< a scenario's own name for the fault, repeated in the log

    static FaultSpec refusePort(std::string host, std::uint16_t port);
    static FaultSpec dropSyn(std::string host, std::uint16_t port);
    static FaultSpec closeConnection(std::string host, std::uint16_t port);
    static FaultSpec resetConnection(std::string host, std::uint16_t port);
    static FaultSpec partition(std::string a, std::string b);
    static FaultSpec heal(std::string a, std::string b);
    static FaultSpec hostUnreachable(std::string host, std::int64_t delayNs = kDefaultHostUnreachableDelayNs);
    /// An empty host makes every non-loopback destination unreachable.
    static FaultSpec networkUnreachable(std::string host = {});
    static FaultSpec lookupFailure(std::string name, DnsFailure kind = DnsFailure::NxDomain);
    static FaultSpec descriptorExhaustion(std::string host);
    static FaultSpec addressInUse(std::string host, std::uint16_t port);
    static FaultSpec accessDenied(std::string host, std::uint16_t port = 0);
    static FaultSpec datagramLimit(std::string host, std::int64_t limit);
    static FaultSpec connectTimeout(std::string host, std::uint16_t port,
                                    std::int64_t delayNs = kDefaultConnectTimeoutDelayNs);

    /// "refuse-port host:port" and the like, for logs.
    std::string describe() const;
};

/// When a fault takes effect.
struct FaultTrigger {
    enum class Kind { AtTime, OnAccept, AfterBytes };
    Kind kind = Kind::AtTime;
    std::int64_t atNs = 0;   ///< AtTime: absolute virtual time
    std::string host;        ///< OnAccept / AfterBytes: the listening side's host
    std::uint16_t port = 0;  ///< ... and port (0: any)
    std::int64_t bytes = 0;  ///< AfterBytes: payload bytes carried by the connection
    int times = 1;           ///< event triggers: how often to fire; -1 = every time

    /// Now (or at the current time when added before the run starts).
    static FaultTrigger now() { return atNsTime(0); }
    static FaultTrigger atNsTime(std::int64_t ns);
    static FaultTrigger onAccept(std::string host, std::uint16_t port, int times = 1);
    static FaultTrigger afterBytes(std::string host, std::uint16_t port, std::int64_t bytes, int times = 1);
};

/// An event trigger's spelling in scenario files ("accept", "afterBytes"; AtTime: "at").
const char* toString(FaultTrigger::Kind kind);
/// The event trigger spelled name (AtTime is not an event), or nullopt.
std::optional<FaultTrigger::Kind> parseTriggerEvent(std::string_view name);
/// The event triggers (every kind but AtTime), in order.
std::span<const FaultTrigger::Kind> triggerEvents();

/// A DNS failure's spelling ("nxdomain", "servfail"; None: "").
const char* toString(DnsFailure failure);
/// The failure spelled name (not None), or nullopt.
std::optional<DnsFailure> parseDnsFailure(std::string_view name);
/// The failures a name can have (every value but None), in order.
std::span<const DnsFailure> dnsFailures();

/// A field a fault kind may take, spelled as scenario files spell its key.
enum class FaultField : std::uint8_t { Host, OtherHost, Port, Name, Failure, Delay, Limit };
inline constexpr int kFaultFieldCount = 7;
/// The field's key ("host", "otherHost", "port", "name", "failure", "delay", "limit").
const char* toString(FaultField field);

/// A set of fields.
class FaultFields {
public:
    constexpr FaultFields() = default;
    constexpr FaultFields(std::initializer_list<FaultField> fields) {
        for (FaultField f : fields) bits_ |= bit(f);
    }
    constexpr bool has(FaultField f) const { return (bits_ & bit(f)) != 0; }

private:
    static constexpr std::uint32_t bit(FaultField f) { return 1u << static_cast<unsigned>(f); }
    std::uint32_t bits_ = 0;
};

/// Generic values of the fields, as a scenario file gives them; a builder reads the ones its kind takes.
struct FaultValues {
    std::string host;
    std::uint16_t port = 0;
    std::string otherHost;
    std::string name;
    std::optional<DnsFailure> failure;
    std::optional<std::int64_t> delayNs;
    std::optional<std::int64_t> limit;
};

/// One row of the table.
struct FaultKindInfo {
    FaultKind kind;
    const char* name;      ///< toString(kind)
    FaultFields takes;     ///< the fields that apply to this kind
    FaultFields needs;     ///< ... and those a scenario must give
    /// A condition holds from its trigger until cleared (or durationNs ends); an action happens once.
    bool condition;
    /// The spec from field values (defaults for the optional fields not given).
    FaultSpec (*build)(const FaultValues& values);
};

/// The table: one row per FaultKind, in enum order. A row's builder gets only the values of the fields it
/// takes; the loader has checked `needs`. It lives in this header, beside the enum, so that a new kind is one
/// file: its value above, its row here, and the last kind named in the static_assert below.
inline constexpr FaultKindInfo kFaultKindTable[] = {
    {FaultKind::RefusePort, "refuse-port", {FaultField::Host, FaultField::Port}, {FaultField::Host}, true,
     [](const FaultValues& v) { return FaultSpec::refusePort(v.host, v.port); }},
    {FaultKind::DropSyn, "drop-syn", {FaultField::Host, FaultField::Port}, {FaultField::Host}, true,
     [](const FaultValues& v) { return FaultSpec::dropSyn(v.host, v.port); }},
    {FaultKind::CloseConnection, "close-connection", {FaultField::Host, FaultField::Port}, {FaultField::Host}, false,
     [](const FaultValues& v) { return FaultSpec::closeConnection(v.host, v.port); }},
    {FaultKind::ResetConnection, "reset-connection", {FaultField::Host, FaultField::Port}, {FaultField::Host}, false,
     [](const FaultValues& v) { return FaultSpec::resetConnection(v.host, v.port); }},
    {FaultKind::Partition, "partition", {FaultField::Host, FaultField::OtherHost}, {FaultField::Host, FaultField::OtherHost}, true,
     [](const FaultValues& v) { return FaultSpec::partition(v.host, v.otherHost); }},
    {FaultKind::Heal, "heal", {FaultField::Host, FaultField::OtherHost}, {FaultField::Host, FaultField::OtherHost}, false,
     [](const FaultValues& v) { return FaultSpec::heal(v.host, v.otherHost); }},
    {FaultKind::HostUnreachable, "host-unreachable", {FaultField::Host, FaultField::Delay}, {FaultField::Host}, true,
     [](const FaultValues& v) {
         return FaultSpec::hostUnreachable(v.host, v.delayNs.value_or(kDefaultHostUnreachableDelayNs));
     }},
    {FaultKind::NetworkUnreachable, "network-unreachable", {FaultField::Host}, {}, true,
     [](const FaultValues& v) { return FaultSpec::networkUnreachable(v.host); }},
    {FaultKind::LookupFailure, "lookup-failure", {FaultField::Name, FaultField::Failure}, {FaultField::Name}, true,
     [](const FaultValues& v) { return FaultSpec::lookupFailure(v.name, v.failure.value_or(DnsFailure::NxDomain)); }},
    {FaultKind::ConnectTimeout, "connect-timeout", {FaultField::Host, FaultField::Port, FaultField::Delay}, {FaultField::Host}, true,
     [](const FaultValues& v) {
         return FaultSpec::connectTimeout(v.host, v.port, v.delayNs.value_or(kDefaultConnectTimeoutDelayNs));
     }},
    {FaultKind::DescriptorExhaustion, "descriptor-exhaustion", {FaultField::Host}, {FaultField::Host}, true,
     [](const FaultValues& v) { return FaultSpec::descriptorExhaustion(v.host); }},
    {FaultKind::AddressInUse, "address-in-use", {FaultField::Host, FaultField::Port}, {FaultField::Host, FaultField::Port}, true,
     [](const FaultValues& v) { return FaultSpec::addressInUse(v.host, v.port); }},
    {FaultKind::AccessDenied, "access-denied", {FaultField::Host, FaultField::Port}, {FaultField::Host}, true,
     [](const FaultValues& v) { return FaultSpec::accessDenied(v.host, v.port); }},
    {FaultKind::DatagramLimit, "datagram-limit", {FaultField::Host, FaultField::Limit}, {FaultField::Host, FaultField::Limit}, true,
     [](const FaultValues& v) { return FaultSpec::datagramLimit(v.host, v.limit.value_or(0)); }},
};

namespace detail {
// Whether each row has a builder is checked by fault_kinds_test: under ASan GCC will not fold a
// lambda-to-pointer comparison in a constant expression.
constexpr bool faultRowsInEnumOrder() {
    for (std::size_t i = 0; i < std::size(kFaultKindTable); ++i)
        if (static_cast<std::size_t>(kFaultKindTable[i].kind) != i) return false;
    return true;
}
}  // namespace detail
static_assert(detail::faultRowsInEnumOrder(), "one row per FaultKind, in enum order");
// Names the last FaultKind: a kind added to the enum without a row fails here.
static_assert(static_cast<std::size_t>(FaultKind::DatagramLimit) + 1 == std::size(kFaultKindTable), "a FaultKind without a row");

/// Every fault kind, in FaultKind order.
std::span<const FaultKindInfo> faultKinds();
/// The row of kind.
const FaultKindInfo& faultKindInfo(FaultKind kind);

}  // namespace simsock::sim
