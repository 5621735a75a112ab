#include "export.h"

#include "csvformula.h"
#include "eventtostring.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// 2026-11-21T18:00:00.000Z
const qint64 kT0 = 1795284000000;

kw::Event makeEvent(qint64 offsetMs)
{
    kw::Event event;
    event.ts = QDateTime::fromMSecsSinceEpoch(kT0 + offsetMs, Qt::UTC);
    event.endpoint = u"db"_s;
    event.kind = kw::EventKind::Info;
    return event;
}

// A device that accepts `capacity` bytes and then fails, like a full disk.
class FullDevice : public QIODevice
{
public:
    explicit FullDevice(qint64 capacity) : m_capacity(capacity) { open(QIODevice::WriteOnly); }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 len) override
    {
        if (m_written + len > m_capacity) {
            setErrorString(u"No space left on device"_s);
            return -1;
        }
        m_written += len;
        return len;
    }

private:
    qint64 m_capacity;
    qint64 m_written = 0;
};

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvRow_data();
    void csvRow();
    void csvFile();
    void jsonlParsesBack();
    void deviceEvent();
    void queryApplies();
    void writeFailure();
    void formatNames();
    void formulaCells_data();
    void formulaCells();
    void formulaRestoreInverts();
    void csvRawKeepsCells();
};

void TestExport::csvRow_data()
{
    QTest::addColumn<kw::Event>("event");
    QTest::addColumn<QByteArray>("row");

    kw::Event plain = makeEvent(123);
    QTest::newRow("plain") << plain << QByteArray("2026-11-21T18:00:00.123Z,db,info,,,,,,\r\n");

    kw::Event comma = makeEvent(0);
    comma.detail = u"refused, retrying"_s;
    QTest::newRow("comma") << comma
                           << QByteArray("2026-11-21T18:00:00.000Z,db,info,,,\"refused, retrying\",,,\r\n");

    kw::Event quote = makeEvent(0);
    quote.detail = u"peer said \"bye\""_s;
    QTest::newRow("quote") << quote
                           << QByteArray(
                                  "2026-11-21T18:00:00.000Z,db,info,,,\"peer said \"\"bye\"\"\",,,\r\n");

    kw::Event newline = makeEvent(0);
    newline.detail = u"line1\nline2\r\nline3"_s;
    QTest::newRow("newlines") << newline
                              << QByteArray(
                                     "2026-11-21T18:00:00.000Z,db,info,,,\"line1\nline2\r\nline3\",,,\r\n");

    kw::Event unicode = makeEvent(0);
    unicode.endpoint = u"Zürich ✓"_s;
    unicode.detail = u"ok"_s;
    QTest::newRow("unicode") << unicode
                             << QByteArray(
                                    "2026-11-21T18:00:00.000Z,Z\xc3\xbcrich \xe2\x9c\x93,info,,,ok,,,\r\n");

    kw::Event rtt = makeEvent(0);
    rtt.kind = kw::EventKind::Rtt;
    rtt.rttMs = 0.1 + 0.32;
    rtt.source = u"connect"_s;
    QTest::newRow("rtt") << rtt << QByteArray("2026-11-21T18:00:00.000Z,db,rtt,,,,0.42,connect,\r\n");

    kw::Event data = makeEvent(0);
    data.kind = kw::EventKind::State;
    data.state = kw::EndpointState::Down;
    data.cause = kw::Cause(kw::CauseCode::KeepaliveTimeout);
    data.data = QJsonObject{{u"bound_ms"_s, 45000}, {u"note"_s, u"a,b"_s}};
    QTest::newRow("data json quoted")
        << data
        << QByteArray("2026-11-21T18:00:00.000Z,db,state,down,keepalive-timeout,,,,"
                      "\"{\"\"bound_ms\"\":45000,\"\"note\"\":\"\"a,b\"\"}\"\r\n");
}

void TestExport::csvRow()
{
    QFETCH(kw::Event, event);
    QFETCH(QByteArray, row);
    QCOMPARE(kw::toCsvRow(event), row);
}

void TestExport::csvFile()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    kw::Event tricky = makeEvent(1);
    tricky.detail = u"a,\"b\"\nc"_s;
    QVERIFY(log->append({makeEvent(2), tricky}, &error));

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    qint64 count = -1;
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Csv, out, &error, &count), qPrintable(error));
    QCOMPARE(count, 2);
    QCOMPARE(out.data(), QByteArray("ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n"
                                    "2026-11-21T18:00:00.001Z,db,info,,,\"a,\"\"b\"\"\nc\",,,\r\n"
                                    "2026-11-21T18:00:00.002Z,db,info,,,,,,\r\n"));

    // An empty log still gets the header, so spreadsheet imports keep their columns.
    auto empty = kw::EventLog::open(dir.filePath(u"empty"_s), &error);
    QBuffer none;
    none.open(QIODevice::WriteOnly);
    QVERIFY(kw::exportEvents(*empty, {}, kw::ExportFormat::Csv, none, &error, &count));
    QCOMPARE(count, 0);
    QCOMPARE(none.data(), kw::csvHeader());
}

void TestExport::jsonlParsesBack()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY(log);

    QList<kw::Event> events;
    for (int i = 0; i < 50; ++i) {
        kw::Event event = makeEvent(i);
        event.endpoint = i % 2 ? u"plc \"3\", line\n2"_s : u"Zürich ✓"_s;
        event.kind = i % 3 ? kw::EventKind::Rtt : kw::EventKind::State;
        if (i % 3) {
            event.rttMs = i * 0.125;
            event.source = u"heartbeat"_s;
        } else {
            event.state = kw::EndpointState::Down;
            event.cause = kw::Cause(kw::CauseCode::Reset);
            event.detail = u"tab\there \\ \u0007"_s;
            event.data = QJsonObject{{u"seq"_s, i}, {u"list"_s, QJsonArray{i, u"x"_s}}};
        }
        events << event;
    }
    QVERIFY(log->append(events, &error));

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    qint64 count = 0;
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Jsonl, out, &error, &count), qPrintable(error));
    QCOMPARE(count, events.size());
    QVERIFY(out.data().endsWith('\n'));
    const QList<QByteArray> lines = out.data().chopped(1).split('\n');
    QCOMPARE(lines.size(), events.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i), &parseError);
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        const std::optional<kw::Event> back = kw::Event::fromJson(doc.object());
        QVERIFY(back);
        QCOMPARE(*back, events.at(i));
        QCOMPARE(lines.at(i), events.at(i).toJsonLine());
    }
}

void TestExport::deviceEvent()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    kw::Event will = makeEvent(3);
    will.endpoint = u"plant-broker"_s;
    will.kind = kw::EventKind::Device;
    will.state = kw::EndpointState::Down;
    will.cause = kw::Cause(kw::CauseCode::DeviceWill);
    will.detail = u"Will: offline"_s;
    will.data =
        QJsonObject{{u"device"_s, u"plc/7/status"_s}, {u"id"_s, u"7"_s}, {u"watch"_s, u"plc/+/status"_s}};
    QVERIFY2(log->append({will}, &error), qPrintable(error));

    QBuffer csv;
    csv.open(QIODevice::WriteOnly);
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Csv, csv, &error), qPrintable(error));
    QCOMPARE(csv.data(), kw::csvHeader() +
                             "2026-11-21T18:00:00.003Z,plant-broker,device,down,device-will,Will: offline,,,"
                             R"("{""device"":""plc/7/status"",""id"":""7"",""watch"":""plc/+/status""}")"
                             "\r\n");

    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Jsonl, jsonl, &error), qPrintable(error));
    QCOMPARE(jsonl.data(),
             QByteArray(R"({"ts":"2026-11-21T18:00:00.003Z","endpoint":"plant-broker","kind":"device",)"
                        R"("state":"down","cause":"device-will","detail":"Will: offline",)"
                        R"("device":"plc/7/status","id":"7","watch":"plc/+/status"})"
                        "\n"));
    const std::optional<kw::Event> back = kw::Event::fromJsonLine(jsonl.data().trimmed(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, will);
}

void TestExport::queryApplies()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY(log);
    kw::Event other = makeEvent(5);
    other.endpoint = u"cache"_s;
    QVERIFY(log->append({makeEvent(1), other, makeEvent(9)}, &error));

    kw::EventQuery query;
    query.endpoint = u"db"_s;
    query.since = QDateTime::fromMSecsSinceEpoch(kT0 + 2, Qt::UTC);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    qint64 count = 0;
    QVERIFY(kw::exportEvents(*log, query, kw::ExportFormat::Jsonl, out, &error, &count));
    QCOMPARE(count, 1);
    QCOMPARE(out.data(), makeEvent(9).toJsonLine() + '\n');
}

void TestExport::writeFailure()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY(log);
    QList<kw::Event> events;
    for (int i = 0; i < 100; ++i)
        events << makeEvent(i);
    QVERIFY(log->append(events, &error));

    FullDevice full(1000);
    qint64 count = -1;
    QVERIFY(!kw::exportEvents(*log, {}, kw::ExportFormat::Csv, full, &error, &count));
    QCOMPARE(error,
             u"cannot write the export: No space left on device; check the output file and the free disk "
             "space"_s);
    QVERIFY(count > 0 && count < 100);

    QBuffer closed;
    QVERIFY(!kw::exportEvents(*log, {}, kw::ExportFormat::Jsonl, closed, &error, &count));
    QCOMPARE(error, u"cannot write the export: the output is not open for writing"_s);
}

void TestExport::formatNames()
{
    QCOMPARE(kw::exportFormatFromName(u"csv"_s), kw::ExportFormat::Csv);
    QCOMPARE(kw::exportFormatFromName(u"JSONL"_s), kw::ExportFormat::Jsonl);
    QCOMPARE(kw::exportFormatFromName(u"ndjson"_s), kw::ExportFormat::Jsonl);
    QVERIFY(!kw::exportFormatFromName(u"xml"_s));
}

void TestExport::formulaCells_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("cell");
    QTest::newRow("equals") << u"=HYPERLINK(\"http://x\")"_s << u"'=HYPERLINK(\"http://x\")"_s;
    QTest::newRow("plus") << u"+1"_s << u"'+1"_s;
    QTest::newRow("minus text") << u"-1+2"_s << u"'-1+2"_s;
    QTest::newRow("at") << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
    QTest::newRow("tab") << u"\tx"_s << u"'\tx"_s;
    QTest::newRow("carriage return") << u"\rx"_s << u"'\rx"_s;
    QTest::newRow("already quoted formula") << u"'=x"_s << u"''=x"_s;
    QTest::newRow("plain") << u"db-1"_s << u"db-1"_s;
    QTest::newRow("apostrophe text") << u"'plain"_s << u"'plain"_s;
    QTest::newRow("lone apostrophe") << u"'"_s << u"'"_s;
    QTest::newRow("space first") << u" =x"_s << u" =x"_s;
    QTest::newRow("empty") << QString() << QString();
}

void TestExport::formulaCells()
{
    QFETCH(QString, text);
    QFETCH(QString, cell);
    QCOMPARE(kw::neutraliseFormula(text), cell);
    QCOMPARE(kw::restoreFormula(cell), text);
}

void TestExport::formulaRestoreInverts()
{
    // Every short text over the characters that matter: restore(neutralise(x)) == x, and a
    // neutralised cell never starts like a formula.
    const QString alphabet = u"'=+-@\t\ra"_s;
    QStringList texts{QString()};
    for (int length = 1; length <= 4; ++length) {
        QStringList longer;
        for (const QString &t : std::as_const(texts)) {
            if (t.size() == length - 1) {
                for (const QChar c : alphabet)
                    longer << t + c;
            }
        }
        texts << longer;
    }
    QVERIFY(texts.size() > 4000);
    for (const QString &text : std::as_const(texts)) {
        const QString cell = kw::neutraliseFormula(text);
        QVERIFY2(!kw::startsLikeFormula(cell), qPrintable(cell));
        QCOMPARE(kw::restoreFormula(cell), text);
    }
}

void TestExport::csvRawKeepsCells()
{
    QTemporaryDir dir;
    QString error;
    auto log = kw::EventLog::open(dir.path(), &error);
    QVERIFY2(log, qPrintable(error));
    // A peer's error text and an endpoint name a spreadsheet would run, and a number column.
    kw::Event event = makeEvent(0);
    event.endpoint = u"=cmd|' /C calc'!A0"_s;
    event.detail = u"-1+2"_s;
    event.source = u"@x"_s;
    kw::Event rtt = makeEvent(1);
    rtt.kind = kw::EventKind::Rtt;
    rtt.rttMs = 0.5;
    rtt.source = u"connect"_s;
    QVERIFY(log->append({event, rtt}, &error));

    QBuffer safe;
    safe.open(QIODevice::WriteOnly);
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Csv, safe, &error), qPrintable(error));
    QCOMPARE(safe.data(), QByteArray("ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n"
                                     "2026-11-21T18:00:00.000Z,'=cmd|' /C calc'!A0,info,,,'-1+2,,'@x,\r\n"
                                     "2026-11-21T18:00:00.001Z,db,rtt,,,,0.5,connect,\r\n"));

    QBuffer raw;
    raw.open(QIODevice::WriteOnly);
    kw::ExportOptions options;
    options.neutraliseFormulas = false;
    QVERIFY2(kw::exportEvents(*log, {}, kw::ExportFormat::Csv, raw, &error, nullptr, options),
             qPrintable(error));
    QCOMPARE(raw.data(), QByteArray("ts,endpoint,kind,state,cause,detail,rtt_ms,source,data\r\n"
                                    "2026-11-21T18:00:00.000Z,=cmd|' /C calc'!A0,info,,,-1+2,,@x,\r\n"
                                    "2026-11-21T18:00:00.001Z,db,rtt,,,,0.5,connect,\r\n"));

    // JSON Lines is data for programs, never neutralised.
    QBuffer jsonl;
    jsonl.open(QIODevice::WriteOnly);
    QVERIFY(kw::exportEvents(*log, {}, kw::ExportFormat::Jsonl, jsonl, &error));
    QVERIFY(jsonl.data().contains("\"endpoint\":\"=cmd|' /C calc'!A0\""));
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
