#include "heartbeatmessage.h"

namespace kw {

namespace {
bool isIdByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
}
} // namespace

HeartbeatMessage parseHeartbeatMessage(QByteArrayView message, QByteArrayView expect, qsizetype maxIdBytes)
{
    HeartbeatMessage result;
    // Taking the first word ("ping") as an id without `expect` would merge
    // unrelated peers, so such messages never name one.
    if (expect.isEmpty()) {
        result.heartbeat = true;
        return result;
    }
    const qsizetype at = message.indexOf(expect);
    if (at < 0)
        return result;
    result.heartbeat = true;
    qsizetype begin = at + expect.size();
    while (begin < message.size() && (message[begin] == ' ' || message[begin] == '\t'))
        ++begin;
    qsizetype end = begin;
    while (end < message.size() && isIdByte(message[end]))
        ++end;
    if (end - begin > maxIdBytes)
        result.idTooLong = true;
    else
        result.id = message.sliced(begin, end - begin).toByteArray();
    return result;
}

} // namespace kw
