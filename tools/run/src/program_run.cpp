#include "program_run.h"

#include <algorithm>

#include "simsock/scenario/diagnostic.h"
#include "simsock/scenario/program_params.h"
#include "simsock/tcp_socket.h"
#include "simsock/udp_socket.h"

namespace simsock::scenario {
namespace {

// The program's own stream: the scenario's seed and its name, so two programs of one run differ and a
// program added to a file leaves the others' draws alone.
std::uint64_t programSeed(std::uint64_t seed, const std::string& name) {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
    return seed ^ h;
}

}  // namespace

ProgramRun::ProgramRun(const ProgramSpec& spec, const Scenario& s, World& world, Trace& trace, std::int64_t baseNs)
    : spec_(spec), world_(world), trace_(trace), baseNs_(baseNs), random_(programSeed(s.seed, spec.name)) {
    const ProgramFactory* factory = ProgramRegistry::instance().find(spec.program);
    if (!factory) {
        problems_.push_back("program " + spec.name + ": no program named \"" + spec.program + "\"");
        return;
    }
    try {
        JsonProgramParams params(spec.params, spec.paramsPath, s.file);
        program_ = (*factory)(params);
    } catch (const std::exception& e) {
        problems_.push_back("program " + spec.name + ": " + e.what());
    }
}

ProgramRun::~ProgramRun() {
    detach();
    program_.reset();
}

void ProgramRun::start() {
    if (!program_ || started_) return;
    started_ = true;
    program_->start(*this);
}

void ProgramRun::finish() {
    if (program_ && started_) program_->finish(*this);
}

void ProgramRun::detach() {
    for (auto& r : recorders_) r->detach();
}

template <typename S>
S& ProgramRun::ownSocket(const std::string& name) {
    auto socket = std::make_unique<S>(backend());
    S& ref = *socket;
    sockets_.push_back(std::move(socket));
    trace(ref, name);
    return ref;
}

TcpSocket& ProgramRun::tcpSocket(const std::string& name) { return ownSocket<TcpSocket>(name); }

UdpSocket& ProgramRun::udpSocket(const std::string& name) { return ownSocket<UdpSocket>(name); }

TcpServer& ProgramRun::tcpServer() {
    servers_.push_back(std::make_unique<TcpServer>(backend()));
    return *servers_.back();
}

void ProgramRun::trace(AbstractSocket& socket, const std::string& name) {
    // Two objects under one name would make the trace ambiguous: the second is a problem of the run.
    if (std::find(traced_.begin(), traced_.end(), name) != traced_.end())
        problems_.push_back("program " + spec_.name + ": two sockets traced as \"" + name + "\"");
    traced_.push_back(name);
    socket.setObjectName(spec_.name + "." + name);
    recorders_.push_back(std::make_unique<TraceRecorder>(socket, trace_));
}

ProgramAddress ProgramRun::reach(const std::string& hostOrLiteral, std::uint16_t port, SocketType type) {
    if (auto at = world_.endpointOf(hostOrLiteral, port, type, spec_.host)) return {at->address.toString(), at->port};
    return {hostOrLiteral, port};
}

// As a scenario's listen action on the program's host: the world puts the scenario's port where it is.
bool ProgramRun::listen(TcpServer& server, std::uint16_t port) {
    ActionSpec a;
    a.call = Call::Listen;
    a.port = port;
    ActionSpec r = world_.realise(a, spec_.host, SocketType::TcpSocket);
    const HostAddress at = r.host.empty() ? HostAddress(HostAddress::SpecialAddress::Any) : HostAddress(r.host);
    return server.listen(at, r.port);
}

void ProgramRun::log(const std::string& text) {
    LogEvent e;
    e.timeNs = world_.loop().nowNs();
    e.actor = spec_.name;
    e.what = "log";
    e.detail = text;
    world_.log().push_back(std::move(e));
}

}  // namespace simsock::scenario
