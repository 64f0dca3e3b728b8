// Programs for the tests of programs inside scenarios: a client that greets a server and one that echoes,
// written against the public API only, as a user would. Registered from a static library on purpose: the
// runner links it whole (simsock_add_scenarios), and the tests prove the registrations survived the link.
#include <string>

#include "simsock/program.h"
#include "simsock/tcp_server.h"
#include "simsock/tcp_socket.h"

namespace simsock::testprograms {

// Connects to server:port, sends greeting + "\n", exposes the reply line and what happened.
class GreeterClient final : public Program {
public:
    explicit GreeterClient(const ProgramParams& p)
        : server_(p.string("server")), port_(p.port("port")), greeting_(p.string("greeting", "hello")),
          giveUpNs_(p.durationNs("giveUpAfter", 500'000'000)), disconnect_(p.boolean("disconnect", true)) {
        if (greeting_.find('\n') != std::string::npos) p.fail("greeting", "a greeting is one line");
    }

    void start(ProgramContext& ctx) override {
        TcpSocket& s = ctx.tcpSocket("conn");
        ctx.expose("draw", ctx.random().between(0, 999'999));
        ctx.expose("replies", 0);
        s.connected.connect([this, &s, &ctx] {
            ctx.expose("connectedAtMs", ctx.nowNs() / 1'000'000);
            s.write(greeting_ + "\n");
        });
        s.readyRead.connect([this, &s, &ctx] {
            while (s.canReadLine()) {
                std::string line = s.readLine();
                line.pop_back();
                ctx.expose("reply", line);
                ctx.expose("replies", ++replies_);
                if (disconnect_) s.disconnectFromHost();
            }
        });
        s.errorOccurred.connect([&ctx](SocketError e) { ctx.expose("error", std::string(toString(e))); });
        ctx.loop().startTimer(giveUpNs_, [&s, &ctx] {
            if (s.state() == SocketState::UnconnectedState) return;
            ctx.log("giving up");
            ctx.expose("gaveUp", 1);
            s.abort();
        }, false);
        const ProgramAddress to = ctx.reach(server_, port_);
        ctx.log("connecting to " + server_);
        s.connectToHost(to.host, to.port);
    }

    void finish(ProgramContext& ctx) override { ctx.expose("finished", 1); }

private:
    std::string server_;
    std::uint16_t port_;
    std::string greeting_;
    std::int64_t giveUpNs_;
    bool disconnect_;
    std::int64_t replies_ = 0;
};
SIMSOCK_PROGRAM("greeter-client", makeProgram<GreeterClient>)

// Listens on port; answers every line L of every connection with prefix + L, tracing each connection
// as conn1, conn2, ...
class EchoServer final : public Program {
public:
    explicit EchoServer(const ProgramParams& p) : port_(p.port("port")), prefix_(p.string("prefix", "")) {}

    void start(ProgramContext& ctx) override {
        TcpServer& server = ctx.tcpServer();
        server.newConnection.connect([this, &server, &ctx] {
            while (auto c = server.nextPendingConnection()) {
                TcpSocket& s = *c;
                connections_.push_back(std::move(c));
                ctx.trace(s, "conn" + std::to_string(connections_.size()));
                ctx.expose("accepted", static_cast<std::int64_t>(connections_.size()));
                s.readyRead.connect([this, &s] {
                    while (s.canReadLine()) s.write(prefix_ + s.readLine());
                });
            }
        });
        ctx.expose("listening", ctx.listen(server, port_) ? 1 : 0);
    }

private:
    std::uint16_t port_;
    std::string prefix_;
    std::vector<std::unique_ptr<TcpSocket>> connections_;
};
SIMSOCK_PROGRAM("echo-server", makeProgram<EchoServer>)

}  // namespace simsock::testprograms
