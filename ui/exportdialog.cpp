#include "exportdialog.h"

#include "eventexport.h"
#include "historyreader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

#include <climits>

namespace kw {

namespace {
const QString kChannel = QStringLiteral("export");
constexpr EventKind kKinds[] = {EventKind::State, EventKind::Rtt,    EventKind::TcpInfo, EventKind::Keepalive,
                                EventKind::Info,  EventKind::Device, EventKind::Alert};
constexpr int kProgressSteps = 1000;
} // namespace

ExportDialog::ExportDialog(HistoryReader *reader, const QStringList &endpoints, QWidget *parent)
    : QDialog(parent), m_reader(reader), m_format(new QComboBox(this)), m_path(new QLineEdit(this)),
      m_browse(new QPushButton(tr("&Browse…"), this)), m_range(new QComboBox(this)),
      m_from(new QDateTimeEdit(this)), m_to(new QDateTimeEdit(this)),
      m_allEndpoints(new QRadioButton(tr("&All endpoints"), this)),
      m_someEndpoints(new QRadioButton(tr("&Only these:"), this)), m_endpoints(new QListWidget(this)),
      m_progress(new QProgressBar(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this)), m_poll(new QTimer(this)),
      m_total(std::make_shared<std::atomic<qint64>>(0)), m_written(std::make_shared<std::atomic<qint64>>(0))
{
    setObjectName(QStringLiteral("exportDialog"));
    setAccessibleName(tr("Export events"));
    setWindowTitle(tr("Export events"));

    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->setAccessibleName(tr("File format"));
    m_format->addItem(tr("CSV (RFC 4180, for spreadsheets)"), QVariant::fromValue(int(ExportFormat::Csv)));
    m_format->addItem(tr("JSON Lines (one event per line, like --events)"),
                      QVariant::fromValue(int(ExportFormat::Jsonl)));

    m_csvRaw = new QCheckBox(tr("&Raw cells (no ' before text that starts with = + - @)"), this);
    m_csvRaw->setObjectName(QStringLiteral("exportCsvRaw"));
    m_csvRaw->setAccessibleName(tr("Write CSV cells as stored, without formula neutralisation"));
    m_csvRaw->setToolTip(tr("A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage "
                            "return as a formula. By default such text cells get a leading ' so that "
                            "they are shown as text; check this only for a program that reads the file "
                            "itself."));
    m_csvRaw->setChecked(false);

    m_path->setObjectName(QStringLiteral("exportPath"));
    m_path->setAccessibleName(tr("Export file"));
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_path->setText(
        QDir(folder.isEmpty() ? QDir::homePath() : folder).filePath(QStringLiteral("keepwatch-events.csv")));
    m_browse->setObjectName(QStringLiteral("exportBrowse"));
    m_browse->setAccessibleName(tr("Choose the export file"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);

    m_range->setObjectName(QStringLiteral("exportRange"));
    m_range->setAccessibleName(tr("Time range"));
    m_range->addItem(tr("Last hour"), QVariant::fromValue(int(Range::LastHour)));
    m_range->addItem(tr("Last 24 hours"), QVariant::fromValue(int(Range::LastDay)));
    m_range->addItem(tr("Last 7 days"), QVariant::fromValue(int(Range::LastWeek)));
    m_range->addItem(tr("Everything"), QVariant::fromValue(int(Range::Everything)));
    m_range->addItem(tr("Custom"), QVariant::fromValue(int(Range::Custom)));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        edit->setTimeSpec(Qt::LocalTime);
    }
    m_from->setObjectName(QStringLiteral("exportFrom"));
    m_from->setAccessibleName(tr("From (inclusive)"));
    m_to->setObjectName(QStringLiteral("exportTo"));
    m_to->setAccessibleName(tr("To (exclusive)"));
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_range);
    rangeRow->addWidget(new QLabel(tr("from"), this));
    rangeRow->addWidget(m_from, 1);
    rangeRow->addWidget(new QLabel(tr("to"), this));
    rangeRow->addWidget(m_to, 1);

    m_allEndpoints->setObjectName(QStringLiteral("exportAllEndpoints"));
    m_allEndpoints->setAccessibleName(tr("Export all endpoints"));
    m_someEndpoints->setObjectName(QStringLiteral("exportSomeEndpoints"));
    m_someEndpoints->setAccessibleName(tr("Export only the checked endpoints"));
    m_allEndpoints->setChecked(true);
    m_endpoints->setObjectName(QStringLiteral("exportEndpoints"));
    m_endpoints->setAccessibleName(tr("Endpoints to export"));
    m_endpoints->setEnabled(false);
    m_endpoints->setMinimumHeight(fontMetrics().height() * 5);
    for (const QString &name : endpoints) {
        auto *item = new QListWidgetItem(name, m_endpoints);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    connect(m_someEndpoints, &QRadioButton::toggled, m_endpoints, &QWidget::setEnabled);
    auto *endpointBox = new QVBoxLayout;
    auto *endpointChoice = new QHBoxLayout;
    endpointChoice->addWidget(m_allEndpoints);
    endpointChoice->addWidget(m_someEndpoints);
    endpointChoice->addStretch(1);
    endpointBox->addLayout(endpointChoice);
    endpointBox->addWidget(m_endpoints, 1);

    auto *kindGrid = new QGridLayout;
    int column = 0;
    for (const EventKind kind : kKinds) {
        auto *box = new QCheckBox(eventKindName(kind), this);
        box->setObjectName(QStringLiteral("exportKind_") + eventKindName(kind));
        box->setAccessibleName(tr("Export %1 events").arg(eventKindName(kind)));
        box->setChecked(true);
        kindGrid->addWidget(box, column / 3, column % 3);
        m_kinds.append(box);
        ++column;
    }

    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setAccessibleName(tr("Export progress"));
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_status->setObjectName(QStringLiteral("exportStatus"));
    m_status->setAccessibleName(tr("Export status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_export = m_buttons->addButton(tr("&Export"), QDialogButtonBox::ActionRole);
    m_export->setObjectName(QStringLiteral("exportStart"));
    m_export->setAccessibleName(tr("Start the export"));
    m_export->setDefault(true);
    m_buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("exportClose"));
    m_buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close the dialog"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(QString(), m_csvRaw);
    // Rows of several widgets: the label's mnemonic goes to the first of them.
    auto *pathLabel = new QLabel(tr("F&ile:"), this);
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);
    auto *rangeLabel = new QLabel(tr("&Time range:"), this);
    rangeLabel->setBuddy(m_range);
    form->addRow(rangeLabel, rangeRow);
    form->addRow(tr("Endpoints:"), endpointBox);
    form->addRow(tr("Kinds:"), kindGrid);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    if (!m_reader || !m_reader->hasLog()) {
        m_status->setText(tr("There is no event log to export: Keepwatch runs without a data directory "
                             "(start it with --data-dir to keep one)."));
        m_export->setEnabled(false);
    }

    m_poll->setInterval(100);
    connect(m_poll, &QTimer::timeout, this, &ExportDialog::updateProgress);
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_range, &QComboBox::currentIndexChanged, this, &ExportDialog::rangeChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    m_range->setCurrentIndex(int(Range::LastDay));
    rangeChanged();
}

ExportDialog::~ExportDialog()
{
    if (m_running && m_reader)
        m_reader->cancel(kChannel);
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setFormat(ExportFormat format)
{
    m_format->setCurrentIndex(m_format->findData(QVariant::fromValue(int(format))));
}

ExportFormat ExportDialog::format() const
{
    return ExportFormat(m_format->currentData().toInt());
}

void ExportDialog::setNeutraliseFormulas(bool on)
{
    m_csvRaw->setChecked(!on);
}

bool ExportDialog::neutraliseFormulas() const
{
    return !m_csvRaw->isChecked();
}

void ExportDialog::setRange(Range range)
{
    m_range->setCurrentIndex(m_range->findData(QVariant::fromValue(int(range))));
}

void ExportDialog::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    setRange(Range::Custom);
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(to.toLocalTime());
}

void ExportDialog::setSelectedEndpoints(const QStringList &names)
{
    m_allEndpoints->setChecked(names.isEmpty());
    m_someEndpoints->setChecked(!names.isEmpty());
    for (int row = 0; row < m_endpoints->count(); ++row) {
        QListWidgetItem *item = m_endpoints->item(row);
        item->setCheckState(names.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
}

void ExportDialog::setKinds(const QList<EventKind> &kinds)
{
    for (qsizetype i = 0; i < m_kinds.size(); ++i)
        m_kinds.at(i)->setChecked(kinds.contains(kKinds[i]));
}

void ExportDialog::rangeChanged()
{
    const Range range = Range(m_range->currentData().toInt());
    const bool custom = range == Range::Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    if (custom)
        return;
    const QDateTime now = QDateTime::currentDateTime();
    m_to->setDateTime(now);
    switch (range) {
    case Range::LastHour:
        m_from->setDateTime(now.addSecs(-3600));
        break;
    case Range::LastDay:
        m_from->setDateTime(now.addDays(-1));
        break;
    case Range::LastWeek:
        m_from->setDateTime(now.addDays(-7));
        break;
    default:
        break;
    }
}

void ExportDialog::formatChanged()
{
    m_csvRaw->setEnabled(!m_running && format() == ExportFormat::Csv); // JSON Lines is never neutralised
    // The suffix follows the format, so the file opens in the right program.
    QString file = path();
    const QString suffix = format() == ExportFormat::Csv ? QStringLiteral(".csv") : QStringLiteral(".jsonl");
    for (const QString &old : {QStringLiteral(".csv"), QStringLiteral(".jsonl")}) {
        if (file.endsWith(old, Qt::CaseInsensitive)) {
            file.chop(old.size());
            m_path->setText(file + suffix);
            return;
        }
    }
}

void ExportDialog::browse()
{
    auto *chooser = new QFileDialog(this, tr("Export events to"));
    chooser->setObjectName(QStringLiteral("exportFileChooser"));
    chooser->setAcceptMode(QFileDialog::AcceptSave);
    const bool csv = format() == ExportFormat::Csv;
    chooser->setNameFilters({tr("CSV (*.csv)"), tr("JSON Lines (*.jsonl)")});
    chooser->selectNameFilter(csv ? tr("CSV (*.csv)") : tr("JSON Lines (*.jsonl)"));
    chooser->setDefaultSuffix(csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    chooser->selectFile(path());
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    connect(chooser, &QFileDialog::fileSelected, this, [this](const QString &file) {
        m_path->setText(file);
        if (file.endsWith(QStringLiteral(".jsonl"), Qt::CaseInsensitive))
            setFormat(ExportFormat::Jsonl);
        else if (file.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
            setFormat(ExportFormat::Csv);
    });
    chooser->open();
}

std::optional<EventQuery> ExportDialog::query(QString *error) const
{
    const auto fail = [error](const QString &message) -> std::optional<EventQuery> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    EventQuery query;
    const Range range = Range(m_range->currentData().toInt());
    if (range != Range::Everything) {
        // Presets end now, and the events after "now" belong to them too.
        query.since = m_from->dateTime().toUTC();
        if (range == Range::Custom) {
            query.until = m_to->dateTime().toUTC();
            if (*query.until <= *query.since)
                return fail(tr("The range ends before it starts: choose a \"to\" after the \"from\"."));
        }
    }
    if (m_someEndpoints->isChecked()) {
        for (int row = 0; row < m_endpoints->count(); ++row) {
            if (m_endpoints->item(row)->checkState() == Qt::Checked)
                query.endpoints << m_endpoints->item(row)->text();
        }
        if (query.endpoints.isEmpty())
            return fail(tr("No endpoint is checked: check at least one, or choose All endpoints."));
    }
    for (qsizetype i = 0; i < m_kinds.size(); ++i) {
        if (m_kinds.at(i)->isChecked())
            query.kinds << kKinds[i];
    }
    if (query.kinds.isEmpty())
        return fail(tr("No kind of event is checked: check at least one."));
    if (query.kinds.size() == qsizetype(std::size(kKinds)))
        query.kinds.clear(); // every kind: also those a newer version may add
    return query;
}

void ExportDialog::startExport()
{
    if (m_running)
        return;
    if (!m_reader || !m_reader->hasLog()) {
        finish(false, 0, tr("There is no event log to export."));
        return;
    }
    QString error;
    const std::optional<EventQuery> selected = query(&error);
    if (!selected) {
        finish(false, 0, error);
        return;
    }
    if (path().isEmpty()) {
        finish(false, 0, tr("Choose a file to export to."));
        return;
    }
    m_runningPath = path();
    m_total->store(0);
    m_written->store(0);
    m_progress->setValue(0);
    setRunning(true);
    m_status->setText(tr("Exporting…"));

    const QString file = m_runningPath;
    const ExportFormat chosen = format();
    ExportOptions options;
    options.neutraliseFormulas = neutraliseFormulas();
    const EventQuery chosenQuery = *selected;
    const auto total = m_total;
    const auto written = m_written;
    m_reader->run<EventExportResult>(
        this, kChannel,
        [file, chosen, options, chosenQuery, total,
         written](const EventLog &log, const std::atomic_bool &cancelled, QString *workError) {
            // The count first, for the progress bar; the log's read snapshot may grow by the time
            // the export reads it, so the bar is capped at 100 %.
            total->store(std::max<qint64>(1, log.count(chosenQuery, workError)));
            workError->clear();
            return exportEventsToFile(log, chosenQuery, chosen, options, file, cancelled, written.get(),
                                      workError);
        },
        [this](EventExportResult result, const QString &workError) {
            setRunning(false);
            if (result.cancelled)
                return;
            finish(result.ok, result.count, workError);
        });
}

void ExportDialog::cancelExport()
{
    if (!m_running)
        return;
    // The export sees `cancelled` at its next event and drops its temporary file.
    m_reader->cancel(kChannel);
    setRunning(false);
    m_progress->setValue(0);
    m_status->setText(
        tr("Export cancelled; %1 was not written.").arg(QDir::toNativeSeparators(m_runningPath)));
}

void ExportDialog::reject()
{
    if (m_running) {
        cancelExport();
        return;
    }
    QDialog::reject();
}

void ExportDialog::updateProgress()
{
    const qint64 total = std::max<qint64>(1, m_total->load());
    const qint64 done = std::min(total, m_written->load());
    m_progress->setValue(int(done * kProgressSteps / total));
    m_status->setText(
        tr("Exporting… %1 of %2 events").arg(QLocale().toString(done), QLocale().toString(total)));
}

void ExportDialog::setRunning(bool running)
{
    m_running = running;
    if (running)
        m_poll->start();
    else
        m_poll->stop();
    m_export->setEnabled(!running);
    for (QWidget *w : std::initializer_list<QWidget *>{m_format, m_path, m_browse, m_range, m_allEndpoints,
                                                       m_someEndpoints})
        w->setEnabled(!running);
    m_csvRaw->setEnabled(!running && format() == ExportFormat::Csv);
    m_from->setEnabled(!running && Range(m_range->currentData().toInt()) == Range::Custom);
    m_to->setEnabled(m_from->isEnabled());
    m_endpoints->setEnabled(!running && m_someEndpoints->isChecked());
    for (QCheckBox *box : std::as_const(m_kinds))
        box->setEnabled(!running);
    QPushButton *close = m_buttons->button(QDialogButtonBox::Close);
    close->setText(running ? tr("&Cancel") : tr("&Close"));
    close->setAccessibleName(running ? tr("Cancel the export") : tr("Close the dialog"));
}

void ExportDialog::finish(bool ok, qint64 count, const QString &error)
{
    QString message;
    if (ok) {
        m_progress->setValue(kProgressSteps);
        message = tr("Saved %n events to %1.", nullptr, int(std::min<qint64>(count, INT_MAX)))
                      .arg(QDir::toNativeSeparators(m_runningPath));
    } else {
        message = error;
    }
    m_status->setText(message);
    Q_EMIT exportFinished(ok, count, message);
}

} // namespace kw
