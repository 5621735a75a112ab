#include "commandnotifier.h"

#include "sessiontext.h"

#include <QCoreApplication>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxStderr = 4096;

QString isoText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

CommandNotifier::CommandNotifier(NotifierConfig config, Options options, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_options(std::move(options))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        m_killed = true;
        m_process->kill();
    });
}

CommandNotifier::~CommandNotifier()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
        delete m_process;
    }
}

QProcessEnvironment CommandNotifier::commandEnvironment(QProcessEnvironment env, const QString &notifier,
                                                        const AlertNotice &n)
{
    env.insert(u"KEEPWATCH_NOTIFIER"_s, notifier);
    env.insert(u"KEEPWATCH_ALERT"_s, alertKindName(n.kind));
    env.insert(u"KEEPWATCH_ENDPOINT"_s, n.endpoint);
    env.insert(u"KEEPWATCH_TARGET"_s, n.target);
    env.insert(u"KEEPWATCH_STATE"_s, QString::fromLatin1(endpointStateName(n.state)));
    env.insert(u"KEEPWATCH_CAUSE"_s, QString::fromStdString(n.cause.name()));
    env.insert(u"KEEPWATCH_DETAIL"_s, n.detail);
    env.insert(u"KEEPWATCH_TAGS"_s, n.tags.join(u','));
    env.insert(u"KEEPWATCH_TIME"_s, isoText(n.ts));
    env.insert(u"KEEPWATCH_STATE_SINCE"_s, isoText(n.stateSince));
    env.insert(u"KEEPWATCH_DOWN_SINCE"_s, isoText(n.downSince));
    env.insert(u"KEEPWATCH_DOWN_FOR_MS"_s, n.downForMs ? QString::number(*n.downForMs) : QString());
    env.insert(u"KEEPWATCH_BOUND_MS"_s, n.boundMs ? QString::number(*n.boundMs) : QString());
    env.insert(u"KEEPWATCH_TITLE"_s, alertTitle(n));
    env.insert(u"KEEPWATCH_TEXT"_s, alertText(n));
    return env;
}

QProcessEnvironment CommandNotifier::commandEnvironment(QProcessEnvironment env, const QString &notifier,
                                                        const AlertSummary &s)
{
    env.insert(u"KEEPWATCH_NOTIFIER"_s, notifier);
    env.insert(u"KEEPWATCH_ALERT"_s, u"summary"_s);
    env.insert(u"KEEPWATCH_SUMMARY_COUNT"_s, QString::number(s.count));
    env.insert(u"KEEPWATCH_ENDPOINTS"_s, s.endpoints.join(u','));
    env.insert(u"KEEPWATCH_TIME"_s, isoText(s.last));
    env.insert(u"KEEPWATCH_TITLE"_s, summaryTitle(s));
    env.insert(u"KEEPWATCH_TEXT"_s, summaryText(s));
    return env;
}

void CommandNotifier::notify(const AlertNotice &notice)
{
    enqueue(commandEnvironment(m_options.environment, m_config.name, notice));
}

void CommandNotifier::notifySummary(const AlertSummary &summary)
{
    enqueue(commandEnvironment(m_options.environment, m_config.name, summary));
}

void CommandNotifier::enqueue(QProcessEnvironment environment)
{
    if (m_queue.size() >= m_options.maxQueue) {
        m_queue.dequeue();
        fail(QCoreApplication::translate("kw::CommandNotifier",
                                         "runs are not keeping up; %1 are queued, the oldest is dropped")
                 .arg(m_options.maxQueue));
    }
    m_queue.enqueue(std::move(environment));
    if (!m_process)
        startNext();
}

void CommandNotifier::startNext()
{
    if (m_process || m_queue.isEmpty())
        return;
    auto *process = new QProcess(this);
    m_process = process;
    m_killed = false;
    process->setProcessEnvironment(m_queue.dequeue());
    process->setStandardOutputFile(QProcess::nullDevice());
    process->setStandardInputFile(QProcess::nullDevice());
    connect(process, &QProcess::finished, this, &CommandNotifier::onFinished);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || process != m_process)
            return;
        m_timeout.stop();
        m_process.clear();
        process->deleteLater();
        fail(QCoreApplication::translate(
                 "kw::CommandNotifier",
                 "could not start %1: %2; check \"program\" (a path, or a name found in PATH)")
                 .arg(m_config.program, process->errorString()));
        startNext();
    });
    // No shell: the arguments reach the program exactly as configured.
    process->start(m_config.program, m_config.args);
    if (m_process == process)
        m_timeout.start(m_config.effectiveTimeout());
}

void CommandNotifier::onFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *process = m_process;
    m_process.clear();
    m_timeout.stop();
    if (!process)
        return;
    process->deleteLater();
    QString err = QString::fromLocal8Bit(process->readAllStandardError().left(kMaxStderr)).trimmed();
    if (const qsizetype newline = err.indexOf(u'\n'); newline >= 0)
        err.truncate(newline);
    if (m_killed) {
        fail(QCoreApplication::translate("kw::CommandNotifier", "%1 did not finish within %2 and was killed")
                 .arg(m_config.program, formatDuration(m_config.effectiveTimeout())));
    } else if (status == QProcess::CrashExit) {
        fail(QCoreApplication::translate("kw::CommandNotifier", "%1 crashed").arg(m_config.program));
    } else if (exitCode != 0) {
        fail(err.isEmpty() ? QCoreApplication::translate("kw::CommandNotifier", "%1 exited with code %2")
                                 .arg(m_config.program)
                                 .arg(exitCode)
                           : QCoreApplication::translate("kw::CommandNotifier", "%1 exited with code %2: %3")
                                 .arg(m_config.program)
                                 .arg(exitCode)
                                 .arg(err));
    } else {
        Q_EMIT finished(exitCode);
    }
    startNext();
}

void CommandNotifier::fail(const QString &problem)
{
    Q_EMIT failed(QCoreApplication::translate("kw::CommandNotifier", "notifier \"%1\" (command): %2")
                      .arg(m_config.name, problem));
}

} // namespace kw
