// The lineproto client and server as programs for scenarios: SIMSOCK_PROGRAM("lineproto-client") and
// SIMSOCK_PROGRAM("lineproto-server"), their parameters read from the scenario and their counters exposed
// for expect.programs.
#include <memory>

#include "line_client.h"
#include "line_server.h"
#include "simsock/program.h"

namespace lineproto {
namespace {

ClientOptions clientOptions(const simsock::ProgramParams& p) {
    ClientOptions o;
    o.server = p.string("server");
    o.port = p.port("port");
    o.requests = static_cast<int>(p.integer("requests", 1));
    o.window = static_cast<int>(p.integer("window", 1));
    o.idPrefix = p.string("idPrefix", "r");
    o.connectTimeoutNs = p.durationNs("connectTimeout", o.connectTimeoutNs);
    o.requestTimeoutNs = p.durationNs("requestTimeout", o.requestTimeoutNs);
    o.backoffInitialNs = p.durationNs("backoffInitial", o.backoffInitialNs);
    o.backoffMaxNs = p.durationNs("backoffMax", o.backoffMaxNs);
    o.maxAttempts = static_cast<int>(p.integer("maxAttempts", o.maxAttempts));
    if (o.requests < 0 || o.requests > 100000) p.fail("requests", "requests is 0..100000");
    if (o.window < 1) p.fail("window", "window is at least 1");
    if (o.maxAttempts < 1) p.fail("maxAttempts", "maxAttempts is at least 1");
    if (o.idPrefix.find_first_of(" \n0123456789") != std::string::npos)
        p.fail("idPrefix", "an id prefix has no digits, spaces or line breaks");
    return o;
}

class ClientProgram final : public simsock::Program {
public:
    explicit ClientProgram(const simsock::ProgramParams& p) : options_(clientOptions(p)) {}

    void start(simsock::ProgramContext& ctx) override {
        simsock::TcpSocket& socket = ctx.tcpSocket("conn");
        client_ = std::make_unique<LineClient>(
            socket, ctx.loop(), ctx.random(), options_,
            [this, &ctx] { return ctx.reach(options_.server, options_.port); },
            [&ctx](const std::string& line) { ctx.log(line); });
        client_->onDone = [this, &ctx] {
            ctx.expose("doneAtMs", ctx.nowNs() / 1'000'000);
            expose(ctx);
        };
        client_->start();
    }

    void finish(simsock::ProgramContext& ctx) override {
        if (client_) expose(ctx);
    }

private:
    void expose(simsock::ProgramContext& ctx) const {
        const ClientStats& s = client_->stats();
        ctx.expose("completed", s.completed);
        ctx.expose("failed", s.failed);
        ctx.expose("duplicateReplies", s.duplicateReplies);
        ctx.expose("badReplies", s.badReplies);
        ctx.expose("resent", s.resent);
        ctx.expose("connectAttempts", s.connectAttempts);
        ctx.expose("connects", s.connects);
        ctx.expose("connectTimeouts", s.connectTimeouts);
        ctx.expose("requestTimeouts", s.requestTimeouts);
        ctx.expose("backoffsMs", s.backoffsMs);
        ctx.expose("lastError", s.lastError);
        ctx.expose("done", s.done ? 1 : 0);
    }

    ClientOptions options_;
    std::unique_ptr<LineClient> client_;
};

class ServerProgram final : public simsock::Program {
public:
    explicit ServerProgram(const simsock::ProgramParams& p) : port_(p.port("port")) {
        options_.silentAfter = p.integer("silentAfter", -1);
        options_.silentForNs = p.durationNs("silentFor", -1);
        if (p.durationNs("silentFor", 0) > 0 && options_.silentAfter < 0)
            p.fail("silentFor", "silentFor needs silentAfter");
    }

    void start(simsock::ProgramContext& ctx) override {
        simsock::TcpServer& server = ctx.tcpServer();
        server_ = std::make_unique<LineServer>(server, ctx.loop(), options_,
                                               [&ctx](simsock::TcpSocket& s, std::int64_t index) {
                                                   ctx.trace(s, "conn" + std::to_string(index));
                                               });
        ctx.expose("listening", ctx.listen(server, port_) ? 1 : 0);
    }

    void finish(simsock::ProgramContext& ctx) override {
        if (!server_) return;
        ctx.expose("executed", server_->stats().executed);
        ctx.expose("duplicateRequests", server_->stats().duplicateRequests);
        ctx.expose("badRequests", server_->stats().badRequests);
        ctx.expose("connections", server_->stats().connections);
    }

private:
    std::uint16_t port_;
    ServerOptions options_;
    std::unique_ptr<LineServer> server_;
};

}  // namespace
}  // namespace lineproto

SIMSOCK_PROGRAM("lineproto-client", simsock::makeProgram<lineproto::ClientProgram>)
SIMSOCK_PROGRAM("lineproto-server", simsock::makeProgram<lineproto::ServerProgram>)
