// The endpoint dialog's keepalive and heartbeat lint: the findings of kw::lintEndpoint() for the fields as
// they are, and the heartbeat floods this endpoint would be part of, shown under the errors with the fix.
// They are warnings, not errors: OK stays enabled. The lint is pure arithmetic over the settings, cheap
// enough to run on every edit in the GUI thread.

#include "endpointdialog.h"

#include "keepalivelint.h"
#include "workspace.h"

#include <QLabel>

namespace kw {

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
