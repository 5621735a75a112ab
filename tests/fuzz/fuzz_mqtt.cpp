// Whatever answers on an MQTT port (or connects to the demo broker) reaches the codec's decoder
// unfiltered. See mqttfuzz.h for how the input is laid out and what is checked.

#include "mqttfuzz.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string problem = kw::mqtt::fuzz::runMqttInput(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_mqtt: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
