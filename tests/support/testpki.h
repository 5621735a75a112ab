#pragma once

#include <QString>
#include <QTemporaryDir>

namespace kw::test {

// Certificates made for one test run with the openssl command line, in a temporary folder:
//   ca.pem / ca.key                 "Keepwatch Test CA"
//   localhost.pem / .key            for DNS:localhost and IP:127.0.0.1, signed by ca, valid 2024–2099
//   other.pem / .key                for other.example and www.other.example, signed by ca
//   expired.pem / .key              for localhost, valid only on 2020-01-01
//   clientca.pem / .key             "Keepwatch Client CA"
//   client.pem / .key               a client certificate signed by clientca
class TestPki
{
public:
    // The openssl binary, or empty when it is not installed.
    static QString opensslProgram();

    // False with the reason (and openssl's own output) when a step fails.
    bool create(QString *error);
    QString file(const QString &name) const { return m_dir.filePath(name); }

private:
    bool run(const QStringList &arguments, QString *error);
    bool makeCa(const QString &name, const QString &subject, QString *error);
    bool issue(const QString &name, const QString &ca, const QString &subject, const QString &extensions,
               const QString &startDate, const QString &endDate, QString *error);

    QString m_openssl;
    QTemporaryDir m_dir;
};

} // namespace kw::test
