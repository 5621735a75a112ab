#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace kw {

// The embedded demo's TLS identity, made in memory at start for this run only: a demo CA and a
// server certificate it signed for DNS:localhost and IP:127.0.0.1, all PEM. The demo endpoint
// verifies against the CA, so the demo shows TLS the way it should be used, with verification on.
struct DemoCertificates
{
    QByteArray caCertificatePem;
    QByteArray serverCertificatePem;
    QByteArray serverKeyPem; // PKCS #8, unencrypted; never written to disk

    // Empty with the OpenSSL error in `error` when a step fails.
    static std::optional<DemoCertificates> create(QString *error);
};

} // namespace kw
