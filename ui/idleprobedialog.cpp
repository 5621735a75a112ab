#include "idleprobedialog.h"

#include "engine.h"
#include "idleprobejob.h"
#include "idleprobetext.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace kw {

namespace {

using std::chrono::milliseconds;

double toSeconds(milliseconds value)
{
    return double(value.count()) / 1000.0;
}

milliseconds fromSeconds(double value)
{
    return milliseconds(std::llround(value * 1000.0));
}

QString optionalSeconds(const std::optional<std::chrono::seconds> &value)
{
    return value ? IdleProbeDialog::tr("%1 s").arg(value->count()) : IdleProbeDialog::tr("system default");
}

template<typename W>
W *named(W *widget, const char *objectName, const QString &accessibleName)
{
    widget->setObjectName(QString::fromLatin1(objectName));
    widget->setAccessibleName(accessibleName);
    return widget;
}

} // namespace

IdleProbeDialog::IdleProbeDialog(Engine *engine, const QString &endpoint, QWidget *parent)
    : QDialog(parent), m_engine(engine), m_job(new IdleProbeJob(this))
{
    setObjectName(QStringLiteral("idleProbeDialog"));
    setWindowTitle(tr("Find path idle timeout"));
    setAccessibleName(tr("Find path idle timeout"));

    const EndpointConfig *config =
        m_engine && !endpoint.isEmpty() ? m_engine->workspace().find(endpoint) : nullptr;
    if (config && config->kind != EndpointKind::Listen)
        m_endpoint = endpoint; // a listen endpoint has no path of its own to probe

    auto *intro = new QLabel(tr("Opens TCP connections to the service with keepalive off, leaves them idle "
                                "for longer and longer gaps and writes after each, to find how long the path "
                                "(NAT, firewall, load balancer) keeps an idle connection. The same as "
                                "keepwatch probe-idle."),
                             this);
    intro->setObjectName(QStringLiteral("idleProbeIntro"));
    intro->setWordWrap(true);

    m_host = named(new QLineEdit(this), "idleProbeHost", tr("Host"));
    m_host->setPlaceholderText(tr("db.example.net or 198.51.100.2"));
    m_port = named(new QSpinBox(this), "idleProbePort", tr("Port"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("(none)"));
    m_max = named(new QDoubleSpinBox(this), "idleProbeMax", tr("Longest gap (--max), seconds"));
    m_max->setDecimals(1);
    m_max->setRange(toSeconds(kMinIdleSearchMax), toSeconds(kMaxIdleSearchMax));
    m_max->setSuffix(tr(" s"));
    m_max->setToolTip(tr("The longest idle gap tried; a path that keeps connections longer reports none "
                         "found. 3 h covers RFC 5382's minimum of 2 h 4 min."));
    m_precision =
        named(new QDoubleSpinBox(this), "idleProbePrecision", tr("Precision (--precision), seconds"));
    m_precision->setDecimals(1);
    m_precision->setRange(toSeconds(kMinIdleSearchPrecision), toSeconds(kMaxIdleSearchMax));
    m_precision->setSuffix(tr(" s"));
    m_precision->setToolTip(tr("The search stops when the bracket is this narrow."));
    m_parallel = named(new QSpinBox(this), "idleProbeParallel", tr("Connections at once (--parallel)"));
    m_parallel->setRange(1, kMaxIdleSearchParallel);
    m_parallel->setToolTip(tr("Connections idling at the same time: more finish sooner."));
    setOptions(IdleSearchOptions{});

    auto *target = new QHBoxLayout;
    target->addWidget(m_host, 1);
    auto *portLabel = new QLabel(tr("&Port:"), this);
    portLabel->setBuddy(m_port);
    target->addWidget(portLabel);
    target->addWidget(m_port);
    auto *tuning = new QHBoxLayout;
    tuning->addWidget(m_max);
    auto *precisionLabel = new QLabel(tr("P&recision:"), this);
    precisionLabel->setBuddy(m_precision);
    tuning->addWidget(precisionLabel);
    tuning->addWidget(m_precision);
    auto *parallelLabel = new QLabel(tr("Co&nnections:"), this);
    parallelLabel->setBuddy(m_parallel);
    tuning->addWidget(parallelLabel);
    tuning->addWidget(m_parallel);
    tuning->addStretch(1);

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), target);
    form->addRow(tr("Longest &gap:"), tuning);
    if (auto *hostLabel = qobject_cast<QLabel *>(form->labelForField(target)))
        hostLabel->setBuddy(m_host);
    if (auto *maxLabel = qobject_cast<QLabel *>(form->labelForField(tuning)))
        maxLabel->setBuddy(m_max);

    m_progress = named(new QListWidget(this), "idleProbeProgress", tr("Probes"));
    m_progress->setMinimumHeight(120);
    m_progress->setWordWrap(true);
    m_status = named(new QLabel(this), "idleProbeStatus", tr("Status"));
    m_status->setWordWrap(true);
    m_resultLabel = named(new QLabel(this), "idleProbeResult", tr("Result"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error = named(new QLabel(this), "idleProbeError", tr("Error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e; font-weight: bold;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(this);
    buttons->setObjectName(QStringLiteral("idleProbeButtons"));
    m_start = named(buttons->addButton(tr("&Start"), QDialogButtonBox::ActionRole), "idleProbeStart",
                    tr("Start the search"));
    m_cancel = named(buttons->addButton(tr("&Cancel search"), QDialogButtonBox::ActionRole),
                     "idleProbeCancel", tr("Cancel the search"));
    m_apply =
        named(buttons->addButton(m_endpoint.isEmpty() ? tr("&Apply") : tr("&Apply to %1").arg(m_endpoint),
                                 QDialogButtonBox::ApplyRole),
              "idleProbeApply", tr("Apply the recommended keepalive"));
    m_close = named(buttons->addButton(QDialogButtonBox::Close), "idleProbeClose", tr("Close"));
    m_apply->setEnabled(false);
    m_apply->setToolTip(m_endpoint.isEmpty() ? tr("Open this dialog with an endpoint selected to apply "
                                                  "the recommendation to it")
                                             : tr("Available once a search found a timeout"));
    m_start->setDefault(true);
    connect(m_start, &QPushButton::clicked, this, &IdleProbeDialog::startSearch);
    connect(m_cancel, &QPushButton::clicked, this, &IdleProbeDialog::cancelSearch);
    connect(m_apply, &QPushButton::clicked, this, &IdleProbeDialog::applyRecommendation);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_resultLabel);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_job, &IdleProbeJob::progress, this, [this](const QString &line) {
        m_progress->addItem(line.trimmed());
        m_progress->scrollToBottom();
    });
    connect(m_job, &IdleProbeJob::finished, this, &IdleProbeDialog::onFinished);
    connect(m_job, &IdleProbeJob::failed, this, &IdleProbeDialog::onFailed);
    connect(m_job, &IdleProbeJob::cancelled, this, [this] {
        m_status->setText(tr("Cancelled: the connections are closed. Nothing was changed."));
        setRunning(false);
        Q_EMIT searchEnded();
    });

    if (config && config->kind != EndpointKind::Listen)
        setTarget(config->host, config->port);
    m_status->setText(tr("A search takes up to a few times the longest gap. Keepwatch keeps monitoring "
                         "meanwhile."));
    setRunning(false);
    resize(760, 560);
}

IdleProbeDialog::~IdleProbeDialog() = default; // the job, a child, cancels and joins its thread

void IdleProbeDialog::setTarget(const QString &host, quint16 port)
{
    m_host->setText(host);
    m_port->setValue(port);
}

void IdleProbeDialog::setOptions(const IdleSearchOptions &options)
{
    m_max->setValue(toSeconds(options.max));
    m_precision->setValue(toSeconds(options.precision));
    m_parallel->setValue(options.parallel);
}

IdleSearchOptions IdleProbeDialog::options() const
{
    IdleSearchOptions options;
    options.max = fromSeconds(m_max->value());
    options.precision = fromSeconds(m_precision->value());
    options.parallel = m_parallel->value();
    return options;
}

bool IdleProbeDialog::isRunning() const
{
    return m_job->isRunning();
}

QStringList IdleProbeDialog::progressLines() const
{
    QStringList lines;
    for (int i = 0; i < m_progress->count(); ++i)
        lines << m_progress->item(i)->text();
    return lines;
}

QString IdleProbeDialog::resultText() const
{
    return m_result ? m_resultLabel->text() : QString();
}

QString IdleProbeDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool IdleProbeDialog::canApply() const
{
    return m_apply->isEnabled();
}

void IdleProbeDialog::startSearch()
{
    if (isRunning())
        return;
    m_error->hide();
    m_error->clear();
    m_result.reset();
    m_resultLabel->clear();
    m_progress->clear();
    QString error;
    if (!m_job->start(m_host->text(), quint16(m_port->value()), options(), &error)) {
        showError(error);
        return;
    }
    m_status->setText(tr("Searching… each probe below idles for its gap, then writes."));
    setRunning(true);
}

void IdleProbeDialog::cancelSearch()
{
    if (!isRunning())
        return;
    m_status->setText(tr("Cancelling…"));
    m_cancel->setEnabled(false);
    m_job->cancel();
}

void IdleProbeDialog::onFinished(const IdleSearchResult &result)
{
    m_result = result;
    QStringList lines = ProbeIdle::resultLines(result);
    lines.removeAll(QString());
    const IdleRecommendation rec = recommendForIdle(result);
    lines << tr("Recommended TCP keepalive: first probe after %1 s idle, then every %2 s, %3 probes; or a "
                "heartbeat every %4 s (for MQTT a keep alive of %4 s).")
                 .arg(rec.keepaliveIdle.count())
                 .arg(rec.keepaliveInterval.count())
                 .arg(rec.keepaliveCount)
                 .arg(rec.heartbeatInterval.count());
    lines << ProbeIdle::recommendationLines(result).mid(1).replaceInStrings(QStringLiteral("  "), QString());
    if (!m_endpoint.isEmpty())
        lines << applyDescription();
    m_resultLabel->setText(lines.join(u'\n'));
    m_status->setText(tr("Done."));
    setRunning(false);
    Q_EMIT searchEnded();
}

void IdleProbeDialog::onFailed(const QString &message)
{
    showError(message);
    m_status->setText(tr("The search could not run."));
    setRunning(false);
    Q_EMIT searchEnded();
}

QString IdleProbeDialog::applyDescription() const
{
    if (!m_result)
        return {};
    if (!m_result->idleTimeout())
        return tr("Nothing to apply to %1: no timeout was found up to %2 s, so nothing measured asks for a "
                  "shorter keepalive. Search with a longer gap to find the path's limit.")
            .arg(m_endpoint, ProbeIdle::secondsText(options().max));
    const EndpointConfig *config = m_engine ? m_engine->workspace().find(m_endpoint) : nullptr;
    if (!config)
        return tr("%1 is no longer in the workspace: nothing to apply.").arg(m_endpoint);
    const IdleRecommendation rec = recommendForIdle(*m_result);
    const net::TcpKeepaliveSettings &now = config->keepalive;
    return tr("Apply to %1 turns keepalive on with idle %2 s, interval %3 s, count %4 (now: %5, idle %6, "
              "interval %7, count %8) and restarts its connection.")
        .arg(m_endpoint)
        .arg(rec.keepaliveIdle.count())
        .arg(rec.keepaliveInterval.count())
        .arg(rec.keepaliveCount)
        .arg(now.enabled.value_or(false) || now.timingRequested() ? tr("on") : tr("off"),
             optionalSeconds(now.idle), optionalSeconds(now.interval),
             now.count ? QString::number(*now.count) : tr("system default"));
}

bool IdleProbeDialog::applyRecommendation()
{
    if (!canApply() || !m_result || !m_engine)
        return false;
    const EndpointConfig *current = m_engine->workspace().find(m_endpoint);
    if (!current) {
        showError(tr("%1 is no longer in the workspace: nothing to apply.").arg(m_endpoint));
        return false;
    }
    const IdleRecommendation rec = recommendForIdle(*m_result);
    EndpointConfig config = *current;
    config.keepalive.enabled = true;
    config.keepalive.idle = rec.keepaliveIdle;
    config.keepalive.interval = rec.keepaliveInterval;
    config.keepalive.count = rec.keepaliveCount;
    QString error;
    if (!m_engine->updateEndpoint(m_endpoint, config, &error)) {
        showError(tr("Could not apply the keepalive to %1: %2").arg(m_endpoint, error));
        return false;
    }
    m_status->setText(tr("Applied to %1: keepalive idle %2 s, interval %3 s, count %4.")
                          .arg(m_endpoint)
                          .arg(rec.keepaliveIdle.count())
                          .arg(rec.keepaliveInterval.count())
                          .arg(rec.keepaliveCount));
    m_apply->setEnabled(false);
    return true;
}

void IdleProbeDialog::setRunning(bool running)
{
    for (QWidget *field : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port),
                           static_cast<QWidget *>(m_max), static_cast<QWidget *>(m_precision),
                           static_cast<QWidget *>(m_parallel), static_cast<QWidget *>(m_start)})
        field->setEnabled(!running);
    m_cancel->setEnabled(running);
    const bool found = !running && m_result && m_result->idleTimeout();
    m_apply->setEnabled(found && !m_endpoint.isEmpty() && m_engine);
    if (found && !m_endpoint.isEmpty())
        m_apply->setToolTip(applyDescription());
}

void IdleProbeDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void IdleProbeDialog::done(int result)
{
    m_job->cancel(); // closing the dialog ends the search; the job joins its thread when destroyed
    QDialog::done(result);
}

} // namespace kw
