// What the wire between two simulated hosts does to traffic.
#pragma once

#include <cstdint>

namespace simsock::sim {

/// Properties of the path between two hosts (the same in both directions). Probabilities are parts
/// per million and default to zero: a fault only happens when a scenario asks for it.
struct LinkParams {
    std::int64_t latencyNs = 50'000;           ///< one-way propagation delay
    std::int64_t jitterNs = 0;                 ///< extra delay drawn uniformly from [0, jitterNs]
    std::int64_t bandwidthBytesPerSec = 0;     ///< serialisation rate per direction; 0 = unlimited
    std::uint32_t lossPpm = 0;                 ///< UDP: dropped; TCP: delivered after tcpRetransmitNs
    std::uint32_t duplicatePpm = 0;            ///< UDP only: the datagram arrives twice
    std::uint32_t reorderPpm = 0;              ///< UDP only: the datagram is held back by reorderDelayNs
    std::int64_t reorderDelayNs = 1'000'000;   ///< how long a reordered datagram is held back
    std::int64_t tcpRetransmitNs = 200'000'000;///< the delay a lost TCP segment costs
    int mtu = 1500;                            ///< IP MTU; TCP segments are cut to fit it
    bool mtuLimitsDatagrams = false;           ///< UDP payloads above the MTU fail with EMSGSIZE (IP_PMTUDISC_DO)
    std::int64_t maxDatagram = 0;              ///< a lower UDP payload limit on this path (EMSGSIZE); 0 = none
};

/// The loopback interface's defaults (Linux lo: MTU 65536, a few microseconds).
inline LinkParams loopbackLinkParams() {
    LinkParams p;
    p.latencyNs = 10'000;
    p.mtu = 65536;
    return p;
}

}  // namespace simsock::sim
