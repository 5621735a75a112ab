#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace kw::test {

class PeerProcess;

// Certificates made for one test run with the openssl command line, in a temporary folder:
//   ca.pem / ca.key                 "Keepwatch Test CA"
//   localhost.pem / .key            for DNS:localhost and IP:127.0.0.1, signed by ca, valid 2024–2099
//   other.pem / .key                for other.example and www.other.example, signed by ca
//   expired.pem / .key              for localhost, valid only on 2020-01-01
//   future.pem / .key               for localhost, valid only from 2090-01-01 to 2091-01-01
//   selfsigned.pem / .key           for localhost, self-signed (no CA), valid 30 days from now
//   clientca.pem / .key             "Keepwatch Client CA"
//   client.pem / .key               a client certificate signed by clientca
//   strayclient.pem / .key          a client certificate signed by ca, which no server here trusts
//                                   for clients
//   notpem.txt                      a file that holds no PEM at all
class TestPki
{
public:
    // The openssl binary, or empty when it is not installed.
    static QString opensslProgram();

    // False with the reason (and openssl's own output) when a step fails.
    bool create(QString *error);
    // After create(): <name>.pem / <name>.key, a server certificate signed by ca for exactly
    // `subjectAltNames` ("IP:198.51.100.2", "DNS:peer.example"), valid 2024–2099. For servers that do
    // not live on 127.0.0.1, such as a peer in a network namespace.
    bool issueServer(const QString &name, const QStringList &subjectAltNames, QString *error);
    QString file(const QString &name) const { return m_dir.filePath(name); }

private:
    bool run(const QStringList &arguments, QString *error);
    bool makeCa(const QString &name, const QString &subject, QString *error);
    bool makeSelfSigned(const QString &name, const QString &subject, const QString &extensions,
                        QString *error);
    bool issue(const QString &name, const QString &ca, const QString &subject, const QString &extensions,
               const QString &startDate, const QString &endDate, QString *error);

    QString m_openssl;
    QTemporaryDir m_dir;
};

// `openssl s_server -accept 127.0.0.1:<port> arguments...` on a free loopback port, waited for until it
// listens; tried again on another port when one was taken between choosing and binding it.
bool startTlsServer(PeerProcess &server, const QStringList &arguments, quint16 *port, QString *error);

} // namespace kw::test
