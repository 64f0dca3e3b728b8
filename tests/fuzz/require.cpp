#include <cstdio>
#include <cstdlib>

#include "fuzz_entries.h"

namespace simsock::fuzz {

void require(bool ok, std::string_view what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz oracle broken: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
}

Entry entryNamed(std::string_view name) {
    if (name == "json") return &jsonTree;
    if (name == "loader") return &scenarioLoader;
    if (name == "run") return &scenarioRun;
    if (name == "socks5") return &socks5Reply;
    if (name == "http") return &httpReply;
    return nullptr;
}

}  // namespace simsock::fuzz
