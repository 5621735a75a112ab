#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace kw {

// What one message a peer sends to a listen endpoint says.
struct HeartbeatMessage
{
    bool heartbeat = false;
    QByteArray id; // empty: no id in the message
    bool idTooLong = false;
};

// A message containing `expect` is a heartbeat; the first word after it, if
// any, names the peer ("HB db-7"). Without `expect` every message is a
// heartbeat and none names its peer. Peer input: any bytes are safe here.
HeartbeatMessage parseHeartbeatMessage(QByteArrayView message, QByteArrayView expect, qsizetype maxIdBytes);

// LF ends text lines, NUL ends C strings, ETX ends STX/ETX frames ("\x02HB\x03").
constexpr bool isMessageEnd(char c)
{
    return c == '\n' || c == '\0' || c == '\x03';
}

} // namespace kw
