// MQTT over WebSocket in front of a broker that only speaks TCP (Debian's mosquitto 2.0.11 is built
// without WebSocket listeners), built on Qt WebSockets so that the session under test meets a
// WebSocket implementation nobody here wrote. Tests start it as a separate process:
//
//   mqtt_wsbridge --broker 127.0.0.1:PORT [--port 0] [--tls CERT KEY]
//
// It prints "listening <port>" on stdout once it listens (port 0: the kernel's choice). It accepts
// the upgrade with the subprotocol "mqtt" (MQTT 5.0 section 6; 3.1.1 section 6), and for each
// WebSocket client opens one TCP connection to the broker: every binary message goes to the broker
// as it came, and whatever the broker sends comes back as one binary message per read. When either
// side closes, the other is closed too. A SIGSTOP of this process stops both directions at once.

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpSocket>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include "websocketservertls.h"

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// One WebSocket client and its TCP connection to the broker; deletes itself once both are closed.
void pipe(QWebSocket *client, const QHostAddress &brokerAddress, quint16 brokerPort)
{
    auto *broker = new QTcpSocket(client);
    broker->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // What the client sent before the broker's connection was up.
    const auto early = std::make_shared<QByteArray>();

    QObject::connect(client, &QWebSocket::binaryMessageReceived, broker,
                     [broker, early](const QByteArray &bytes) {
                         if (broker->state() == QAbstractSocket::ConnectedState)
                             broker->write(bytes);
                         else
                             early->append(bytes);
                     });
    QObject::connect(broker, &QTcpSocket::connected, client, [broker, early] {
        if (!early->isEmpty())
            broker->write(*early);
        early->clear();
    });
    QObject::connect(broker, &QTcpSocket::readyRead, client,
                     [client, broker] { client->sendBinaryMessage(broker->readAll()); });
    // The broker hung up (or could not be reached): the client hears a close, as from a broker with
    // its own WebSocket listener.
    QObject::connect(broker, &QTcpSocket::disconnected, client, [client] { client->close(); });
    QObject::connect(broker, &QTcpSocket::errorOccurred, client,
                     [client, broker](QAbstractSocket::SocketError) {
                         if (broker->state() != QAbstractSocket::ConnectedState)
                             client->close(QWebSocketProtocol::CloseCodeBadOperation, broker->errorString());
                     });
    QObject::connect(client, &QWebSocket::disconnected, client, [client, broker] {
        broker->disconnectFromHost();
        client->deleteLater();
    });
    broker->connectToHost(brokerAddress, brokerPort);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"MQTT over WebSocket in front of a TCP broker, for Keepwatch's tests"_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"Port on 127.0.0.1 (0: any free port)."_s, u"port"_s, u"0"_s);
    const QCommandLineOption broker(u"broker"_s, u"The broker's TCP address, HOST:PORT."_s, u"address"_s);
    const QCommandLineOption tls(u"tls"_s, u"Serve wss with this PEM certificate (the key follows)."_s,
                                 u"cert"_s);
    parser.addOptions({port, broker, tls});
    parser.addPositionalArgument(u"key"_s, u"With --tls: the PEM private key."_s, u"[KEY]"_s);
    parser.process(app);

    QTextStream err(stderr);
    const bool secure = parser.isSet(tls);
    if (secure && parser.positionalArguments().size() != 1) {
        err << "mqtt_wsbridge: --tls needs CERT KEY\n";
        return 2;
    }
    bool ok = false;
    const int listenPort = parser.value(port).toInt(&ok);
    const QString brokerText = parser.value(broker);
    const qsizetype colon = brokerText.lastIndexOf(u':');
    bool brokerOk = false;
    const int brokerPort = colon > 0 ? brokerText.mid(colon + 1).toInt(&brokerOk) : 0;
    const QHostAddress brokerAddress(brokerText.left(colon));
    if (!ok || listenPort < 0 || listenPort > 65535 || !brokerOk || brokerPort <= 0 || brokerPort > 65535 ||
        brokerAddress.isNull()) {
        err << "mqtt_wsbridge: --broker takes HOST:PORT with a numeric address, --port a number\n";
        return 2;
    }

    QWebSocketServer server(u"mqtt_wsbridge"_s,
                            secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode);
    if (secure) {
        QString error;
        if (!kw::test::loadWebSocketServerTls(server, parser.value(tls),
                                              parser.positionalArguments().constFirst(), &error)) {
            err << "mqtt_wsbridge: " << error << '\n';
            return 2;
        }
    }
    server.setSupportedSubprotocols({u"mqtt"_s});

    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *client = server.nextPendingConnection())
            pipe(client, brokerAddress, quint16(brokerPort));
    });
    QObject::connect(&server, &QWebSocketServer::serverError, &server,
                     [&err](QWebSocketProtocol::CloseCode code) {
                         err << "mqtt_wsbridge: server error " << int(code) << '\n';
                         err.flush();
                     });
    QObject::connect(&server, &QWebSocketServer::sslErrors, &server, [&err](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            err << "mqtt_wsbridge: TLS: " << error.errorString() << '\n';
        err.flush();
    });

    if (!server.listen(QHostAddress::LocalHost, quint16(listenPort))) {
        err << "mqtt_wsbridge: cannot listen on 127.0.0.1:" << listenPort << ": " << server.errorString()
            << '\n';
        return 1;
    }
    std::printf("listening %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return app.exec();
}
