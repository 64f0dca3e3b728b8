// One of the user's programs in one execution: the ProgramContext it runs with (its host's backend, traced
// sockets, the seeded random source, exposed values) and the program itself.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "simsock/abstract_socket.h"
#include "simsock/program.h"
#include "simsock/scenario/world.h"
#include "simsock/tcp_server.h"
#include "simsock/trace.h"

namespace simsock::scenario {

class ProgramRun final : public ProgramContext {
public:
    /// Constructs spec's program with its parameters (checked by the loader); baseNs is the run's start.
    ProgramRun(const ProgramSpec& spec, const Scenario& s, World& world, Trace& trace, std::int64_t baseNs);
    ~ProgramRun() override;
    ProgramRun(const ProgramRun&) = delete;
    ProgramRun& operator=(const ProgramRun&) = delete;

    const ProgramSpec& spec() const { return spec_; }
    /// Calls the program's start() (once).
    void start();
    /// Calls the program's finish() (once, at the end of the run).
    void finish();
    /// Stops recording: the trace must not grow after the observation is collected.
    void detach();
    const std::map<std::string, ProgramValue>& exposed() const { return exposed_; }
    const std::vector<std::string>& problems() const { return problems_; }

    // ProgramContext
    const std::string& name() const override { return spec_.name; }
    const std::string& host() const override { return spec_.host; }
    Backend& backend() override { return world_.backendOn(spec_.host); }
    std::int64_t nowNs() const override { return world_.loop().nowNs() - baseNs_; }
    ProgramRandom& random() override { return random_; }
    TcpSocket& tcpSocket(const std::string& name) override;
    UdpSocket& udpSocket(const std::string& name) override;
    TcpServer& tcpServer() override;
    void trace(AbstractSocket& socket, const std::string& name) override;
    ProgramAddress reach(const std::string& hostOrLiteral, std::uint16_t port, SocketType type) override;
    bool listen(TcpServer& server, std::uint16_t port) override;
    void expose(const std::string& key, ProgramValue value) override { exposed_[key] = std::move(value); }
    void log(const std::string& text) override;

private:
    template <typename S>
    S& ownSocket(const std::string& name);

    const ProgramSpec& spec_;
    World& world_;
    Trace& trace_;
    std::int64_t baseNs_;
    ProgramRandom random_;
    std::vector<std::string> problems_;
    std::map<std::string, ProgramValue> exposed_;
    std::vector<std::string> traced_;  // names given to trace(), each once
    std::vector<std::unique_ptr<TraceRecorder>> recorders_;
    // Declared before the program: it is destroyed first, while the objects it may refer to still exist.
    std::vector<std::unique_ptr<AbstractSocket>> sockets_;
    std::vector<std::unique_ptr<TcpServer>> servers_;
    std::unique_ptr<Program> program_;
    bool started_ = false;
};

}  // namespace simsock::scenario
