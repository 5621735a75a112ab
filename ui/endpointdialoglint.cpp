// The endpoint dialog's keepalive and heartbeat lint: the findings of kw::lintEndpoint() for the fields as
// they are, and the heartbeat floods this endpoint would be part of, shown under the errors with the fix.
// They are warnings, not errors: OK stays enabled. The lint is pure arithmetic over the settings, cheap
// enough to run on every edit in the GUI thread.

#include "endpointdialog.h"

#include "keepalivelint.h"
#include "workspace.h"

#include <QComboBox>
#include <QJsonObject>
#include <QLabel>

namespace kw {

void EndpointDialog::loadPath()
{
    m_kaPath->addItem(tr("as the workspace says"), QString());
    for (const Middlebox &m : knownMiddleboxes())
        m_kaPath->addItem(tr("%1 (%2 s)").arg(m.name).arg(m.idleTimeout.count()), m.id);
    m_kaPath->addItem(tr("none (nothing on the path times out)"), QStringLiteral("none"));
    // A measured timeout (seconds), or a value the loader would refuse, is kept as it is.
    const QJsonValue own = m_raw.value(QStringLiteral("path"));
    if (own.isUndefined())
        return;
    const int known = own.isString() ? m_kaPath->findData(own.toString()) : -1;
    if (known > 0) {
        m_kaPath->setCurrentIndex(known);
        return;
    }
    const QString text =
        own.isDouble() ? tr("measured: %1 s").arg(own.toDouble()) : own.toVariant().toString();
    m_kaPath->addItem(text, own.toVariant());
    m_kaPath->setCurrentIndex(m_kaPath->count() - 1);
}

void EndpointDialog::putPath(QJsonObject &o) const
{
    const QVariant chosen = m_kaPath->currentData();
    if (chosen.toString().isEmpty() && chosen.typeId() == QMetaType::QString)
        o.remove(QStringLiteral("path"));
    else
        o.insert(QStringLiteral("path"), QJsonValue::fromVariant(chosen));
}

void EndpointDialog::setWorkspace(const Workspace &workspace)
{
    m_lintPath = workspacePathHint(workspace);
    m_lintOthers.clear();
    for (const EndpointConfig &endpoint : workspace.endpoints) {
        if (m_originalName.isEmpty() || endpoint.name != m_originalName)
            m_lintOthers.append(endpoint);
    }
    updateLint();
}

void EndpointDialog::updateLint()
{
    m_lintWarnings.clear();
    if (m_config && !m_pristine) {
        QList<LintFinding> findings = lintEndpoint(*m_config, m_lintPath, m_systemDefaults);
        // Only the endpoints to the same host can share a flood with this one: a compare per endpoint,
        // not a copy of the workspace, on every edit of a 10,000-endpoint workspace.
        QList<EndpointConfig> sameHost;
        for (const EndpointConfig &other : m_lintOthers) {
            if (other.host.compare(m_config->host, Qt::CaseInsensitive) == 0)
                sameHost.append(other);
        }
        sameHost.append(*m_config);
        for (const LintFinding &flood : lintFloods(sameHost, m_systemDefaults)) {
            if (flood.members.contains(m_config->name))
                findings.append(flood);
        }
        for (const LintFinding &finding : std::as_const(findings)) {
            // The loader's path-to-label mapping names the field as the dialog labels it.
            int tab = 0;
            const QString field = describeError(QStringLiteral("endpoint.") + finding.key + u':', &tab);
            const QString where = finding.rule == LintRule::HeartbeatFlood
                                      ? tr("Workspace")
                                      : field.left(field.size() - 1); // without the ':' put there above
            m_lintWarnings.append((finding.severity == LintSeverity::Warning ? tr("Warning, %1: %2 Fix: %3.")
                                                                             : tr("Note, %1: %2 Fix: %3."))
                                      .arg(where, finding.reason, finding.fix));
        }
    }
    m_lintLabel->setText(m_lintWarnings.isEmpty()
                             ? QString()
                             : QStringLiteral("• ") + m_lintWarnings.join(QStringLiteral("\n• ")));
    m_lintLabel->setVisible(!m_lintWarnings.isEmpty());
}

} // namespace kw
