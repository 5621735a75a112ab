#include "democertificates.h"

#include <QCoreApplication>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <initializer_list>
#include <memory>

namespace kw {

namespace {

template<auto Free>
struct OpenSslFree
{
    template<typename T>
    void operator()(T *p) const
    {
        Free(p);
    }
};
using PrivateKey = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION_free>>;
using BigNumber = std::unique_ptr<BIGNUM, OpenSslFree<BN_free>>;
using MemoryBio = std::unique_ptr<BIO, OpenSslFree<BIO_free>>;

// Both certificates start an hour back, so a clock a little behind the one that made them still
// accepts them, and last 30 days: longer than the default tls.warn_expiry_days (14), so the demo
// shows a plain "TLS up" and no expiry warning. Nothing outlives the run that made them.
constexpr long kBackdateSeconds = 3600;
constexpr long kValiditySeconds = 30L * 24 * 3600;

struct ExtensionText
{
    int nid;
    const char *value; // OpenSSL's x509v3_config syntax
};

QString translate(const char *text)
{
    return QCoreApplication::translate("kw::DemoCertificates", text);
}

// The step that failed and OpenSSL's reason, which names the library function.
QString failure(const char *step)
{
    const unsigned long code = ERR_get_error();
    char reason[256] = {};
    if (code != 0)
        ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    return code == 0 ? translate(step) : translate(step) + u": "_qs + QString::fromLatin1(reason);
}

// P-256 rather than RSA 2048: generated in a fraction of a millisecond instead of tens of
// milliseconds at every start, and every TLS 1.3 client and Qt's server side take it.
PrivateKey generateKey(QString *error)
{
    PrivateKey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        *error = failure(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot generate an EC P-256 key"));
    return key;
}

// Subject CN=commonName, O=Keepwatch demo; self-signed when issuer is null.
Certificate issue(EVP_PKEY *key, const char *commonName, X509 *issuer, EVP_PKEY *issuerKey,
                  std::initializer_list<ExtensionText> extensions, QString *error)
{
    const auto fail = [error](const char *step) {
        *error = failure(step);
        return Certificate();
    };
    Certificate certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1)
        return fail(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot create a certificate"));
    X509 *const cert = certificate.get();

    // RFC 5280 4.1.2.2: a positive serial of at most 20 octets, unique per issuer; random, since
    // each run has its own CA and a client may cache what it saw of an earlier one.
    BigNumber serial(BN_new());
    if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)))
        return fail(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot pick a serial number"));

    X509_NAME *subject = X509_get_subject_name(cert);
    const auto addName = [subject](const char *field, const char *value) {
        return X509_NAME_add_entry_by_txt(subject, field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char *>(value), -1, -1, 0) == 1;
    };
    if (!addName("O", "Keepwatch demo") || !addName("CN", commonName) ||
        X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(cert), -kBackdateSeconds) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert), kValiditySeconds) || X509_set_pubkey(cert, key) != 1)
        return fail(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot fill in the certificate"));

    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
    for (const ExtensionText &text : extensions) {
        const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, text.nid, text.value));
        if (!extension || X509_add_ext(cert, extension.get(), -1) != 1)
            return fail(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot add a certificate extension"));
    }
    if (X509_sign(cert, issuerKey, EVP_sha256()) <= 0)
        return fail(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot sign the certificate"));
    return certificate;
}

template<typename Write>
std::optional<QByteArray> toPem(Write write, QString *error)
{
    const MemoryBio bio(BIO_new(BIO_s_mem()));
    if (bio && write(bio.get()) == 1) {
        QByteArray pem(qsizetype(BIO_ctrl_pending(bio.get())), Qt::Uninitialized);
        if (BIO_read(bio.get(), pem.data(), int(pem.size())) == int(pem.size()))
            return pem;
    }
    *error = failure(QT_TRANSLATE_NOOP("kw::DemoCertificates", "cannot write PEM"));
    return std::nullopt;
}

} // namespace

std::optional<DemoCertificates> DemoCertificates::create(QString *error)
{
    const PrivateKey caKey = generateKey(error);
    if (!caKey)
        return std::nullopt;
    const Certificate ca = issue(caKey.get(), "Keepwatch demo CA", nullptr, caKey.get(),
                                 {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                  {NID_subject_key_identifier, "hash"}},
                                 error);
    if (!ca)
        return std::nullopt;

    const PrivateKey serverKey = generateKey(error);
    if (!serverKey)
        return std::nullopt;
    // The demo connects to 127.0.0.1 with peer_name "localhost"; the IP entry lets a user who
    // copies the endpoint without peer_name see it verify too.
    const Certificate server = issue(serverKey.get(), "localhost", ca.get(), caKey.get(),
                                     {{NID_basic_constraints, "critical,CA:FALSE"},
                                      {NID_key_usage, "critical,digitalSignature"},
                                      {NID_ext_key_usage, "serverAuth"},
                                      {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                                      {NID_subject_key_identifier, "hash"},
                                      {NID_authority_key_identifier, "keyid:always"}},
                                     error);
    if (!server)
        return std::nullopt;

    const auto caPem = toPem([&](BIO *bio) { return PEM_write_bio_X509(bio, ca.get()); }, error);
    const auto serverPem = toPem([&](BIO *bio) { return PEM_write_bio_X509(bio, server.get()); }, error);
    const auto keyPem = toPem(
        [&](BIO *bio) {
            return PEM_write_bio_PrivateKey(bio, serverKey.get(), nullptr, nullptr, 0, nullptr, nullptr);
        },
        error);
    if (!caPem || !serverPem || !keyPem)
        return std::nullopt;
    return DemoCertificates{*caPem, *serverPem, *keyPem};
}

} // namespace kw
