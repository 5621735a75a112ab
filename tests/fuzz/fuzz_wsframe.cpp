// Server bytes reach the WebSocket layer's frame reading unfiltered once the upgrade succeeded:
// anything a server (or whatever answers on its port) sends after a 101. See streamfuzz.h for how
// the input is laid out.

#include "streamfuzz.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string problem = kw::stream::fuzz::runWsFrameInput(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_wsframe: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
