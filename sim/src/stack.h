// The simulated kernel: per-host descriptor tables and the socket objects behind them, with the TCP
// and UDP behaviour engines and peers see. Internal to sim/; SimEngine is its only public face.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "byte_queue.h"
#include "link_table.h"
#include "ring_queue.h"
#include "simsock/engine.h"
#include "simsock/event_loop.h"
#include "simsock/host_address.h"
#include "simsock/socket_types.h"
#include "stack_context.h"

namespace simsock::sim::detail {

/// Linux's defaults and limits, so the sim and the epoll engine report the same numbers.
inline constexpr int kTcpDefaultSndBuf = 16384;
inline constexpr int kTcpDefaultRcvBuf = 131072;
inline constexpr int kUdpDefaultBuf = 212992;
inline constexpr int kMaxBufOpt = 212992;
inline constexpr int kMinSndBuf = 4608;
inline constexpr int kMinRcvBuf = 2304;
inline constexpr int kFirstDescriptor = 3;
inline constexpr int kDefaultDescriptorLimit = 1024;
inline constexpr std::uint16_t kFirstEphemeralPort = 32768;
inline constexpr std::uint16_t kLastEphemeralPort = 60999;
inline constexpr std::int64_t kMaxUdpPayloadV4 = 65507;
inline constexpr std::int64_t kMaxUdpPayloadV6 = 65527;
inline constexpr int kMaxBacklog = 4096;

/// What both ends of one TCP connection share: its identity for logs and fault triggers.
struct ConnInfo {
    std::uint64_t id = 0;
    std::string serverHost;
    std::uint16_t serverPort = 0;
    std::int64_t carried = 0;  ///< payload bytes delivered, both directions
};

struct Segment {
    enum class Kind { SynAck, Data, Fin, Rst };
    Kind kind = Kind::Data;
    std::string bytes;
    std::int64_t arrivalNs = 0;
    bool retransmitLogged = false;
    std::uint64_t packetId = 0;  ///< for the observation log's packet facts (0: nobody observes)
};

struct Datagram {
    std::string payload;
    HostAddress from;
    std::uint16_t fromPort = 0;
    std::uint64_t packetId = 0;  ///< for the observation log's packet facts (0: nobody observes)
};

struct Sock {
    enum class State { Closed, Listening, SynSent, Established };

    std::uint64_t id = 0;
    SocketType type = SocketType::TcpSocket;
    NetworkLayerProtocol family = NetworkLayerProtocol::IPv4Protocol;
    std::string host;
    int fd = -1;
    bool orphan = false;  ///< the application closed it; the kernel may still flush it
    bool hasOwner = false;  ///< an engine has adopted the descriptor
    std::function<void()> onChange;  ///< the owning engine's wake-up; never called synchronously by it

    bool bound = false;
    bool explicitBind = false;
    BindMode bindMode;
    HostAddress localAddr;
    std::uint16_t localPort = 0;
    HostAddress peerAddr;
    std::uint16_t peerPort = 0;
    std::string peerHost;
    /// The link from host to peerHost as last looked up (a cache: reset whenever peerHost is set).
    mutable LinkRoute peerRoute;
    State state = State::Closed;

    // Options as getsockopt reports them.
    int noDelay = 0, keepAlive = 0, mcastTtl = 1, mcastLoop = 1, tos = 0;
    int sndBuf = kTcpDefaultSndBuf, rcvBuf = kTcpDefaultRcvBuf;

    // TCP.
    ByteQueue sendQ;
    ByteQueue recvQ;
    std::int64_t unacked = 0;   ///< sent, not yet acknowledged: still counts against sndBuf
    std::int64_t inFlight = 0;  ///< sent, not yet arrived: counts against the peer's window
    bool finReceived = false, resetReceived = false, shutWrite = false, finSent = false;
    int pendingError = 0;  ///< reported once by the next read/write (SO_ERROR)
    int connectResult = 0;
    bool connectDone = false;  ///< a connect that returned EINPROGRESS has its result
    std::weak_ptr<Sock> peer;
    std::shared_ptr<ConnInfo> conn;
    RingQueue<Segment> flight;
    TimerId flightTimer = kNoTimer;
    std::int64_t lastArrivalNs = 0;
    bool pumpScheduled = false;
    TimerId connectTimer = kNoTimer;
    bool synInFlight = false;  ///< connectTimer is the SYN's arrival: closing the socket cannot take it back
    int backlog = 0;
    RingQueue<std::shared_ptr<Sock>> acceptQ;

    // UDP.
    RingQueue<Datagram> datagrams;
    std::int64_t datagramBytes = 0;
    bool udpConnected = false;

    bool isTcp() const { return type == SocketType::TcpSocket; }
    void changed() const {
        if (onChange) onChange();
    }
};

struct HostState {
    std::string name;
    std::vector<HostAddress> addresses;
    bool privileged = false;
    int descriptorLimit = kDefaultDescriptorLimit;
    std::map<int, std::shared_ptr<Sock>> fds;
    std::uint16_t nextEphemeral = kFirstEphemeralPort;
    // Indexes over fds, so that a host holding 100,000 sockets finds in O(log n) what a walk found:
    // the numbers below nextFd that fds does not hold (the lowest is the next descriptor, as on Linux),
    // and the listening sockets by (port, descriptor), in the order the walk met them.
    std::set<int> freeFds;
    int nextFd = kFirstDescriptor;
    std::set<std::pair<std::uint16_t, int>> listeners;
};

/// Where a packet to an address goes from a host, as the kernel sees it (faults aside: the stack asks
/// the fault plan about the destination where the outcome is decided).
struct Route {
    std::string dstHost;  ///< empty when nobody owns the address
    int error = 0;        ///< nobody owns it: ENETUNREACH (at once) or EHOSTUNREACH (ARP, after a delay)
    bool local = false;   ///< loopback or one of the sender's own addresses: the packet never leaves the host
};

class Stack {
public:
    /// A kernel in ctx's network (whose parts must outlive it).
    explicit Stack(StackContext ctx);

    // Hosts.
    HostState* host(const std::string& name);
    const HostState* host(const std::string& name) const;
    HostState& addHost(const std::string& name);
    /// Gives h one more address (kept in order in h.addresses, indexed for hostOwning and route).
    void addAddress(HostState& h, const HostAddress& address);
    const std::map<std::string, HostState>& hosts() const { return hosts_; }
    /// The host owning address (loopback addresses: none), or the empty string.
    std::string hostOwning(const HostAddress& address) const;
    /// Host entries examined so far to find who owns an address or a network (for complexity tests).
    std::uint64_t addressProbes() const { return addressProbes_; }

    // Descriptors.
    int openSocket(const std::string& host, SocketType type, NetworkLayerProtocol family, int& fd);
    std::shared_ptr<Sock> lookup(const std::string& host, int fd) const;
    void closeSocket(const std::shared_ptr<Sock>& s);
    void abortSocket(const std::shared_ptr<Sock>& s);

    // Socket calls (stack.cpp, stack_tcp.cpp, stack_udp.cpp).
    int bind(Sock& s, const HostAddress& address, std::uint16_t port, BindMode mode);
    int connect(const std::shared_ptr<Sock>& s, const HostAddress& address, std::uint16_t port);
    int listen(Sock& s, int backlog);
    int accept(Sock& s, int& err);
    IoResult read(const std::shared_ptr<Sock>& s, char* data, std::size_t maxSize);
    IoResult write(const std::shared_ptr<Sock>& s, const char* data, std::size_t size);
    IoResult readDatagram(Sock& s, char* data, std::size_t maxSize, DatagramHeader* header);
    IoResult writeDatagram(const std::shared_ptr<Sock>& s, const char* data, std::size_t size,
                           const HostAddress& address, std::uint16_t port);
    int setOption(const std::shared_ptr<Sock>& s, SocketOption option, int value);
    std::optional<int> option(const Sock& s, SocketOption option) const;
    bool readable(const Sock& s) const;
    bool writable(const Sock& s) const;

    // Fault actions on established connections.
    void closeFromServerSide(const std::shared_ptr<Sock>& s, const std::string& why);
    void resetFromServerSide(const std::shared_ptr<Sock>& s, const std::string& why);
    /// Every established server-side socket on host:port (port 0: any), in descriptor order.
    std::vector<std::shared_ptr<Sock>> serverSockets(const std::string& host, std::uint16_t port) const;

    /// "host addr:port" for logs.
    static std::string endpoint(const std::string& host, const HostAddress& a, std::uint16_t port);

private:
    // stack.cpp
    int allocateDescriptor(HostState& h, const std::shared_ptr<Sock>& s);
    void releaseDescriptor(HostState& h, const Sock& s);
    bool ownsAddress(const HostState& h, const HostAddress& a) const;
    bool bindConflict(const HostState& h, const Sock& s, const HostAddress& a, std::uint16_t port) const;
    std::uint16_t ephemeralPort(HostState& h, SocketType type);
    int autobind(Sock& s, const HostAddress& towards);
    Route route(const std::string& src, const HostAddress& dst) const;
    std::optional<HostAddress> sourceAddress(const Sock& s, const Route& r, const HostAddress& dst) const;
    int setBufferOption(const std::shared_ptr<Sock>& s, bool send, int value);
    std::optional<int> pathMtu(const Sock& s) const;
    bool addressMatches(const Sock& s, const HostAddress& dst) const;

    // stack_tcp.cpp
    void synArrives(const std::shared_ptr<Sock>& client, const std::string& dstHost, HostAddress dst,
                    std::uint16_t port, std::uint64_t packetId);
    int failConnectAfter(const std::shared_ptr<Sock>& s, std::int64_t delayNs, int error, std::uint64_t synId,
                         const char* why);
    void finishConnect(const std::shared_ptr<Sock>& client, int error);
    void rejectSyn(const std::shared_ptr<Sock>& client, const std::string& dstHost, const std::string& why);
    std::shared_ptr<Sock> findListener(const std::string& host, const HostAddress& dst, std::uint16_t port) const;
    std::shared_ptr<Sock> makeServerSock(Sock& listener, const std::shared_ptr<Sock>& client, const HostAddress& dst);
    void pump(const std::shared_ptr<Sock>& s);
    void sendSegment(const std::shared_ptr<Sock>& s, Segment seg);
    void scheduleHead(const std::shared_ptr<Sock>& s);
    void deliverHead(const std::shared_ptr<Sock>& s);
    void applySegment(const std::shared_ptr<Sock>& from, Segment& seg);
    void dataArrives(const std::shared_ptr<Sock>& from, const std::shared_ptr<Sock>& to, Segment& seg);
    void rstArrives(Sock& to);
    void synAckArrives(const std::shared_ptr<Sock>& from, const std::shared_ptr<Sock>& to);
    void statelessRst(const std::shared_ptr<Sock>& towards, const std::string& fromHost);
    void windowUpdate(const std::shared_ptr<Sock>& reader);
    void countCarried(const std::shared_ptr<Sock>& to, std::int64_t n);
    void sendRst(const std::shared_ptr<Sock>& s);
    int tcpMss(const Sock& s) const;
    std::int64_t window(const Sock& s) const;

    // stack_udp.cpp
    std::int64_t datagramLimit(const Sock& s, const Route& r, const HostAddress& dst) const;
    void datagramArrives(const std::string& dstHost, HostAddress dst, std::uint16_t dstPort, Datagram d,
                         const std::weak_ptr<Sock>& sender);
    std::shared_ptr<Sock> findUdpReceiver(const std::string& host, const HostAddress& dst, std::uint16_t port,
                                          const HostAddress& from, std::uint16_t fromPort) const;
    void portUnreachable(const std::weak_ptr<Sock>& sender, const std::string& fromHost, const HostAddress& dst,
                         std::uint16_t dstPort);

    StackContext ctx_;
    std::map<std::string, HostState> hosts_;
    std::map<std::uint64_t, std::shared_ptr<Sock>> orphans_;  // closed sockets still flushing
    // Indexes of every host's addresses, so that finding an owner costs a lookup, not a walk over the
    // hosts (20k hosts took 11 s). Loopback addresses have no owner; every address has a network.
    using NetworkKey = std::pair<int, std::uint64_t>;  // the protocol, and the /24 (IPv4) or /64 (IPv6) prefix
    static NetworkKey networkOf(const HostAddress& a);
    std::map<HostAddress, std::string> owners_;
    std::map<NetworkKey, int> networks_;  // addresses per network
    mutable std::uint64_t addressProbes_ = 0;
    std::uint64_t nextSockId_ = 1;
    std::uint64_t nextConnId_ = 1;
};

}  // namespace simsock::sim::detail
