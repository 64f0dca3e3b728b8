// Your programs inside scenarios. A program is your own C++ code written against simsock's sockets (a
// client, a server, a retry loop); registered by name, a scenario file runs it on a host of its network,
// on the sim and on real engines, with parameters from the file and faults around it:
//
//   class Pinger : public simsock::Program {
//   public:
//       explicit Pinger(const simsock::ProgramParams& p) : server_(p.string("server")), port_(p.port("port")) {}
//       void start(simsock::ProgramContext& ctx) override {
//           simsock::TcpSocket& s = ctx.tcpSocket("conn");          // traced as "<program>.conn"
//           auto to = ctx.reach(server_, port_);
//           s.connected.connect([&ctx] { ctx.expose("connected", 1); });
//           s.connectToHost(to.host, to.port);
//       }
//   private: std::string server_; std::uint16_t port_;
//   };
//   SIMSOCK_PROGRAM("pinger", simsock::makeProgram<Pinger>);
//
// Parameters are read in the constructor: the loader constructs each program of a file once to check
// them, so a missing or mistyped parameter is a load error naming file:line:col and JSON path.
// Registration happens at static initialisation: link the library holding SIMSOCK_PROGRAM lines as an
// OBJECT library or whole (simsock_add_scenarios does that), or the linker drops the unreferenced objects.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "simsock/backend.h"
#include "simsock/socket_types.h"

namespace simsock {

class AbstractSocket;
class TcpServer;
class TcpSocket;
class UdpSocket;

/// A program's parameters: the JSON object `params` of its entry in the scenario's `programs`. Every getter
/// without a fallback requires the parameter; a missing or wrong-typed one throws the loader's error
/// (`file:line:col: $.programs[0].params.port: expected a number, got string`).
class ProgramParams {
public:
    enum class Type { String, Integer, Duration, Boolean };
    using Value = std::variant<std::string, std::int64_t, bool>;

    virtual ~ProgramParams() = default;

    /// A string parameter.
    std::string string(std::string_view name) const { return std::get<std::string>(require(name, Type::String)); }
    /// A string parameter, or fallback when absent.
    std::string string(std::string_view name, std::string fallback) const;
    /// An integer parameter (a JSON number without fraction).
    std::int64_t integer(std::string_view name) const { return std::get<std::int64_t>(require(name, Type::Integer)); }
    /// An integer parameter, or fallback when absent.
    std::int64_t integer(std::string_view name, std::int64_t fallback) const;
    /// A port: an integer in 0..65535.
    std::uint16_t port(std::string_view name) const;
    /// A duration ("150ms", "2s", "10us") in nanoseconds.
    std::int64_t durationNs(std::string_view name) const { return std::get<std::int64_t>(require(name, Type::Duration)); }
    /// A duration in nanoseconds, or fallbackNs when absent.
    std::int64_t durationNs(std::string_view name, std::int64_t fallbackNs) const;
    /// A boolean parameter.
    bool boolean(std::string_view name) const { return std::get<bool>(require(name, Type::Boolean)); }
    /// A boolean parameter, or fallback when absent.
    bool boolean(std::string_view name, bool fallback) const;
    /// Rejects a present parameter's value (out of range, inconsistent): a load error at its place.
    [[noreturn]] virtual void fail(std::string_view name, const std::string& message) const = 0;

protected:
    /// The parameter as type, or nullopt when absent; throws when present with another type.
    virtual std::optional<Value> find(std::string_view name, Type type) const = 0;
    /// The parameter as type; throws when absent or of another type.
    virtual Value require(std::string_view name, Type type) const = 0;
};

/// A deterministic random source for a program: seeded from the scenario's seed and the program's name,
/// so a run repeats exactly (no std:: distributions: their output differs between standard libraries).
class ProgramRandom {
public:
    explicit ProgramRandom(std::uint64_t seed) : state_(seed) {}
    /// The next 64 random bits (SplitMix64).
    std::uint64_t next();
    /// A number in [lo, hi] (lo <= hi).
    std::int64_t between(std::int64_t lo, std::int64_t hi);

private:
    std::uint64_t state_;
};

/// Where a program reaches a scenario's host:port in the world it runs in (on a real engine, the loopback
/// address and port that stand for it).
struct ProgramAddress {
    std::string host;  ///< a literal address, or a DNS name left for the lookup
    std::uint16_t port = 0;
};

/// A value a program exposes for `expect.programs.<name>.<key>`.
using ProgramValue = std::variant<std::int64_t, std::string>;

/// What a running program gets from the scenario runner. Objects it returns live until the end of the run.
class ProgramContext {
public:
    virtual ~ProgramContext() = default;
    /// The program's name in the scenario (`programs[i].name`).
    virtual const std::string& name() const = 0;
    /// The scenario host it runs on.
    virtual const std::string& host() const = 0;
    /// The backend of its host: make any socket or server of the API with it.
    virtual Backend& backend() = 0;
    /// The loop of its backend (timers, post).
    EventLoop& loop() { return backend().loop(); }
    /// Nanoseconds since the run started (virtual on the sim).
    virtual std::int64_t nowNs() const = 0;
    /// Its seeded random source.
    virtual ProgramRandom& random() = 0;
    /// A new TcpSocket on its host whose signals are recorded in the run's trace as `<program>.<name>`.
    virtual TcpSocket& tcpSocket(const std::string& name) = 0;
    /// A new UdpSocket on its host, traced as `<program>.<name>`.
    virtual UdpSocket& udpSocket(const std::string& name) = 0;
    /// A new TcpServer on its host (listen with listen() below).
    virtual TcpServer& tcpServer() = 0;
    /// Records socket's signals from now on as `<program>.<name>` (an accepted connection); the socket may
    /// be destroyed before the run ends.
    virtual void trace(AbstractSocket& socket, const std::string& name) = 0;
    /// Where to connect (or send) to reach the scenario's hostOrLiteral:port (a host name of the network,
    /// an address literal, or a DNS name, which is passed through for the lookup).
    virtual ProgramAddress reach(const std::string& hostOrLiteral, std::uint16_t port,
                                 SocketType type = SocketType::TcpSocket) = 0;
    /// Makes server listen on every address of its host at the scenario's port (reach() finds it there).
    virtual bool listen(TcpServer& server, std::uint16_t port) = 0;
    /// Sets the value `expect.programs.<program>.<key>` is compared with (the last one set counts).
    virtual void expose(const std::string& key, ProgramValue value) = 0;
    /// Appends a line to the run's log (the sequence diagram and the determinism check see it).
    virtual void log(const std::string& text) = 0;
};

/// Your code in a scenario. Construct from ProgramParams (read every parameter there); start() runs at the
/// program's start time on its host's loop; it then lives on signals and timers until the run ends.
class Program {
public:
    virtual ~Program() = default;
    /// Called once, at `programs[i].start`.
    virtual void start(ProgramContext& ctx) = 0;
    /// Called once when the run's time is over, before the expectations are checked (expose final values).
    virtual void finish(ProgramContext&) {}
};

/// Makes a program from its parameters.
using ProgramFactory = std::function<std::unique_ptr<Program>(const ProgramParams&)>;

/// The factory of a Program class constructible from ProgramParams.
template <typename P>
std::unique_ptr<Program> makeProgram(const ProgramParams& params) {
    return std::make_unique<P>(params);
}

/// The one table of program names: every SIMSOCK_PROGRAM line of the linked code.
class ProgramRegistry {
public:
    static ProgramRegistry& instance();
    /// Registers factory as name; false when the name is taken or empty.
    bool add(std::string name, ProgramFactory factory);
    /// The factory registered as name, or null.
    const ProgramFactory* find(std::string_view name) const;
    /// Every registered name, sorted.
    std::vector<std::string> names() const;

private:
    std::vector<std::pair<std::string, ProgramFactory>> entries_;  // kept sorted by name
};

/// What SIMSOCK_PROGRAM expands to: registers at static initialisation; a duplicate name stops the program.
struct ProgramRegistration {
    ProgramRegistration(const char* name, ProgramFactory factory);
};

}  // namespace simsock

#define SIMSOCK_PROGRAM_JOIN2(a, b) a##b
#define SIMSOCK_PROGRAM_JOIN(a, b) SIMSOCK_PROGRAM_JOIN2(a, b)
/// Registers a program under NAME (a string) made by FACTORY (a ProgramFactory, e.g. makeProgram<P>). At
/// namespace scope; unique per translation unit (unity builds included).
#define SIMSOCK_PROGRAM(NAME, FACTORY)                                                      \
    namespace {                                                                             \
    const ::simsock::ProgramRegistration SIMSOCK_PROGRAM_JOIN(simsockProgramRegistration_, \
                                                              __COUNTER__){NAME, FACTORY};  \
    }
