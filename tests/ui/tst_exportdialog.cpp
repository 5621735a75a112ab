#include "eventlog.h"
#include "export.h"
#include "exportdialog.h"
#include "historyreader.h"

#include <QBuffer>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

namespace {
const QDateTime kStart = QDateTime(QDate(2026, 11, 21), QTime(18, 0), Qt::UTC);

QList<Event> history(int count)
{
    QList<Event> events;
    events.reserve(count);
    for (int i = 0; i < count; ++i) {
        Event e;
        const QString endpoint = QStringList{u"db"_qs, u"a,\"quoted\""_qs, u"web"_qs}.at(i % 3);
        if (i % 10 == 0) {
            e = Event::stateChange(endpoint, EndpointState::Down, Cause(CauseCode::WsClose, "1006"),
                                   u"line one\nline two ü, "_qs + QString::number(i));
            e.data = QJsonObject{{u"bound_ms"_qs, 16000}, {u"probes"_qs, i % 4}};
        } else {
            e = Event::rtt(endpoint, i / 3.0, u"heartbeat"_qs);
        }
        e.ts = kStart.addMSecs(qint64(i) * 10);
        events.append(e);
    }
    return events;
}

// What `keepwatch export` writes for the query (app/appsupport.cpp calls the same function).
QByteArray cliExport(const QString &dataDir, const EventQuery &query, ExportFormat format,
                     const ExportOptions &options = {})
{
    QString error;
    auto log = EventLog::open(dataDir, &error);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!log || !exportEvents(*log, query, format, buffer, &error, nullptr, options))
        qWarning() << error;
    return buffer.data();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class TestExportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesWhatTheCommandLineWrites_data();
    void writesWhatTheCommandLineWrites();
    void cancelLeavesNoFile();
    void choicesAreChecked();
    void noLogNoExport();
    void rawCellsBox();

private:
    QTemporaryDir m_data;
    QList<Event> m_events;
};

void TestExportDialog::initTestCase()
{
    QVERIFY(m_data.isValid());
    m_events = history(3000);
    QString error;
    auto log = EventLog::open(m_data.path(), &error);
    QVERIFY2(log && log->append(m_events, &error), qPrintable(error));
}

void TestExportDialog::writesWhatTheCommandLineWrites_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("endpoint"); // empty: all
    QTest::addColumn<qint64>("fromMs");    // -1: everything
    QTest::addColumn<qint64>("toMs");

    for (const ExportFormat format : {ExportFormat::Csv, ExportFormat::Jsonl}) {
        const char *name = format == ExportFormat::Csv ? "csv" : "jsonl";
        QTest::addRow("%s everything", name) << int(format) << QString() << qint64(-1) << qint64(-1);
        QTest::addRow("%s range", name) << int(format) << QString() << qint64(5'000) << qint64(12'345);
        QTest::addRow("%s endpoint and range", name)
            << int(format) << u"a,\"quoted\""_qs << qint64(1'000) << qint64(20'000);
    }
}

void TestExportDialog::writesWhatTheCommandLineWrites()
{
    QFETCH(int, format);
    QFETCH(QString, endpoint);
    QFETCH(qint64, fromMs);
    QFETCH(qint64, toMs);

    QTemporaryDir out;
    HistoryReader reader(m_data.path());
    ExportDialog dialog(&reader, {u"db"_qs, u"a,\"quoted\""_qs, u"web"_qs});
    const QString path = out.filePath(u"events.out"_qs);
    dialog.setPath(path);
    dialog.setFormat(ExportFormat(format));
    EventQuery cli;
    if (fromMs >= 0) {
        cli.since = kStart.addMSecs(fromMs);
        cli.until = kStart.addMSecs(toMs);
        dialog.setCustomRange(*cli.since, *cli.until);
    } else {
        dialog.setRange(ExportDialog::Range::Everything);
    }
    if (!endpoint.isEmpty()) {
        cli.endpoint = endpoint;
        dialog.setSelectedEndpoints({endpoint});
    }

    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.findChild<QPushButton *>(u"exportStart"_qs)->click();
    QVERIFY(dialog.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20'000);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QVERIFY(!dialog.isRunning());
    QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());

    const QByteArray expected = cliExport(m_data.path(), cli, ExportFormat(format));
    QVERIFY(expected.size() > 100);
    const QByteArray got = readAll(path);
    QCOMPARE(got.size(), expected.size());
    QVERIFY(got == expected);
    const qint64 lines = expected.count('\n') - (format == int(ExportFormat::Csv) ? 1 : 0);
    // CSV details hold line breaks inside quotes: only JSON Lines counts one line per event.
    if (format == int(ExportFormat::Jsonl))
        QCOMPARE(finished.first().at(1).toLongLong(), lines);
    QVERIFY(finished.first().at(1).toLongLong() > 0);
    // Only the export is left in the folder: no temporary file.
    QCOMPARE(QDir(out.path()).entryList(QDir::Files), QStringList{u"events.out"_qs});
}

void TestExportDialog::cancelLeavesNoFile()
{
    // Big enough that the export is still running when Cancel is pressed (about a second here).
    QTemporaryDir data;
    {
        QString error;
        auto log = EventLog::open(data.path(), &error);
        QVERIFY2(log && log->append(history(300'000), &error), qPrintable(error));
    }
    QTemporaryDir out;
    HistoryReader reader(data.path());
    ExportDialog dialog(&reader, {});
    const QString path = out.filePath(u"big.csv"_qs);
    dialog.setPath(path);
    dialog.setRange(ExportDialog::Range::Everything);
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.startExport();
    // Wait until events are being written, then cancel as the user would (Esc / Cancel).
    QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, 20'000);
    QVERIFY2(finished.isEmpty(), "the export ended before it could be cancelled");
    dialog.reject();
    QVERIFY(!dialog.isRunning());
    QVERIFY(dialog.statusLabel()->text().contains(u"cancelled"));
    QVERIFY(reader.waitForIdle());
    QCOMPARE(finished.size(), 0);
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden), QStringList{});

    // Cancelled before it started: nothing either, and a second export still works.
    dialog.setPath(out.filePath(u"small.jsonl"_qs));
    dialog.setFormat(ExportFormat::Jsonl);
    dialog.setCustomRange(kStart, kStart.addSecs(1));
    dialog.startExport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20'000);
    QVERIFY(finished.first().at(0).toBool());
    QCOMPARE(finished.first().at(1).toLongLong(), 100); // 1 s at 10 ms apart
}

void TestExportDialog::choicesAreChecked()
{
    HistoryReader reader(m_data.path());
    ExportDialog dialog(&reader, {u"db"_qs, u"web"_qs});
    QString error;
    dialog.setSelectedEndpoints({u"web"_qs});
    std::optional<EventQuery> query = dialog.query(&error);
    QVERIFY(query);
    QCOMPARE(query->endpoints, QStringList{u"web"_qs});
    QVERIFY(query->kinds.isEmpty()); // all kinds
    QVERIFY(query->since);           // the default is the last 24 hours
    QVERIFY(!query->until);

    dialog.setKinds({EventKind::State});
    query = dialog.query(&error);
    QVERIFY(query);
    QCOMPARE(query->kinds, QList<EventKind>{EventKind::State});
    dialog.setKinds({});
    QVERIFY(!dialog.query(&error));
    QVERIFY(error.contains(u"kind"));
    dialog.setKinds({EventKind::State});

    dialog.setSelectedEndpoints({u"gone"_qs}); // "only these" with none of the list checked
    QVERIFY(!dialog.query(&error));
    QVERIFY(error.contains(u"endpoint"));
    dialog.setSelectedEndpoints({});

    dialog.setCustomRange(kStart, kStart.addSecs(-1));
    QVERIFY(!dialog.query(&error));
    QVERIFY(error.contains(u"range"));

    // A problem is shown in the dialog and nothing is started.
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    dialog.startExport();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!finished.first().at(0).toBool());
    QVERIFY(!dialog.isRunning());
    QCOMPARE(dialog.statusLabel()->text(), error);
}

void TestExportDialog::noLogNoExport()
{
    HistoryReader reader{QString()};
    ExportDialog dialog(&reader, {});
    QVERIFY(!dialog.findChild<QPushButton *>(u"exportStart"_qs)->isEnabled());
    QVERIFY(dialog.statusLabel()->text().contains(u"no event log"));
}

// The "Raw cells" box: off by default (formulas neutralised, as `keepwatch export`), on writes what
// `keepwatch export --csv-raw` writes, and it applies to CSV only.
void TestExportDialog::rawCellsBox()
{
    QTemporaryDir data;
    {
        QString error;
        auto log = EventLog::open(data.path(), &error);
        Event event = Event::info(u"=1+2"_qs, u"@SUM(A1)"_qs);
        event.ts = kStart;
        QVERIFY2(log && log->append({event}, &error), qPrintable(error));
    }
    HistoryReader reader(data.path());
    ExportDialog dialog(&reader, {u"=1+2"_qs});
    auto *raw = dialog.findChild<QCheckBox *>(u"exportCsvRaw"_qs);
    QVERIFY(raw);
    QVERIFY(!raw->isChecked());
    QVERIFY(raw->isEnabled());
    QVERIFY(dialog.neutraliseFormulas());
    dialog.setRange(ExportDialog::Range::Everything);

    QTemporaryDir out;
    const auto exportTo = [&](const QString &name) {
        dialog.setPath(out.filePath(name));
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.findChild<QPushButton *>(u"exportStart"_qs)->click();
        if (!QTest::qWaitFor([&] { return finished.size() == 1; }, 20'000) ||
            !finished.first().at(0).toBool())
            return QByteArray();
        return readAll(out.filePath(name));
    };
    const QByteArray safe = exportTo(u"safe.csv"_qs);
    QCOMPARE(safe, cliExport(data.path(), {}, ExportFormat::Csv));
    QVERIFY2(safe.contains(",'=1+2,info,,,'@SUM(A1),"), safe.constData());

    raw->click();
    QVERIFY(!dialog.neutraliseFormulas());
    ExportOptions rawOptions;
    rawOptions.neutraliseFormulas = false;
    const QByteArray unchanged = exportTo(u"raw.csv"_qs);
    QCOMPARE(unchanged, cliExport(data.path(), {}, ExportFormat::Csv, rawOptions));
    QVERIFY2(unchanged.contains(",=1+2,info,,,@SUM(A1),"), unchanged.constData());

    dialog.setFormat(ExportFormat::Jsonl);
    QVERIFY(!raw->isEnabled());
    dialog.setFormat(ExportFormat::Csv);
    QVERIFY(raw->isEnabled());
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
