// lineproto-server: the example's server on the real network (the epoll engine).
//   lineproto-server [--address 127.0.0.1] [--port 0] [--connections N]
// Prints `listening on ADDRESS:PORT` once listening; with --connections N it exits after the N-th
// connection closed, printing `executed=N duplicateRequests=N badRequests=N connections=N`.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "line_server.h"
#include "simsock/epoll/epoll_backend.h"

int main(int argc, char** argv) {
    std::string address = "127.0.0.1";
    int port = 0;
    long long connections = -1;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--address") address = argv[i + 1];
        else if (flag == "--port") port = std::atoi(argv[i + 1]);
        else if (flag == "--connections") connections = std::atoll(argv[i + 1]);
        else argc = 0;
    }
    if (argc % 2 != 1 || port < 0 || port > 65535) {
        std::fprintf(stderr, "usage: %s [--address A] [--port P] [--connections N]\n", argv[0]);
        return 2;
    }
    simsock::epoll::EpollBackend backend;
    simsock::TcpServer server(backend);
    long long closed = 0;
    lineproto::LineServer lines(server, backend.loop(), lineproto::ServerOptions{},
                                [&](simsock::TcpSocket& s, std::int64_t) {
                                    s.disconnected.connect([&] {
                                        if (++closed == connections) backend.loop().quit();
                                    });
                                });
    if (!server.listen(simsock::HostAddress(address), static_cast<std::uint16_t>(port))) {
        std::fprintf(stderr, "lineproto-server: cannot listen: %s\n", server.errorString().c_str());
        return 1;
    }
    std::printf("listening on %s:%u\n", address.c_str(), static_cast<unsigned>(server.serverPort()));
    std::fflush(stdout);
    backend.loop().run();
    const lineproto::ServerStats& s = lines.stats();
    std::printf("executed=%lld duplicateRequests=%lld badRequests=%lld connections=%lld\n",
                static_cast<long long>(s.executed), static_cast<long long>(s.duplicateRequests),
                static_cast<long long>(s.badRequests), static_cast<long long>(s.connections));
    return 0;
}
