// libFuzzer's hook for one target: SIMSOCK_FUZZ_ENTRY names the entry point of fuzz_entries.h.
#include "fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    simsock::fuzz::SIMSOCK_FUZZ_ENTRY(data, size);
    return 0;
}
