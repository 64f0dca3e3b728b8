// lineproto-client: the example's client on the real network (the epoll engine).
//   lineproto-client --host 127.0.0.1 --port 7000 [--requests N] [--window N] [--seed S]
// Prints one line `completed=N failed=N duplicateReplies=N badReplies=N resent=N` and exits 0 when every
// request was answered exactly once, 1 otherwise, 2 on bad arguments.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "line_client.h"
#include "simsock/epoll/epoll_backend.h"

namespace {

bool parseArgs(int argc, char** argv, lineproto::ClientOptions& o, std::uint64_t& seed) {
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const char* value = argv[i + 1];
        if (flag == "--host") o.server = value;
        else if (flag == "--port") o.port = static_cast<std::uint16_t>(std::atoi(value));
        else if (flag == "--requests") o.requests = std::atoi(value);
        else if (flag == "--window") o.window = std::atoi(value);
        else if (flag == "--seed") seed = std::strtoull(value, nullptr, 10);
        else return false;
    }
    return argc % 2 == 1 && !o.server.empty() && o.port != 0 && o.requests >= 0 && o.window >= 1;
}

}  // namespace

int main(int argc, char** argv) {
    lineproto::ClientOptions options;
    std::uint64_t seed = 1;
    if (!parseArgs(argc, argv, options, seed)) {
        std::fprintf(stderr, "usage: %s --host H --port P [--requests N] [--window N] [--seed S]\n", argv[0]);
        return 2;
    }
    simsock::epoll::EpollBackend backend;
    simsock::TcpSocket socket(backend);
    simsock::ProgramRandom random(seed);
    lineproto::LineClient client(
        socket, backend.loop(), random, options,
        [&options] { return simsock::ProgramAddress{options.server, options.port}; },
        [](const std::string& line) { std::fprintf(stderr, "lineproto-client: %s\n", line.c_str()); });
    client.onDone = [&backend] { backend.loop().quit(); };
    client.start();
    backend.loop().run();
    const lineproto::ClientStats& s = client.stats();
    std::printf("completed=%lld failed=%lld duplicateReplies=%lld badReplies=%lld resent=%lld\n",
                static_cast<long long>(s.completed), static_cast<long long>(s.failed),
                static_cast<long long>(s.duplicateReplies), static_cast<long long>(s.badReplies),
                static_cast<long long>(s.resent));
    const bool exact = s.completed == options.requests && s.duplicateReplies == 0 && s.badReplies == 0;
    return exact ? 0 : 1;
}
