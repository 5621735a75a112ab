// `keepwatch check --workspace FILE [--strict] [--json]`: the loader's validation, then the keepalive and
// heartbeat lint (lib/monitor/keepalivelint.h) against this machine's platform and system defaults.

#include "appsupport.h"

#include "commandline.h"
#include "keepalivelint.h"
#include "systemdefaults.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace kw {

// The translation context of this file's messages (lupdate files them under "kw::Check").
class Check
{
    Q_DECLARE_TR_FUNCTIONS(kw::Check)
};

namespace {

QString where(const LintFinding &finding)
{
    return finding.endpoint.isEmpty() ? Check::tr("workspace")
                                      : Check::tr("endpoint \"%1\"").arg(finding.endpoint);
}

QJsonObject findingJson(const LintFinding &finding)
{
    return QJsonObject{
        {QStringLiteral("severity"), lintSeverityName(finding.severity)},
        {QStringLiteral("rule"), lintRuleName(finding.rule)},
        {QStringLiteral("endpoint"),
         finding.endpoint.isEmpty() ? QJsonValue() : QJsonValue(finding.endpoint)},
        {QStringLiteral("key"), finding.key},
        {QStringLiteral("reason"), finding.reason},
        {QStringLiteral("fix"), finding.fix},
        {QStringLiteral("endpoints"), QJsonArray::fromStringList(finding.members)},
    };
}

} // namespace

int runCheck(const AppOptions &options)
{
    const WorkspaceResult loaded = loadWorkspace(options.workspacePath);
    const net::SystemDefaults defaults = net::readSystemDefaults();
    QList<LintFinding> findings;
    if (loaded.ok())
        findings = lintWorkspace(*loaded.workspace, defaults);
    qsizetype warnings = 0;
    for (const LintFinding &finding : std::as_const(findings))
        warnings += finding.severity == LintSeverity::Warning ? 1 : 0;
    const qsizetype notes = findings.size() - warnings;
    // 2 as before for an invalid workspace; lint warnings fail only when asked to.
    const int exitCode = !loaded.ok() ? 2 : (options.checkStrict && warnings > 0 ? 1 : 0);

    if (options.checkJson) {
        QJsonArray list;
        for (const LintFinding &finding : std::as_const(findings))
            list.append(findingJson(finding));
        const QJsonObject report{
            {QStringLiteral("file"), options.workspacePath},
            {QStringLiteral("valid"), loaded.ok()},
            {QStringLiteral("endpoints"), loaded.ok() ? qint64(loaded.workspace->endpoints.size()) : 0},
            {QStringLiteral("errors"), QJsonArray::fromStringList(loaded.errors)},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(loaded.warnings)},
            {QStringLiteral("platform"), QString::fromStdString(defaults.platform)},
            {QStringLiteral("findings"), list},
            {QStringLiteral("strict"), options.checkStrict},
            {QStringLiteral("exit_code"), exitCode},
        };
        std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
        return exitCode;
    }

    for (const QString &warning : loaded.warnings)
        printWarning(warning);
    if (!loaded.ok()) {
        for (const QString &error : loaded.errors)
            std::fprintf(stderr, "%s\n", qUtf8Printable(error));
        return exitCode;
    }
    std::printf("%s: valid, %lld endpoints\n", qUtf8Printable(options.workspacePath),
                static_cast<long long>(loaded.workspace->endpoints.size()));
    for (const LintFinding &finding : std::as_const(findings)) {
        const QString severity =
            finding.severity == LintSeverity::Warning ? Check::tr("warning") : Check::tr("note");
        std::printf("%s: %s: %s: %s: %s\n    %s\n", qUtf8Printable(options.workspacePath),
                    qUtf8Printable(severity), qUtf8Printable(where(finding)), qUtf8Printable(finding.key),
                    qUtf8Printable(finding.reason), qUtf8Printable(Check::tr("fix: %1").arg(finding.fix)));
    }
    if (!findings.isEmpty()) {
        std::printf("%s\n", qUtf8Printable(Check::tr("%1: %2 warnings, %3 notes (%4)")
                                               .arg(options.workspacePath)
                                               .arg(warnings)
                                               .arg(notes)
                                               .arg(options.checkStrict
                                                        ? Check::tr("--strict: warnings fail the check")
                                                        : Check::tr("add --strict to fail on warnings"))));
    }
    return exitCode;
}

} // namespace kw
