// The four loopback workloads of epoll_bench, each written twice with the same shape: once against raw
// epoll and non-blocking sockets (the baseline: what the kernel costs plus the least user code can do),
// once against simsock's socket API on the epoll backend. Constructors do the set-up (outside timing);
// run(n) does n units of work and throws if the kernel stops answering, so every loop is bounded.
#pragma once

#include <cstdint>
#include <memory>

namespace simsock::bench {

/// Bytes written per write call by both stream workloads.
inline constexpr std::int64_t kStreamChunkBytes = 64 * 1024;
/// Bytes a stream writer puts in flight before it lets the reader run: both stream workloads keep the
/// same amount in flight, so they move data through the caches in the same pattern and the ratio
/// measures simsock's overhead, not a difference in buffering.
inline constexpr std::int64_t kStreamWriteAheadBytes = 4 * kStreamChunkBytes;
/// Payload of every UDP datagram.
inline constexpr std::int64_t kDatagramBytes = 512;
/// Datagrams sent before the receiver drains them: well under the default receive buffer, so loopback
/// never drops one.
inline constexpr std::int64_t kDatagramBurst = 32;

/// One workload; run(n) streams n bytes, makes n round trips, n connect/accept/close cycles, or n datagrams.
class Workload {
public:
    virtual ~Workload() = default;
    virtual void run(std::int64_t n) = 0;
};

std::unique_ptr<Workload> makeRawStream();
std::unique_ptr<Workload> makeRawPingPong();
std::unique_ptr<Workload> makeRawChurn();
std::unique_ptr<Workload> makeRawUdp();

std::unique_ptr<Workload> makeSimsockStream();
std::unique_ptr<Workload> makeSimsockPingPong();
std::unique_ptr<Workload> makeSimsockChurn();
std::unique_ptr<Workload> makeSimsockUdp();

}  // namespace simsock::bench
