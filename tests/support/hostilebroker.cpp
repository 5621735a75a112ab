#include "hostilebroker.h"

#include <QTcpSocket>
#include <QTimer>

#include <optional>

using namespace std::chrono_literals;

namespace kw::test {

namespace {

constexpr char kPingresp[] = "\xD0\x00";

// The fixed header of the packet at `from`: its whole length, or nothing while incomplete. A
// Remaining Length with a fifth byte ends the framing (`malformed`).
std::optional<qsizetype> packetLength(const QByteArray &bytes, qsizetype from, bool *malformed)
{
    quint32 remaining = 0;
    for (int i = 0; i < 4; ++i) {
        const qsizetype at = from + 1 + i;
        if (at >= bytes.size())
            return std::nullopt;
        const auto byte = quint8(bytes.at(at));
        remaining |= quint32(byte & 0x7F) << (7 * i);
        if ((byte & 0x80) == 0) {
            const qsizetype total = 2 + i + qsizetype(remaining);
            return from + total <= bytes.size() ? std::optional<qsizetype>(total) : std::nullopt;
        }
    }
    *malformed = true;
    return std::nullopt;
}

} // namespace

struct HostileBroker::Connection
{
    QTcpSocket *socket = nullptr;
    QByteArray received;
    qsizetype framed = 0; // bytes of `received` split into packets so far
    bool framingBroken = false;
    int packets = 0;
    int packetsWaitedFor = 0;
    int pingreqs = 0;
    int pingreqsWaitedFor = 0;
    int protocolLevel = 0;
    bool answerPings = false;
    bool open = true;

    qsizetype step = 0;
    qsizetype byteInStep = 0; // for the steps that send one byte at a time
    bool timerPending = false;
};

HostileBroker::HostileBroker(Script script, QObject *parent) : QObject(parent), m_script(std::move(script))
{
    connect(&m_server, &QTcpServer::newConnection, this, &HostileBroker::accept);
}

HostileBroker::~HostileBroker()
{
    for (const auto &connection : m_connections)
        connection->socket->disconnect(this);
}

bool HostileBroker::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QByteArray HostileBroker::received(int connection) const
{
    return connection < connectionsAccepted() ? m_connections[std::size_t(connection)]->received
                                              : QByteArray();
}

int HostileBroker::pingreqs(int connection) const
{
    return connection < connectionsAccepted() ? m_connections[std::size_t(connection)]->pingreqs : 0;
}

bool HostileBroker::isOpen(int connection) const
{
    return connection < connectionsAccepted() && m_connections[std::size_t(connection)]->open;
}

int HostileBroker::protocolLevel(int connection) const
{
    return connection < connectionsAccepted() ? m_connections[std::size_t(connection)]->protocolLevel : 0;
}

void HostileBroker::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        // Slices the script sends on purpose must leave as separate segments.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.push_back(std::make_unique<Connection>());
        Connection &connection = *m_connections.back();
        connection.socket = socket;
        connect(socket, &QTcpSocket::readyRead, this, [this, &connection] { readFrom(connection); });
        connect(socket, &QTcpSocket::disconnected, this, [&connection] { connection.open = false; });
        advance(connection);
    }
}

void HostileBroker::readFrom(Connection &connection)
{
    connection.received += connection.socket->readAll();
    while (!connection.framingBroken) {
        const auto length = packetLength(connection.received, connection.framed, &connection.framingBroken);
        if (!length)
            break;
        const QByteArray packet = connection.received.mid(connection.framed, *length);
        connection.framed += *length;
        ++connection.packets;
        const auto type = quint8(packet.at(0)) >> 4;
        if (type == 1 && connection.protocolLevel == 0) {
            // CONNECT after its fixed header: a two-byte name length, the name ("MQTT", or
            // "MQIsdp" in 3.1), the protocol level.
            qsizetype body = 1;
            while (body < packet.size() && (quint8(packet.at(body)) & 0x80))
                ++body;
            ++body;
            if (body + 2 <= packet.size()) {
                const int nameLength = (quint8(packet.at(body)) << 8) | quint8(packet.at(body + 1));
                const qsizetype level = body + 2 + nameLength;
                if (level < packet.size())
                    connection.protocolLevel = quint8(packet.at(level));
            }
        } else if (type == 12) {
            ++connection.pingreqs;
            if (connection.answerPings)
                connection.socket->write(kPingresp, 2);
        }
    }
    advance(connection);
}

void HostileBroker::advance(Connection &connection)
{
    if (connection.timerPending)
        return;
    const auto later = [this, &connection](std::chrono::milliseconds delay, bool stepDone) {
        connection.timerPending = true;
        QTimer::singleShot(delay, connection.socket, [this, &connection, stepDone] {
            connection.timerPending = false;
            if (stepDone) {
                ++connection.step;
                connection.byteInStep = 0;
            }
            advance(connection);
        });
    };
    while (connection.step < m_script.size() && connection.open) {
        const Step &step = m_script.at(connection.step);
        QByteArray bytes = step.bytes;
        switch (step.kind) {
        case Step::Kind::SendConnack:
            // 5.0 adds the Properties length (section 3.2.2.3), here 0.
            bytes = connection.protocolLevel == 5 ? QByteArray("\x20\x03\x00\x00\x00", 5)
                                                  : QByteArray("\x20\x02\x00\x00", 4);
            bytes[3] = char(step.count);
            if (step.gap <= 0ms) {
                connection.socket->write(bytes);
                break;
            }
            [[fallthrough]];
        case Step::Kind::SendOneByteAtATime:
            // The gap comes between bytes: the step is over with its last byte.
            if (connection.byteInStep < bytes.size()) {
                connection.socket->write(bytes.constData() + connection.byteInStep, 1);
                ++connection.byteInStep;
                if (connection.byteInStep < bytes.size()) {
                    later(step.gap, false);
                    return;
                }
            }
            break;
        case Step::Kind::Send:
            connection.socket->write(bytes);
            break;
        case Step::Kind::WaitForBytes:
            if (connection.received.size() < step.count)
                return;
            break;
        case Step::Kind::WaitForPacket:
            if (connection.packets < connection.packetsWaitedFor + int(step.count))
                return;
            connection.packetsWaitedFor += int(step.count);
            break;
        case Step::Kind::WaitForPingreqs:
            if (connection.pingreqs < connection.pingreqsWaitedFor + int(step.count))
                return;
            connection.pingreqsWaitedFor += int(step.count);
            break;
        case Step::Kind::Sleep:
            later(step.gap, true);
            return;
        case Step::Kind::Close:
            connection.step = m_script.size();
            connection.socket->disconnectFromHost();
            return;
        case Step::Kind::Silent:
            connection.step = m_script.size();
            connection.answerPings = false;
            return;
        case Step::Kind::AnswerPings:
            connection.answerPings = true;
            break;
        case Step::Kind::StopAnsweringPings:
            connection.answerPings = false;
            break;
        }
        ++connection.step;
        connection.byteInStep = 0;
    }
}

HostileBroker::Script HostileBroker::answering()
{
    return {waitForPacket(), sendConnack(), answerPings()};
}

HostileBroker::Script HostileBroker::refusing(quint8 code)
{
    return {waitForPacket(), sendConnack({}, code), close()};
}

HostileBroker::Script HostileBroker::garbage()
{
    return {waitForPacket(), send("HTTP/1.1 200 OK\r\n\r\n"), silent()};
}

HostileBroker::Script HostileBroker::fiveByteLength()
{
    return {waitForPacket(), send(QByteArray("\x20\xFF\xFF\xFF\xFF\x01", 6)), silent()};
}

HostileBroker::Script HostileBroker::hugeLength()
{
    return {waitForPacket(), sendConnack(), send(QByteArray("\x30\xFF\xFF\xFF\x7F", 5)), silent()};
}

HostileBroker::Script HostileBroker::pingrespBeforeConnack()
{
    return {waitForPacket(), send(QByteArray(kPingresp, 2)), silent()};
}

HostileBroker::Script HostileBroker::connackBadFlags()
{
    return {waitForPacket(), send(QByteArray("\x20\x02\xFE\x00", 4)), silent()};
}

HostileBroker::Script HostileBroker::connackOneByteAtATime(std::chrono::milliseconds gap)
{
    return {waitForPacket(), sendConnack(gap), answerPings()};
}

HostileBroker::Script HostileBroker::silentAccept()
{
    return {silent()};
}

HostileBroker::Script HostileBroker::disconnectWithReason(std::chrono::milliseconds after)
{
    // DISCONNECT (5.0 section 3.14): reason 0x8B, Properties length 21, Reason String (0x1F) of 18
    // bytes; Remaining Length 1 + 1 + 21 = 23.
    const QByteArray disconnect = QByteArray("\xE0\x17\x8B\x15\x1F\x00\x12", 7) + "maintenance window";
    return {waitForPacket(), send(QByteArray("\x20\x03\x00\x00\x00", 5)), sleep(after), send(disconnect),
            close()};
}

HostileBroker::Script HostileBroker::acceptThenStopAnsweringPings(int answered)
{
    return {
        waitForPacket(),           sendConnack(),        answerPings(),
        waitForPingreqs(answered), stopAnsweringPings(), silent(),
    };
}

} // namespace kw::test
