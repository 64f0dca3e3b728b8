#include "proc_memory.h"

#include <malloc.h>

#include <fstream>
#include <string>

namespace simsock::bench {

namespace {
std::int64_t statusFieldBytes(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) != 0) continue;
        return std::stoll(line.substr(field.size() + 1)) * 1024;  // the kernel reports kB
    }
    return 0;
}
}  // namespace

std::int64_t residentBytes() { return statusFieldBytes("VmRSS"); }

std::int64_t peakResidentBytes() { return statusFieldBytes("VmHWM"); }

void resetMemoryBaseline() {
    malloc_trim(0);
    // "5" resets the peak RSS counter (Linux >= 4.0); older kernels ignore it and keep the old peak.
    std::ofstream("/proc/self/clear_refs") << "5";
}

}  // namespace simsock::bench
