#include "cpu_pin.h"

#include <sched.h>

namespace simsock::bench {

int pinToCurrentCpu() {
    const int cpu = sched_getcpu();
    if (cpu < 0) return -1;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0 ? cpu : -1;
}

}  // namespace simsock::bench
