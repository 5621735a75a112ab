// The TLS tab of the endpoint dialog: verification against a CA, a client certificate, the name the
// certificate must carry, ALPN and the expiry warning. TLS is a choice for kind tcp; for websocket and
// mqtt the URL's scheme or the transport decides, and the tab holds the settings.

#include "endpointdialog.h"

#include "endpointdialogfields.h"
#include "workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kw {

using namespace dialogfields;

namespace {
const TlsConfig kTlsDefaults;
} // namespace

QWidget *EndpointDialog::buildTlsTab()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    m_tlsGroup =
        named(new QGroupBox(tr("Encrypt with TLS"), page), QStringLiteral("tlsGroup"), tr("Use TLS"));
    m_tlsGroup->setCheckable(true);
    m_tlsGroup->setToolTip(tr("TLS through OpenSSL. The server's certificate and host name are verified "
                              "against the system's trust store unless a CA file is given."));
    auto *form = new QFormLayout(m_tlsGroup);
    const auto fileRow = [this](QLineEdit *edit, const QString &title) {
        auto *row = new QHBoxLayout;
        auto *browse = named(new QPushButton(tr("Browse…"), m_tlsGroup),
                             edit->objectName() + QStringLiteral("Browse"), tr("Choose %1").arg(title));
        browse->setAutoDefault(false);
        connect(browse, &QPushButton::clicked, this, [this, edit, title] {
            const QString file = QFileDialog::getOpenFileName(
                this, title, edit->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
            if (!file.isEmpty())
                edit->setText(file);
        });
        row->addWidget(edit, 1);
        row->addWidget(browse);
        return row;
    };
    m_tlsCaFile = named(new QLineEdit(m_tlsGroup), QStringLiteral("tlsCaFile"), tr("CA file"));
    m_tlsCaFile->setPlaceholderText(tr("empty: the system trust store"));
    m_tlsCaFile->setToolTip(tr("PEM file of the CA(s) that issue the server's certificate, for an internal "
                               "CA."));
    m_tlsCertFile =
        named(new QLineEdit(m_tlsGroup), QStringLiteral("tlsCertFile"), tr("Client certificate file"));
    m_tlsCertFile->setPlaceholderText(tr("only for servers that ask for one"));
    m_tlsCertFile->setToolTip(tr("Client certificate (PEM), with its key below: both or neither."));
    m_tlsKeyFile = named(new QLineEdit(m_tlsGroup), QStringLiteral("tlsKeyFile"), tr("Client key file"));
    m_tlsKeyFile->setToolTip(tr("The client certificate's unencrypted private key (PEM). Passwords are never "
                                "kept in the workspace: keep the file readable only by this user."));
    m_tlsPeerName = named(new QLineEdit(m_tlsGroup), QStringLiteral("tlsPeerName"), tr("Server name"));
    m_tlsPeerName->setPlaceholderText(tr("empty: the host"));
    m_tlsPeerName->setToolTip(tr("The name sent as SNI and that the certificate must carry: set it when you "
                                 "connect by address (10.0.0.5 for db.internal)."));
    m_tlsAlpn = named(new QLineEdit(m_tlsGroup), QStringLiteral("tlsAlpn"), tr("ALPN protocols"));
    m_tlsAlpn->setPlaceholderText(tr("e.g. h2 mqtt (in order of preference)"));
    m_tlsAlpn->setToolTip(tr("Protocols offered by ALPN, most preferred first; empty: none offered."));
    m_tlsWarnExpiryDays = named(spin(0, 3650, tr(" days"), m_tlsGroup), QStringLiteral("tlsWarnExpiryDays"),
                                tr("Warn before certificate expiry"));
    m_tlsWarnExpiryDays->setToolTip(tr("An info event (certificate-expiry) and a mark in the window when the "
                                       "server's certificate expires within this many days."));
    m_tlsInsecure = named(new QCheckBox(tr("Do not verify the certificate (insecure)"), m_tlsGroup),
                          QStringLiteral("tlsInsecure"), tr("Skip certificate verification"));
    m_tlsInsecure->setToolTip(tr("Anyone on the path can pose as this server. Said in the window and in "
                                 "every event; give the server's CA file instead where you can."));
    // A row of an edit and its button: the label's mnemonic goes to the edit.
    const auto addFileRow = [this, form, &fileRow](const QString &label, QLineEdit *edit,
                                                   const QString &title) {
        auto *text = new QLabel(label, m_tlsGroup);
        text->setBuddy(edit);
        form->addRow(text, fileRow(edit, title));
    };
    addFileRow(tr("&CA file:"), m_tlsCaFile, tr("CA file"));
    addFileRow(tr("Client &certificate:"), m_tlsCertFile, tr("Client certificate"));
    addFileRow(tr("Client &key:"), m_tlsKeyFile, tr("Client key"));
    form->addRow(tr("&Server name:"), m_tlsPeerName);
    form->addRow(tr("&ALPN:"), m_tlsAlpn);
    form->addRow(tr("&Warn before expiry:"), m_tlsWarnExpiryDays);
    form->addRow(QString(), m_tlsInsecure);
    m_tlsNote = named(new QLabel(page), QStringLiteral("tlsNote"), tr("TLS note"));
    m_tlsNote->setWordWrap(true);
    layout->addWidget(m_tlsGroup);
    layout->addWidget(m_tlsNote);
    layout->addStretch(1);
    return page;
}

bool EndpointDialog::tlsImpliedByKind() const
{
    if (m_kind == u"websocket")
        return m_url->text().trimmed().startsWith(u"wss:", Qt::CaseInsensitive);
    if (m_kind == u"mqtt") {
        const QString transport = m_mqttTransport->currentData().toString();
        return transport == u"tls" || transport == u"wss";
    }
    return false;
}

void EndpointDialog::updateTlsState()
{
    if (!m_tlsGroup)
        return;
    // For websocket and mqtt the URL or the transport says whether TLS is on; the group follows it.
    // QGroupBox::setCheckable(true) checks the box, so kind tcp's choice is kept aside meanwhile.
    const bool byKind = m_kind == u"websocket" || m_kind == u"mqtt";
    const QSignalBlocker blocker(m_tlsGroup);
    if (byKind) {
        if (m_tlsGroup->isCheckable())
            m_tlsChosen = m_tlsGroup->isChecked();
        m_tlsGroup->setCheckable(false);
        m_tlsGroup->setEnabled(tlsImpliedByKind());
    } else {
        m_tlsGroup->setEnabled(true);
        if (!m_tlsGroup->isCheckable()) {
            m_tlsGroup->setCheckable(true);
            m_tlsGroup->setChecked(m_tlsChosen);
        }
    }
    if (m_kind == u"websocket")
        m_tlsNote->setText(tlsImpliedByKind() ? tr("TLS is on: the URL starts with wss://.")
                           : m_url->text().trimmed().isEmpty()
                               ? tr("TLS follows the URL: wss:// turns it on.")
                               : tr("TLS is off: a ws:// URL. Use wss:// to encrypt."));
    else if (m_kind == u"mqtt")
        m_tlsNote->setText(tlsImpliedByKind()
                               ? tr("TLS is on: the MQTT transport is TLS or WebSocket over TLS.")
                               : tr("TLS is off: choose transport TLS or WebSocket over TLS on "
                                    "the MQTT tab to encrypt."));
    else
        m_tlsNote->clear();
    m_tlsNote->setVisible(!m_tlsNote->text().isEmpty());
}

void EndpointDialog::loadTls(const EndpointConfig &c)
{
    const TlsConfig &t = c.tls;
    {
        const QSignalBlocker blocker(m_tlsGroup);
        m_tlsGroup->setChecked(t.enabled);
    }
    m_tlsCaFile->setText(t.caFile);
    m_tlsCertFile->setText(t.certFile);
    m_tlsKeyFile->setText(t.keyFile);
    m_tlsPeerName->setText(t.peerName);
    m_tlsInsecure->setChecked(t.insecure);
    m_tlsAlpn->setText(t.alpn.join(u' '));
    m_tlsWarnExpiryDays->setValue(t.warnExpiryDays);
}

std::optional<QJsonObject> EndpointDialog::tlsJson() const
{
    const bool hadTls = m_raw.contains(QStringLiteral("tls"));
    QJsonObject t = m_raw.value(QStringLiteral("tls")).toObject();
    const auto putText = [&t](const QString &key, const QLineEdit *edit) {
        putOrRemove(t, key, !edit->text().trimmed().isEmpty(), edit->text().trimmed());
    };
    putText(QStringLiteral("ca_file"), m_tlsCaFile);
    putText(QStringLiteral("cert_file"), m_tlsCertFile);
    putText(QStringLiteral("key_file"), m_tlsKeyFile);
    putText(QStringLiteral("peer_name"), m_tlsPeerName);
    putUnlessDefault(t, QStringLiteral("insecure"), m_tlsInsecure->isChecked(), kTlsDefaults.insecure);
    const QStringList alpn = splitWords(m_tlsAlpn->text());
    putOrRemove(t, QStringLiteral("alpn"), !alpn.isEmpty(), QJsonArray::fromStringList(alpn));
    putUnlessDefault(t, QStringLiteral("warn_expiry_days"), m_tlsWarnExpiryDays->value(),
                     kTlsDefaults.warnExpiryDays);
    QJsonObject settings = t;
    settings.remove(QStringLiteral("enabled"));

    if (m_kind == u"listen")
        return std::nullopt;
    if (m_kind == u"websocket" || m_kind == u"mqtt") {
        // The scheme or transport turns TLS on; a "tls" object only carries settings. Without TLS a
        // "tls" object is refused for mqtt, so the settings go (unless the file switched them off).
        if (!tlsImpliedByKind())
            return hadTls && !t.value(QStringLiteral("enabled")).toBool(true) ? std::optional(t)
                                                                              : std::nullopt;
        if (settings.isEmpty() && !hadTls)
            return std::nullopt;
        if (t.contains(QStringLiteral("enabled")))
            t.insert(QStringLiteral("enabled"), true);
        return t;
    }
    // Kind tcp: {"tls": {}} turns TLS on; switched off, settings worth keeping stay with "enabled": false.
    if (m_tlsGroup->isChecked()) {
        if (t.contains(QStringLiteral("enabled")))
            t.insert(QStringLiteral("enabled"), true);
        return t;
    }
    if (settings.isEmpty() && !t.contains(QStringLiteral("enabled")))
        return std::nullopt;
    t.insert(QStringLiteral("enabled"), false);
    return t;
}

} // namespace kw
