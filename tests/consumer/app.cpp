// The consumer's program, on the simulated network (simsock::sim): a server host answers one greeting.
// Prints the reply; exits 0 when it is the expected one.
#include <iostream>
#include <memory>
#include <vector>

#include <simsock/sim/network.h>
#include <simsock/sim/sim_backend.h>
#include <simsock/simsock.h>

#include "greeter.h"

int main() {
    simsock::sim::Network net(7);
    net.addHost("server", {simsock::HostAddress("10.0.0.2")});
    simsock::sim::SimBackend serverHost(net, "server");
    simsock::TcpServer server(serverHost);
    if (!server.listen(simsock::HostAddress::SpecialAddress::Any, 7000)) return 2;
    std::vector<std::unique_ptr<simsock::TcpSocket>> accepted;
    server.newConnection.connect([&] {
        while (auto s = server.nextPendingConnection()) {
            auto* raw = s.get();
            raw->readyRead.connect([raw] {
                if (raw->readAll().find('\n') != std::string::npos) raw->write("welcome\n");
            });
            accepted.push_back(std::move(s));
        }
    });
    simsock::TcpSocket socket(net);  // the network is the backend of host "local"
    consumer::Greeter greeter(socket, "ada");
    greeter.greet("server", 7000);
    net.loop().runUntil([&] { return greeter.done(); }, 10'000);
    std::cout << "reply: " << greeter.reply() << "\n";
    return greeter.reply() == "welcome" ? 0 : 1;
}
