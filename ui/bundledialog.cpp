#include "bundledialog.h"

#include "bundletimeline.h"
#include "engine.h"
#include "historyreader.h"
#include "snapshot.h"
#include "systemdefaults.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTimeZone>
#include <QVBoxLayout>

namespace kw {

namespace {
const QString kChannel = QStringLiteral("incidentBundle");
constexpr qint64 kAroundDropMs = 15 * 60 * 1000;
constexpr qint64 kRecentDropMs = qint64(7) * 24 * 3600 * 1000;
} // namespace

IncidentBundleDialog::IncidentBundleDialog(HistoryReader *reader, const QList<EndpointConfig> &endpoints,
                                           const QJsonObject &workspaceKeys, const QString &workspacePath,
                                           QWidget *parent)
    : QDialog(parent), m_reader(reader), m_endpoints(endpoints), m_workspaceKeys(workspaceKeys),
      m_workspacePath(workspacePath), m_endpoint(new QComboBox(this)), m_from(new QDateTimeEdit(this)),
      m_to(new QDateTimeEdit(this)), m_path(new QLineEdit(this)),
      m_browse(new QPushButton(tr("&Browse…"), this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("incidentBundleDialog"));
    setWindowTitle(tr("Save incident bundle"));
    setAccessibleName(tr("Save incident bundle"));

    m_endpoint->setObjectName(QStringLiteral("bundleEndpoint"));
    m_endpoint->setAccessibleName(tr("Endpoint"));
    for (const EndpointConfig &c : endpoints)
        m_endpoint->addItem(c.name);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setCalendarPopup(true);
        edit->setTimeSpec(Qt::LocalTime);
    }
    m_from->setObjectName(QStringLiteral("bundleFrom"));
    m_from->setAccessibleName(tr("From (inclusive)"));
    m_to->setObjectName(QStringLiteral("bundleTo"));
    m_to->setAccessibleName(tr("To (exclusive)"));
    m_path->setObjectName(QStringLiteral("bundlePath"));
    m_path->setAccessibleName(tr("Zip file to write"));
    m_browse->setObjectName(QStringLiteral("bundleBrowse"));
    m_browse->setAccessibleName(tr("Choose the zip file"));
    m_status->setObjectName(QStringLiteral("bundleStatus"));
    m_status->setAccessibleName(tr("Bundle status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_save = m_buttons->addButton(tr("&Save"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("bundleSave"));
    m_save->setDefault(true);
    connect(m_save, &QPushButton::clicked, this, &IncidentBundleDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_browse, &QPushButton::clicked, this, &IncidentBundleDialog::browse);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("&Endpoint:"), m_endpoint);
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    form->addRow(tr("&File:"), pathRow);
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("The events, settings (without secrets), system keepalive defaults, TCP_INFO "
                      "samples, a timeline picture and a summary of one endpoint, in one zip file."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto [from, to] = defaultRange({}, now);
    setRange(from, to);
}

IncidentBundleDialog::~IncidentBundleDialog()
{
    if (m_reader)
        m_reader->cancel(kChannel);
}

std::pair<QDateTime, QDateTime> IncidentBundleDialog::defaultRange(const QDateTime &lastDropAt,
                                                                   const QDateTime &now)
{
    const QDateTime end = now.toUTC();
    if (lastDropAt.isValid() && lastDropAt <= end && lastDropAt.msecsTo(end) <= kRecentDropMs) {
        const QDateTime from = lastDropAt.toUTC().addMSecs(-kAroundDropMs);
        const QDateTime to = std::min(lastDropAt.toUTC().addMSecs(kAroundDropMs), end);
        return {from, to.addSecs(1)}; // the range is exclusive: a drop at `now` is in it
    }
    return {end.addSecs(-3600), end.addSecs(1)};
}

void IncidentBundleDialog::setEndpoint(const QString &name)
{
    const int index = m_endpoint->findText(name);
    if (index >= 0) {
        m_endpoint->setCurrentIndex(index);
    } else if (!name.isEmpty()) {
        m_endpoint->addItem(name); // an endpoint removed from the workspace still has its history
        m_endpoint->setCurrentIndex(m_endpoint->count() - 1);
    }
}

QString IncidentBundleDialog::endpoint() const
{
    return m_endpoint->currentText();
}

void IncidentBundleDialog::setRange(const QDateTime &from, const QDateTime &to)
{
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(to.toLocalTime());
}

QDateTime IncidentBundleDialog::from() const
{
    return m_from->dateTime().toUTC();
}

QDateTime IncidentBundleDialog::to() const
{
    return m_to->dateTime().toUTC();
}

void IncidentBundleDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QString IncidentBundleDialog::path() const
{
    return m_path->text().trimmed();
}

void IncidentBundleDialog::browse()
{
    auto *chooser = new QFileDialog(this, tr("Save incident bundle"));
    chooser->setObjectName(QStringLiteral("bundleFileChooser"));
    chooser->setAcceptMode(QFileDialog::AcceptSave);
    chooser->setNameFilter(tr("Zip archive (*.zip)"));
    chooser->setDefaultSuffix(QStringLiteral("zip"));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    chooser->selectFile(
        path().isEmpty() ? QDir(dir).filePath(defaultBundleFileName({endpoint(), from(), to()})) : path());
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    connect(chooser, &QFileDialog::fileSelected, this, &IncidentBundleDialog::setPath);
    chooser->open();
}

void IncidentBundleDialog::save()
{
    if (m_running)
        return;
    const IncidentRequest request{endpoint(), from(), to()};
    if (request.endpoint.isEmpty())
        return finish(false, tr("Choose an endpoint."));
    if (request.since >= request.until)
        return finish(false, tr("The range is empty: \"From\" must be before \"To\"."));
    if (path().isEmpty())
        return finish(false, tr("Choose the file to write (Browse…)."));
    if (!m_reader)
        return finish(false, tr("There is no event log to read."));
    m_running = true;
    m_save->setEnabled(false);
    m_status->setText(tr("Reading the event log…"));
    m_reader->run<std::optional<IncidentEvidence>>(
        this, kChannel,
        [request](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            return readIncidentEvidence(log, request, cancelled, error);
        },
        [this](std::optional<IncidentEvidence> evidence, const QString &error) {
            if (!evidence)
                return finish(false, error);
            writeBundle(std::move(*evidence));
        });
}

void IncidentBundleDialog::writeBundle(IncidentEvidence evidence)
{
    IncidentBundleInfo info;
    const QString name = evidence.request.endpoint;
    for (const EndpointConfig &c : std::as_const(m_endpoints)) {
        if (c.name == name)
            info.endpoint = c;
    }
    info.workspaceKeys = m_workspaceKeys;
    info.workspacePath = m_workspacePath;
    info.keepwatchVersion = QCoreApplication::applicationVersion();
    info.hostName = QSysInfo::machineHostName();
    info.createdAt = QDateTime::currentDateTimeUtc();
    QString drawError;
    info.timelinePng = renderTimelinePng(name, evidence.timelineEvents(), evidence.request.since,
                                         evidence.request.until, kBundleTimelineSize, &drawError);
    info.timelineNote = drawError;
    m_status->setText(tr("Writing %1…").arg(path()));
    const QString target = path();
    auto shared = std::make_shared<std::pair<IncidentEvidence, IncidentBundleInfo>>(std::move(evidence),
                                                                                    std::move(info));
    m_reader->run<bool>(
        this, kChannel,
        [shared, target](const EventLog &, const std::atomic_bool &, QString *error) {
            shared->second.systemDefaults = net::readSystemDefaults();
            return writeZipArchive(target, buildIncidentBundle(shared->first, shared->second), error);
        },
        [this, target, shared](bool ok, const QString &error) {
            finish(ok, ok ? tr("Saved the incident bundle of %1 (%2 events) to %3.")
                                .arg(shared->first.request.endpoint)
                                .arg(shared->first.eventCount)
                                .arg(target)
                          : error);
        });
}

void IncidentBundleDialog::finish(bool ok, const QString &message)
{
    m_running = false;
    m_save->setEnabled(true);
    m_status->setText(message);
    Q_EMIT bundleSaved(ok, message);
}

IncidentBundleDialog *openIncidentBundleDialog(Engine *engine, HistoryReader *reader,
                                               const EndpointSnapshot *selected, QWidget *parent)
{
    const Workspace workspace = engine ? engine->workspace() : Workspace{};
    auto *dialog = new IncidentBundleDialog(reader, workspace.endpoints, workspaceWideKeys(workspace),
                                            engine ? engine->options().workspacePath : QString(), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (selected) {
        dialog->setEndpoint(selected->name);
        const auto [from, to] =
            IncidentBundleDialog::defaultRange(selected->stats.lastDropAt, QDateTime::currentDateTimeUtc());
        dialog->setRange(from, to);
    }
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    dialog->setPath(
        QDir(dir).filePath(defaultBundleFileName({dialog->endpoint(), dialog->from(), dialog->to()})));
    dialog->open();
    return dialog;
}

} // namespace kw
