// A scenario's link bandwidth on the kernel of a run's own namespace (kernel_namespace.h). Every host is an
// address on lo, so every packet between two hosts leaves through lo's egress: an HTB qdisc there, one class
// per link at the link's rate and filters on the two hosts' addresses (both directions), shapes exactly the
// link's traffic. Unclassified traffic goes to HTB's direct queue: nothing else is shaped.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "simsock/scenario/model.h"

namespace simsock::scenario {

/// One link the kernel shapes: the realised addresses of its two hosts (both IPv4 or both IPv6) and its
/// rate in bytes per second (> 0).
struct ShapedLink {
    std::string a, b;
    std::int64_t bytesPerSec = 0;
};

/// The highest link bandwidth the kernel is asked for, in bytes per second (its bit rate fits tc's rate64).
inline constexpr std::int64_t kMaxShapedBytesPerSec = std::int64_t{1} << 40;

/// The tc invocations (each an argv, in order) that shape links on lo: none when links is empty, else the
/// HTB root (handle 1:, default 0), then per link i the class 1:(10+i) at bytesPerSec * 8 bit/s (ceil the
/// same: it never borrows) and one u32 filter per direction matching source and destination address.
std::vector<std::vector<std::string>> linkShapingCommands(std::span<const ShapedLink> links);

/// Why the kernel cannot realise link l ("" when it can): the first field it has no realisation for.
/// Bandwidth is realised (HTB) up to kMaxShapedBytesPerSec; an unset or zero field changes nothing.
std::string linkRefusal(const LinkSpec& l);

}  // namespace simsock::scenario
