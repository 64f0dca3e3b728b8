// The calls' arguments (keys, order, whether given) and how a trace spells a call's arguments and return.
#include <array>

#include "simsock/check.h"
#include "simsock/scenario/calls.h"
#include "simsock/scenario/model.h"
#include "simsock/trace.h"

namespace simsock::scenario {
namespace {

using A = CallArg;

constexpr std::array<CallArg, kCallArgCount> kArgOrder{
    A::Payload, A::HostName, A::LocalAddress, A::RemoteAddress, A::Port,       A::MaxSize,     A::BufferSize,
    A::Option,  A::Value,    A::Timeout,      A::Byte,          A::Tag,        A::Pause,       A::ProxyArg,
    A::Descriptor, A::StateArg, A::OpenModeArg, A::As};

constexpr std::string_view kPayloadKeys[] = {"data", "size"};
constexpr std::string_view kHostKey[] = {"host"};
constexpr std::string_view kPortKey[] = {"port"};
constexpr std::string_view kSizeKey[] = {"size"};
constexpr std::string_view kOptionKey[] = {"option"};
constexpr std::string_view kValueKey[] = {"value"};
constexpr std::string_view kTimeoutKey[] = {"timeout"};
constexpr std::string_view kCharKey[] = {"char"};
constexpr std::string_view kTagKey[] = {"tag"};
constexpr std::string_view kModeKey[] = {"mode"};
constexpr std::string_view kProxyKey[] = {"proxy"};
constexpr std::string_view kDescriptorKey[] = {"descriptor"};
constexpr std::string_view kStateKey[] = {"state"};
constexpr std::string_view kOpenModeKey[] = {"openMode"};
constexpr std::string_view kAsKey[] = {"as"};

// Longer texts are spelled by their length: a trace line stays one readable line (the bytes themselves
// are what `expect.sockets.read` and the peers' `received` check).
constexpr std::size_t kMaxSpelledText = 40;

std::string spellText(const std::string& s) {
    if (s.size() > kMaxSpelledText) return "<" + std::to_string(s.size()) + " bytes>";
    std::string out;
    appendJsonString(out, s);
    return out;
}

std::string spellProxy(const ProxySpec& p) {
    std::string out(toString(p.type));
    if (!p.host.empty()) out += ", " + spellText(p.host) + ", " + std::to_string(p.port);
    return out;
}

std::string spellArg(CallArg arg, const ActionSpec& a) {
    switch (arg) {
    case A::Payload:
    case A::Byte:
    case A::Tag: return spellText(a.data);
    case A::HostName:
    case A::LocalAddress:
    case A::RemoteAddress: return spellText(a.host);
    case A::Port: return a.portOf.empty() ? std::to_string(a.port) : "portOf(" + a.portOf + ")";
    case A::MaxSize:
    case A::BufferSize: return std::to_string(a.size);
    case A::Option: return std::string(toString(a.option));
    case A::Value: return std::to_string(a.value);
    case A::Timeout: return std::to_string(a.timeoutMs);
    case A::Pause: return std::string(toString(a.pauseMode));
    case A::ProxyArg: return spellProxy(a.proxy);
    case A::Descriptor: return a.descriptorFrom.empty() ? std::to_string(a.descriptor) : "takeFrom(" + a.descriptorFrom + ")";
    case A::StateArg: return std::string(toString(a.state.value_or(SocketState::ConnectedState)));
    case A::OpenModeArg: return std::string(toString(a.openMode.value_or(OpenModeFlag::ReadWrite)));
    case A::As: return a.as;
    }
    SIMSOCK_ASSERT(false);
    return {};
}

}  // namespace

std::span<const CallArg> callArgOrder() { return kArgOrder; }

std::span<const std::string_view> callArgKeys(CallArg arg) {
    switch (arg) {
    case A::Payload: return kPayloadKeys;
    case A::HostName:
    case A::LocalAddress:
    case A::RemoteAddress: return kHostKey;
    case A::Port: return kPortKey;
    case A::MaxSize:
    case A::BufferSize: return kSizeKey;
    case A::Option: return kOptionKey;
    case A::Value: return kValueKey;
    case A::Timeout: return kTimeoutKey;
    case A::Byte: return kCharKey;
    case A::Tag: return kTagKey;
    case A::Pause: return kModeKey;
    case A::ProxyArg: return kProxyKey;
    case A::Descriptor: return kDescriptorKey;
    case A::StateArg: return kStateKey;
    case A::OpenModeArg: return kOpenModeKey;
    case A::As: return kAsKey;
    }
    SIMSOCK_ASSERT(false);
    return {};
}

bool isGiven(CallArg arg, const ActionSpec& a) {
    switch (arg) {
    case A::HostName:
    case A::LocalAddress:
    case A::RemoteAddress: return !a.host.empty();
    case A::Port: return a.port != 0 || !a.portOf.empty();
    case A::MaxSize:
    case A::BufferSize: return a.size >= 0;
    case A::StateArg: return a.state.has_value();
    case A::OpenModeArg: return a.openMode.has_value();
    case A::Payload:
    case A::Option:
    case A::Value:
    case A::Timeout:
    case A::Byte:
    case A::Tag:
    case A::Pause:
    case A::ProxyArg:
    case A::Descriptor:
    case A::As: return true;
    }
    return true;
}

std::string traceSpelling(const ReturnValue& value) {
    if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
    if (const std::int64_t* n = std::get_if<std::int64_t>(&value)) return std::to_string(*n);
    if (const std::string* s = std::get_if<std::string>(&value)) return spellText(*s);
    if (const Word* w = std::get_if<Word>(&value)) return w->text;
    return "null";
}

std::vector<std::string> traceArguments(const ActionSpec& action) {
    const CallInfo& ci = callInfo(action.call);
    std::vector<std::string> out;
    for (CallArg arg : callArgOrder()) {
        // `as` is the scenario's name for the result, not an argument of Qt's call (the return shows it).
        if (arg == A::As || !ci.takes.has(arg) || !(ci.needs.has(arg) || isGiven(arg, action))) continue;
        out.push_back(spellArg(arg, action));
    }
    return out;
}

}  // namespace simsock::scenario
