// A WebSocket server for tests, built on Qt WebSockets so that the layer under test meets an
// implementation nobody here wrote. Tests start it as a separate process:
//
//   ws_testserver --port 0 [--tls CERT KEY] [--subprotocol NAME]... [--echo]
//                 [--close-after-ms N [--close-code C] [--close-reason TEXT]]
//                 [--ping-after-ms N [--ping-payload TEXT]]
//
// It prints "listening <port>" on stdout once it listens (port 0: the kernel's choice). With --echo
// every text or binary message comes back as it came. QWebSocket answers pings by itself, so a
// SIGSTOP of this process is how a test makes pongs stop. --close-after-ms closes each client that
// long after it connected; --ping-after-ms pings it, and the pong that answers comes back to the
// client as the text message "pong:<payload>" (and as "pong <payload>" on stdout).

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtNetwork/QHostAddress>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include "websocketservertls.h"

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"WebSocket server for Keepwatch's stream tests"_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"Port on 127.0.0.1 (0: any free port)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption tls(u"tls"_s, u"Serve wss with this PEM certificate (the key follows)."_s,
                                 u"cert"_s);
    const QCommandLineOption subprotocol(u"subprotocol"_s, u"A subprotocol to accept (repeatable)."_s,
                                         u"name"_s);
    const QCommandLineOption echo(u"echo"_s, u"Send every message back."_s);
    const QCommandLineOption closeAfter(u"close-after-ms"_s,
                                        u"Close each client this long after it connected."_s, u"ms"_s);
    const QCommandLineOption closeCode(u"close-code"_s, u"Close code for --close-after-ms."_s, u"code"_s,
                                       u"1000"_s);
    const QCommandLineOption closeReason(u"close-reason"_s, u"Close reason for --close-after-ms."_s,
                                         u"text"_s);
    const QCommandLineOption pingAfter(u"ping-after-ms"_s,
                                       u"Ping each client this long after it connected."_s, u"ms"_s);
    const QCommandLineOption pingPayload(u"ping-payload"_s, u"Payload of that ping."_s, u"text"_s,
                                         u"hello"_s);
    parser.addOptions(
        {port, tls, subprotocol, echo, closeAfter, closeCode, closeReason, pingAfter, pingPayload});
    parser.addPositionalArgument(u"key"_s, u"With --tls: the PEM private key."_s, u"[KEY]"_s);
    parser.process(app);

    QTextStream err(stderr);
    const bool secure = parser.isSet(tls);
    if (secure && parser.positionalArguments().size() != 1) {
        err << "ws_testserver: --tls needs CERT KEY\n";
        return 2;
    }
    QWebSocketServer server(u"ws_testserver"_s,
                            secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode);
    if (secure) {
        QString error;
        if (!kw::test::loadWebSocketServerTls(server, parser.value(tls),
                                              parser.positionalArguments().constFirst(), &error)) {
            err << "ws_testserver: " << error << '\n';
            return 2;
        }
    }
    if (parser.isSet(subprotocol))
        server.setSupportedSubprotocols(parser.values(subprotocol));

    bool ok = true;
    const auto number = [&](const QCommandLineOption &option) {
        bool valid = false;
        const int value = parser.value(option).toInt(&valid);
        ok = ok && valid && value >= 0;
        return value;
    };
    const int listenPort = number(port);
    const int closeAfterMs = parser.isSet(closeAfter) ? number(closeAfter) : -1;
    const int code = number(closeCode);
    const int pingAfterMs = parser.isSet(pingAfter) ? number(pingAfter) : -1;
    if (!ok || listenPort > 65535 || code > 65535) {
        err << "ws_testserver: --port, --close-after-ms, --close-code and --ping-after-ms take numbers\n";
        return 2;
    }
    const bool echoing = parser.isSet(echo);
    const QString reason = parser.value(closeReason);
    const QByteArray ping = parser.value(pingPayload).toUtf8();

    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *client = server.nextPendingConnection()) {
            QObject::connect(client, &QWebSocket::disconnected, client, &QObject::deleteLater);
            if (echoing) {
                QObject::connect(client, &QWebSocket::textMessageReceived, client,
                                 [client](const QString &message) { client->sendTextMessage(message); });
                QObject::connect(client, &QWebSocket::binaryMessageReceived, client,
                                 [client](const QByteArray &message) { client->sendBinaryMessage(message); });
            }
            if (closeAfterMs >= 0) {
                QTimer::singleShot(closeAfterMs, client, [client, code, reason] {
                    client->close(QWebSocketProtocol::CloseCode(code), reason);
                });
            }
            if (pingAfterMs >= 0) {
                QObject::connect(client, &QWebSocket::pong, client,
                                 [client](quint64, const QByteArray &payload) {
                                     std::printf("pong %s\n", payload.constData());
                                     std::fflush(stdout);
                                     client->sendTextMessage(u"pong:"_s + QString::fromUtf8(payload));
                                 });
                QTimer::singleShot(pingAfterMs, client, [client, ping] { client->ping(ping); });
            }
        }
    });
    QObject::connect(&server, &QWebSocketServer::serverError, &server,
                     [&err](QWebSocketProtocol::CloseCode code) {
                         err << "ws_testserver: server error " << int(code) << '\n';
                         err.flush();
                     });
    QObject::connect(&server, &QWebSocketServer::sslErrors, &server, [&err](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            err << "ws_testserver: TLS: " << error.errorString() << '\n';
        err.flush();
    });

    if (!server.listen(QHostAddress::LocalHost, quint16(listenPort))) {
        err << "ws_testserver: cannot listen on 127.0.0.1:" << listenPort << ": " << server.errorString()
            << '\n';
        return 1;
    }
    std::printf("listening %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
