// kw_labpeer: the far end of a fault-lab connection. A plain process (no threads, no helpers) so that
// SIGSTOP freezes it while its kernel keeps answering TCP, which is exactly the "hung peer" case.
//
//   kw_labpeer --listen ADDR:PORT [--hello LINE] [--silent] [--close-after MS] [--reset-after MS]
//   kw_labpeer --heartbeat-to HOST:PORT [--every MS] [--id ID]
//
// It reports on stdout, one line each: "listening ADDR:PORT", "accepted PEER", "closed PEER",
// "reset PEER", "connected PEER", so a test can wait for the moment it needs.

#include "heartbeatclient.h"
#include "pongserver.h"
#include "socketio.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

struct HostPort
{
    QHostAddress address;
    quint16 port = 0;
};

// "198.51.100.2:7000" or "[2001:db8::2]:7000".
std::optional<HostPort> parseHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    HostPort result{QHostAddress(host), static_cast<quint16>(port)};
    if (!ok || port > 65535 || result.address.isNull())
        return std::nullopt;
    return result;
}

// Each line ends with the wall-clock UTC time, so a test can measure from the moment the peer acted.
void report(const QString &line)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    std::fputs(qPrintable(line + u' ' + stamp + u'\n'), stdout);
    std::fflush(stdout);
}

QString peerOf(const QTcpSocket *socket)
{
    return socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
}

int fail(const QString &message)
{
    std::fputs(qPrintable(u"kw_labpeer: "_s + message + u'\n'), stderr);
    return 2;
}

// Reports what the PONG server (kw_testsupport) does and ends connections on the schedule asked for.
class Listener : public QObject
{
public:
    struct Options
    {
        QByteArray hello;
        bool silent = false;
        int closeAfterMs = -1;
        int resetAfterMs = -1;
    };

    explicit Listener(Options options) : m_options(std::move(options))
    {
        m_server.setAnswering(!m_options.silent);
        connect(&m_server, &kw::test::PongServer::accepted, this, &Listener::onAccepted);
    }

    bool listen(const HostPort &at, QString *error)
    {
        if (!m_server.listen(at.address, at.port)) {
            *error = m_server.errorString();
            return false;
        }
        report(u"listening "_s + m_server.server().serverAddress().toString() + u':' +
               QString::number(m_server.port()));
        return true;
    }

private:
    void onAccepted(QTcpSocket *socket)
    {
        const QString peer = peerOf(socket);
        report(u"accepted "_s + peer);
        connect(socket, &QTcpSocket::disconnected, socket, [peer] { report(u"closed "_s + peer); });
        if (!m_options.hello.isEmpty()) {
            socket->write(m_options.hello + '\n');
            socket->flush();
            report(u"hello "_s + peer);
        }
        if (m_options.closeAfterMs >= 0) {
            QTimer::singleShot(m_options.closeAfterMs, socket, [socket, peer] {
                report(u"fin "_s + peer);
                socket->disconnectFromHost();
            });
        }
        if (m_options.resetAfterMs >= 0) {
            QTimer::singleShot(m_options.resetAfterMs, socket, [socket, peer] {
                // SO_LINGER {on, 0}: close() sends RST, as a crashed or firewalled server would.
                kw::net::setResetOnClose(socket->socketDescriptor());
                report(u"reset "_s + peer);
                socket->abort();
            });
        }
    }

    Options m_options;
    kw::test::PongServer m_server;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kw_labpeer"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Far end of a Keepwatch fault-lab connection."_s);
    parser.addHelpOption();
    const QCommandLineOption listenOption(u"listen"_s, u"Listen on ADDR:PORT; answer each line with PONG."_s,
                                          u"addr:port"_s);
    const QCommandLineOption helloOption(u"hello"_s, u"Send LINE to each peer right after accepting it."_s,
                                         u"line"_s);
    const QCommandLineOption silentOption(u"silent"_s, u"Read and never answer."_s);
    const QCommandLineOption closeOption(u"close-after"_s, u"Close each connection (FIN) MS after accept."_s,
                                         u"ms"_s);
    const QCommandLineOption resetOption(u"reset-after"_s, u"Reset each connection (RST) MS after accept."_s,
                                         u"ms"_s);
    const QCommandLineOption heartbeatOption(u"heartbeat-to"_s, u"Act as a client sending heartbeats."_s,
                                             u"host:port"_s);
    const QCommandLineOption everyOption(u"every"_s, u"Heartbeat interval in ms (default 1000)."_s, u"ms"_s,
                                         u"1000"_s);
    const QCommandLineOption idOption(u"id"_s, u"Heartbeat id (default: the process id)."_s, u"id"_s);
    parser.addOptions({listenOption, helloOption, silentOption, closeOption, resetOption, heartbeatOption,
                       everyOption, idOption});
    parser.process(app);

    const auto milliseconds = [&parser](const QCommandLineOption &option, int *value) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        *value = parser.value(option).toInt(&ok);
        return ok && *value >= 0;
    };

    if (parser.isSet(heartbeatOption)) {
        const auto target = parseHostPort(parser.value(heartbeatOption));
        if (!target)
            return fail(u"--heartbeat-to: expected HOST:PORT with a numeric address, got \""_s +
                        parser.value(heartbeatOption) + u'"');
        int everyMs = 1000;
        if (!milliseconds(everyOption, &everyMs) || everyMs == 0)
            return fail(u"--every: expected a positive number of milliseconds"_s);
        const QString id = parser.isSet(idOption) ? parser.value(idOption)
                                                  : QString::number(QCoreApplication::applicationPid());
        // Connects, sends "HB <id>" every interval; on any failure tries again one interval later.
        kw::test::HeartbeatClient sender(target->address, target->port, "HB " + id.toUtf8() + '\n',
                                         std::chrono::milliseconds(everyMs));
        sender.setReconnecting(true);
        QObject::connect(&sender.socket(), &QTcpSocket::connected, &sender,
                         [&sender] { report(u"connected "_s + peerOf(&sender.socket())); });
        return app.exec();
    }

    if (!parser.isSet(listenOption))
        return fail(u"give --listen ADDR:PORT or --heartbeat-to HOST:PORT (see --help)"_s);
    const auto at = parseHostPort(parser.value(listenOption));
    if (!at)
        return fail(u"--listen: expected ADDR:PORT with a numeric address, got \""_s +
                    parser.value(listenOption) + u'"');
    Listener::Options options;
    options.hello = parser.value(helloOption).toUtf8();
    options.silent = parser.isSet(silentOption);
    if (!milliseconds(closeOption, &options.closeAfterMs))
        return fail(u"--close-after: expected milliseconds ≥ 0"_s);
    if (!milliseconds(resetOption, &options.resetAfterMs))
        return fail(u"--reset-after: expected milliseconds ≥ 0"_s);
    Listener listener(options);
    QString error;
    if (!listener.listen(*at, &error))
        return fail(u"cannot listen on "_s + parser.value(listenOption) + u": "_s + error);
    return app.exec();
}
