#include "testpki.h"

#include "peerprocess.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace kw::test {

namespace {

// `openssl ca` with exact dates: OpenSSL 3.0's x509 has no -not_before/-not_after, and the expired and
// future certificates need dates on either side of today.
QByteArray configText(const QByteArray &dir)
{
    return "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n"
           "[ca]\ndefault_ca = kwca\n"
           "[kwca]\ndatabase = " +
           dir + "/index.txt\nnew_certs_dir = " + dir + "\nserial = " + dir +
           "/serial\ndefault_md = sha256\npolicy = anything\nunique_subject = no\ncopy_extensions = none\n"
           "[anything]\ncommonName = supplied\norganizationName = optional\n"
           "[ext_ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n"
           "subjectKeyIdentifier = hash\n"
           "[ext_localhost]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n"
           "subjectAltName = DNS:localhost,IP:127.0.0.1\n"
           "[ext_other]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n"
           "subjectAltName = DNS:other.example,DNS:www.other.example\n"
           "[ext_client]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = clientAuth\n";
}

bool writeFile(const QString &path, const QByteArray &data, QIODevice::OpenMode mode = QIODevice::WriteOnly)
{
    QFile file(path);
    return file.open(mode) && file.write(data) == data.size();
}

const QString kValidFrom = u"20240101000000Z"_s;
const QString kValidUntil = u"20991231235959Z"_s;

} // namespace

QString TestPki::opensslProgram()
{
    return QStandardPaths::findExecutable(u"openssl"_s);
}

bool TestPki::run(const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(m_openssl, arguments);
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error =
            u"openssl "_s + arguments.join(u' ') + u" failed: "_s + QString::fromLocal8Bit(process.readAll());
        return false;
    }
    return true;
}

bool TestPki::makeCa(const QString &name, const QString &subject, QString *error)
{
    return run({u"req"_s, u"-x509"_s, u"-config"_s, file(u"openssl.cnf"_s), u"-newkey"_s, u"ec"_s,
                u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s,
                file(name + u".key"_s), u"-out"_s, file(name + u".pem"_s), u"-days"_s, u"3650"_s, u"-subj"_s,
                subject, u"-extensions"_s, u"ext_ca"_s},
               error);
}

bool TestPki::makeSelfSigned(const QString &name, const QString &subject, const QString &extensions,
                             QString *error)
{
    return run({u"req"_s, u"-x509"_s, u"-config"_s, file(u"openssl.cnf"_s), u"-newkey"_s, u"ec"_s,
                u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s,
                file(name + u".key"_s), u"-out"_s, file(name + u".pem"_s), u"-days"_s, u"30"_s, u"-subj"_s,
                subject, u"-extensions"_s, extensions},
               error);
}

bool TestPki::issue(const QString &name, const QString &ca, const QString &subject, const QString &extensions,
                    const QString &startDate, const QString &endDate, QString *error)
{
    return run({u"req"_s, u"-new"_s, u"-config"_s, file(u"openssl.cnf"_s), u"-newkey"_s, u"ec"_s,
                u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s,
                file(name + u".key"_s), u"-out"_s, file(name + u".csr"_s), u"-subj"_s, subject},
               error) &&
           run({u"ca"_s, u"-batch"_s, u"-notext"_s, u"-config"_s, file(u"openssl.cnf"_s), u"-cert"_s,
                file(ca + u".pem"_s), u"-keyfile"_s, file(ca + u".key"_s), u"-in"_s, file(name + u".csr"_s),
                u"-out"_s, file(name + u".pem"_s), u"-startdate"_s, startDate, u"-enddate"_s, endDate,
                u"-extensions"_s, extensions},
               error);
}

bool TestPki::create(QString *error)
{
    m_openssl = opensslProgram();
    if (m_openssl.isEmpty()) {
        *error = u"the openssl command line is not installed (Debian: apt-get install openssl)"_s;
        return false;
    }
    if (!m_dir.isValid()) {
        *error = u"cannot create a temporary folder: "_s + m_dir.errorString();
        return false;
    }
    if (!writeFile(file(u"openssl.cnf"_s), configText(m_dir.path().toUtf8())) ||
        !writeFile(file(u"index.txt"_s), {}) || !writeFile(file(u"serial"_s), "1000\n")) {
        *error = u"cannot write the CA files into "_s + m_dir.path();
        return false;
    }
    if (!writeFile(file(u"notpem.txt"_s), "this is not a certificate\n")) {
        *error = u"cannot write notpem.txt into "_s + m_dir.path();
        return false;
    }
    return makeCa(u"ca"_s, u"/CN=Keepwatch Test CA"_s, error) &&
           makeCa(u"clientca"_s, u"/CN=Keepwatch Client CA"_s, error) &&
           issue(u"localhost"_s, u"ca"_s, u"/CN=localhost/O=Keepwatch Tests"_s, u"ext_localhost"_s,
                 kValidFrom, kValidUntil, error) &&
           issue(u"other"_s, u"ca"_s, u"/CN=other.example"_s, u"ext_other"_s, kValidFrom, kValidUntil,
                 error) &&
           issue(u"expired"_s, u"ca"_s, u"/CN=localhost"_s, u"ext_localhost"_s, u"20200101000000Z"_s,
                 u"20200102000000Z"_s, error) &&
           issue(u"future"_s, u"ca"_s, u"/CN=localhost"_s, u"ext_localhost"_s, u"20900101000000Z"_s,
                 u"20910101000000Z"_s, error) &&
           makeSelfSigned(u"selfsigned"_s, u"/CN=localhost"_s, u"ext_localhost"_s, error) &&
           issue(u"client"_s, u"clientca"_s, u"/CN=keepwatch-probe"_s, u"ext_client"_s, kValidFrom,
                 kValidUntil, error) &&
           issue(u"strayclient"_s, u"ca"_s, u"/CN=keepwatch-stray"_s, u"ext_client"_s, kValidFrom,
                 kValidUntil, error);
}

bool TestPki::issueServer(const QString &name, const QStringList &subjectAltNames, QString *error)
{
    if (m_openssl.isEmpty() || subjectAltNames.isEmpty()) {
        *error = u"issueServer(\""_s + name + u"\") needs create() first and at least one name"_s;
        return false;
    }
    // A section of its own in openssl.cnf: `openssl ca` takes the extensions by section name only.
    QString section = u"ext_server_"_s + name;
    for (QChar &c : section) {
        if (!c.isLetterOrNumber())
            c = u'_';
    }
    const QByteArray text =
        "\n[" + section.toUtf8() +
        "]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\nsubjectAltName = " +
        subjectAltNames.join(u',').toUtf8() + "\n";
    if (!writeFile(file(u"openssl.cnf"_s), text, QIODevice::Append)) {
        *error = u"cannot append to "_s + file(u"openssl.cnf"_s);
        return false;
    }
    return issue(name, u"ca"_s,
                 u"/CN="_s + subjectAltNames.first().section(u':', 1, -1) + u"/O=Keepwatch Tests"_s, section,
                 kValidFrom, kValidUntil, error);
}

bool startTlsServer(PeerProcess &server, const QStringList &arguments, quint16 *port, QString *error)
{
    // The port is free when chosen and bound by s_server a moment later: another process may take it in
    // between, so a start that fails is tried on another port (it says why when all fail).
    for (int attempt = 0; attempt < 3; ++attempt) {
        *port = freeLoopbackPort();
        // s_server prints ACCEPT once it listens (and flushes it).
        if (server.start(TestPki::opensslProgram(),
                         QStringList{u"s_server"_s, u"-accept"_s, u"127.0.0.1:"_s + QString::number(*port)} +
                             arguments,
                         "ACCEPT", error))
            return true;
    }
    return false;
}

} // namespace kw::test
