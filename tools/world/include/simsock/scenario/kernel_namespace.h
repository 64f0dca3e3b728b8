// The real kernel under a scenario's faults. A real engine's run of a scenario with faults happens in a
// process of its own inside fresh network and mount namespaces (the runner forks it; see isolated_run),
// so that nft rules and routes the faults need touch nobody else and die with the process. This header
// is the world's half: entering the namespaces, and the kernel realisation table, one row per
// sim::FaultKind beside the sim's own (fault_kinds.h).
#pragma once

#include <span>
#include <string>

#include "simsock/scenario/model.h"
#include "simsock/sim/fault_kinds.h"

namespace simsock::scenario {

/// How the kernel realises one fault kind, or why it cannot on this kernel.
struct KernelRealisation {
    sim::FaultKind kind;
    const char* how;         ///< the realisation ("nft reject with tcp reset"); null when impossible
    const char* impossible;  ///< why the kernel cannot (or does not yet) reproduce the kind; null when realised
};

/// The table: one row per FaultKind, in enum order.
std::span<const KernelRealisation> kernelRealisations();

/// Whether a real engine's run of s needs a namespace of its own: it has faults, links, DNS entries or
/// looks up names only the scenario's DNS knows, binds below 1024 on an unprivileged host, or has real
/// addresses (an IPv6-only host, a bind to a literal no host owns) that only a namespace makes portable.
bool needsNamespace(const Scenario& s);

/// Whether a real engine's run of s needs the scenario's DNS (namespace_dns): it has DNS entries or a
/// lookup-failure fault, or a call looks up a name other than localhost and .invalid ones.
bool needsScenarioDns(const Scenario& s);

/// Why a real engine cannot realise s even in a namespace ("" when it can): the first link, DNS entry,
/// fault kind or trigger the kernel has no realisation for.
std::string kernelRefusal(const Scenario& s);
/// Why the kernel cannot realise the fault f ("" when it can).
std::string kernelRefusal(const FaultEntry& f);

/// Moves the calling process (which must have no other thread) into fresh network and mount namespaces,
/// brings lo up and creates the run's nft table. Returns "" or why it could not; the text of a refusal
/// for want of privilege starts with kNoNamespacePrefix.
std::string enterRunNamespace();

/// Whether this process entered a run namespace (faults may be realised).
bool inRunNamespace();

/// The start of enterRunNamespace's error when the process may not create namespaces.
inline constexpr const char* kNoNamespacePrefix = "no network namespace";

}  // namespace simsock::scenario
