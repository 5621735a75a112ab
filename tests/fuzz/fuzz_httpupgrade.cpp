// The server's answer to the WebSocket upgrade request reaches the parser unfiltered, from any
// server a user points an endpoint at. See streamfuzz.h for how the input is laid out.

#include "streamfuzz.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string problem = kw::stream::fuzz::runHttpUpgradeInput(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_httpupgrade: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
