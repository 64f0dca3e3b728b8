// Runs exactly N ping-pong round trips on loopback, raw or through simsock, and exits: the program
// tools/callgrind-pingpong runs under callgrind at two values of N, so that set-up cancels out in the
// difference and what remains is user-space instructions per round trip.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "epoll_workloads.h"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s raw|simsock ROUND_TRIPS\n", argv[0]);
        return 2;
    }
    const std::string which = argv[1];
    const long long trips = std::atoll(argv[2]);
    if ((which != "raw" && which != "simsock") || trips <= 0 || trips > 100'000'000) {
        std::fprintf(stderr, "bad arguments\n");
        return 2;
    }
    auto w = which == "raw" ? simsock::bench::makeRawPingPong() : simsock::bench::makeSimsockPingPong();
    w->run(trips);
    return 0;
}
