#include "bench_args.h"

#include <cstring>

namespace simsock::bench {

std::int64_t takeIntFlag(int& argc, char** argv, const std::string& name, std::int64_t fallback) {
    const std::string prefix = "--" + name + "=";
    std::int64_t value = fallback;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
            value = std::stoll(argv[i] + prefix.size());
            continue;
        }
        argv[out++] = argv[i];
    }
    argc = out;
    argv[argc] = nullptr;
    return value;
}

}  // namespace simsock::bench
