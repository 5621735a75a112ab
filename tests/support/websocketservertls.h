#pragma once

// The certificate and key of a wss:// test server (ws_testserver, mqtt_wsbridge), header-only for
// those small programs, which link no test library.

#include <QtCore/QFile>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>
#include <QtWebSockets/QWebSocketServer>

namespace kw::test {

// A PEM chain and an RSA or EC PEM key for `server`; false with what is wrong in *error.
inline bool loadWebSocketServerTls(QWebSocketServer &server, const QString &certPath, const QString &keyPath,
                                   QString *error)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certPath, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = QStringLiteral("no PEM certificate in ") + certPath;
        return false;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read ") + keyPath + QStringLiteral(": ") + keyFile.errorString();
        return false;
    }
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral("no RSA or EC PEM private key in ") + keyPath;
        return false;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    server.setSslConfiguration(tls);
    return true;
}

} // namespace kw::test
