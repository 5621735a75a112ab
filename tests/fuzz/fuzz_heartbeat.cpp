// Peer bytes reach parseHeartbeatMessage unfiltered (listen endpoints accept
// connections from anyone allowed to reach the port).

#include "heartbeatmessage.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    // First byte splits the input into `expect` and the message.
    const std::size_t expectSize = data[0] % 8;
    if (size < 1 + expectSize)
        return 0;
    const QByteArrayView expect(reinterpret_cast<const char *>(data + 1), qsizetype(expectSize));
    const QByteArrayView message(reinterpret_cast<const char *>(data + 1 + expectSize),
                                 qsizetype(size - 1 - expectSize));
    for (const qsizetype maxId : {qsizetype(0), qsizetype(4), qsizetype(128)}) {
        const kw::HeartbeatMessage parsed = kw::parseHeartbeatMessage(message, expect, maxId);
        if (parsed.id.size() > maxId)
            std::abort(); // the id limit is what keeps peer names bounded
        if (!parsed.heartbeat && (!parsed.id.isEmpty() || parsed.idTooLong))
            std::abort(); // only heartbeats name peers
        if (expect.isEmpty() && !parsed.heartbeat)
            std::abort();
    }
    return 0;
}
