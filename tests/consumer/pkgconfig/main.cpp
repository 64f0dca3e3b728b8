// Built by tools/consumer-check with `c++ -std=c++20 main.cpp $(pkg-config --cflags --libs simsock)`:
// a client connects to a server across the simulated network. Exits 0 when it did.
#include <iostream>

#include <simsock/sim/network.h>
#include <simsock/sim/sim_backend.h>
#include <simsock/simsock.h>

int main() {
    simsock::sim::Network net(3);
    net.addHost("server", {simsock::HostAddress("10.0.0.2")});
    simsock::sim::SimBackend serverHost(net, "server");
    simsock::TcpServer server(serverHost);
    if (!server.listen(simsock::HostAddress::SpecialAddress::Any, 9000)) return 2;
    simsock::TcpSocket client(net);
    client.connectToHost("server", 9000);
    const bool ok = net.loop().runUntil([&] { return client.state() == simsock::SocketState::ConnectedState; }, 5000);
    std::cout << "pkg-config consumer: " << (ok ? "connected" : "not connected") << "\n";
    return ok ? 0 : 1;
}
