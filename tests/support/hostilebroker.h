#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>

#include <chrono>
#include <memory>
#include <vector>

class QTcpSocket;

namespace kw::test {

// An MQTT "broker" on 127.0.0.1 that says what no real broker says on purpose: malformed lengths,
// packets out of order, a CONNACK in slices, a DISCONNECT with a reason, silence. Every connection it
// accepts plays the same script from the start; what each client sent is kept for the test to read.
// It works on bytes: the only thing it reads of the client's packets is their framing (type and
// Remaining Length), the protocol level of CONNECT, and PINGREQ.
class HostileBroker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostileBroker)

public:
    struct Step
    {
        enum class Kind {
            Send,               // bytes, at once
            SendOneByteAtATime, // bytes, one per `gap`
            SendConnack,        // a CONNACK in the version of the client's CONNECT with the return or
                                // reason code `count` (0: success), one byte per `gap` when gap > 0
            WaitForBytes,       // until the connection received `count` bytes in all
            WaitForPacket,      // until one more complete client packet arrived
            WaitForPingreqs,    // until `count` more PINGREQs arrived
            Sleep,              // `gap`
            Close,              // FIN after what was written; the script ends
            Silent,             // read, never answer, stay open; the script ends
            AnswerPings,        // from now on every PINGREQ gets a PINGRESP
            StopAnsweringPings, // and from now on none does
        };
        Kind kind = Kind::Silent;
        QByteArray bytes;
        qsizetype count = 0;
        std::chrono::milliseconds gap{0};
    };
    using Script = QList<Step>;

    static Step send(QByteArray bytes) { return {Step::Kind::Send, std::move(bytes), 0, {}}; }
    static Step sendOneByteAtATime(QByteArray bytes, std::chrono::milliseconds gap)
    {
        return {Step::Kind::SendOneByteAtATime, std::move(bytes), 0, gap};
    }
    static Step sendConnack(std::chrono::milliseconds gap = {}, quint8 code = 0)
    {
        return {Step::Kind::SendConnack, {}, code, gap};
    }
    static Step waitForBytes(qsizetype total) { return {Step::Kind::WaitForBytes, {}, total, {}}; }
    static Step waitForPacket() { return {Step::Kind::WaitForPacket, {}, 1, {}}; }
    static Step waitForPingreqs(int count) { return {Step::Kind::WaitForPingreqs, {}, count, {}}; }
    static Step sleep(std::chrono::milliseconds duration) { return {Step::Kind::Sleep, {}, 0, duration}; }
    static Step close() { return {Step::Kind::Close, {}, 0, {}}; }
    static Step silent() { return {Step::Kind::Silent, {}, 0, {}}; }
    static Step answerPings() { return {Step::Kind::AnswerPings, {}, 0, {}}; }
    static Step stopAnsweringPings() { return {Step::Kind::StopAnsweringPings, {}, 0, {}}; }

    // The scripts the session tests meet. Each waits for the client's CONNECT first.
    // A well-behaved broker: CONNACK in the client's version, every PINGREQ answered.
    static Script answering();
    // A CONNACK refusing with `code` (3.1.1 return code or 5.0 reason code, whichever the client
    // speaks), then FIN: what a broker does on its own rules (mosquitto 2.0.11 has no keep alive
    // refusal; later versions answer 3.1.1 clients above max_keepalive with 2).
    static Script refusing(quint8 code);
    // "HTTP/1.1 200 OK\r\n\r\n" instead of a CONNACK, then silence.
    static Script garbage();
    // A CONNACK whose Remaining Length has a fifth byte (20 FF FF FF FF 01): malformed (3.1.1
    // section 2.2.3, 5.0 section 1.5.5).
    static Script fiveByteLength();
    // A success CONNACK, then a PUBLISH header declaring 268,435,455 bytes (30 FF FF FF 7F) and
    // nothing after it: a client must refuse it from the header, not wait for the body.
    static Script hugeLength();
    // PINGRESP (D0 00) where CONNACK must come first (3.1.1 section 3.2), then silence.
    static Script pingrespBeforeConnack();
    // CONNACK with reserved acknowledge flags set (20 02 FE 00; 3.1.1 section 3.2.2.1).
    static Script connackBadFlags();
    // A valid CONNACK (20 02 00 00 to a 3.1.1 client) one byte per `gap`, then PINGREQs answered.
    static Script connackOneByteAtATime(std::chrono::milliseconds gap = std::chrono::milliseconds(50));
    // Accepts the TCP connection and never sends a byte.
    static Script silentAccept();
    // An MQTT 5 success CONNACK (20 03 00 00 00), `after` later a DISCONNECT with reason 0x8B
    // (server shutting down) and Reason String "maintenance window", then FIN.
    static Script disconnectWithReason(std::chrono::milliseconds after = std::chrono::milliseconds(100));
    // CONNACK, the first `answered` PINGREQs answered, then none: a broker whose loop hung.
    static Script acceptThenStopAnsweringPings(int answered = 1);

    explicit HostileBroker(Script script, QObject *parent = nullptr);
    ~HostileBroker() override;

    // On 127.0.0.1, a port the kernel chooses.
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    QString errorString() const { return m_server.errorString(); }
    // Stops accepting; connections already open stay as their script leaves them.
    void stopListening() { m_server.close(); }

    // Connections accepted so far, and for each (in accept order) what the client sent, how many
    // PINGREQs were in it, and whether it is still open.
    int connectionsAccepted() const { return int(m_connections.size()); }
    QByteArray received(int connection) const;
    int pingreqs(int connection) const;
    bool isOpen(int connection) const;
    // The protocol level of that connection's CONNECT (4: 3.1.1, 5: 5.0), 0 before one arrived.
    int protocolLevel(int connection) const;

private:
    struct Connection;
    void accept();
    void readFrom(Connection &connection);
    void advance(Connection &connection);

    Script m_script;
    QTcpServer m_server;
    std::vector<std::unique_ptr<Connection>> m_connections;
};

} // namespace kw::test
