// libFuzzer target: the endpoint CSV reader on arbitrary bytes. See endpointcsvfuzz.h for the
// properties checked besides crashes and sanitizer reports.
#include "endpointcsvfuzz.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::string problem = kw::fuzz::runEndpointCsvInput(input);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_endpointcsv: property violated: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
