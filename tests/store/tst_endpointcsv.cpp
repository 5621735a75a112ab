// The endpoint list as CSV: RFC 4180 records, every column through export and import, and
// per-row errors that name the row and the column.

#include "endpointcsv.h"
#include "endpointcsvfuzz.h"
#include "endpointcsvsamples.h"
#include "workspace.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

QList<EndpointConfig> everyColumnEndpoints()
{
    const WorkspaceResult loaded = parseWorkspace(kEveryColumn, u"every.json"_s);
    if (!loaded.ok())
        qWarning() << loaded.errors;
    return loaded.ok() ? loaded.workspace->endpoints : QList<EndpointConfig>{};
}

QStringList messages(const EndpointCsvResult &result)
{
    QStringList all = result.errors;
    for (const ImportedEndpoint &row : result.rows)
        all << row.errors;
    return all;
}

} // namespace

class TestEndpointCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordsFollowRfc4180_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QList<QStringList>>("records");
        QTest::addColumn<QList<int>>("lines");
        QTest::newRow("plain, CRLF") << QByteArray("a,b\r\nc,d\r\n")
                                     << QList<QStringList>{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}}
                                     << QList<int>{1, 2};
        QTest::newRow("LF, no final break")
            << QByteArray("a,b\nc,d") << QList<QStringList>{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}}
            << QList<int>{1, 2};
        QTest::newRow("comma in quotes")
            << QByteArray("\"a,b\",c\r\n") << QList<QStringList>{{u"a,b"_s, u"c"_s}} << QList<int>{1};
        QTest::newRow("doubled quotes") << QByteArray("\"say \"\"hi\"\"\",\"\"\"\"\r\n")
                                        << QList<QStringList>{{u"say \"hi\""_s, u"\""_s}} << QList<int>{1};
        QTest::newRow("line breaks in quotes")
            << QByteArray("\"one\r\ntwo\",x\r\n\"three\nfour\",y\r\nz,w")
            << QList<QStringList>{{u"one\r\ntwo"_s, u"x"_s}, {u"three\nfour"_s, u"y"_s}, {u"z"_s, u"w"_s}}
            << QList<int>{1, 3, 5};
        QTest::newRow("empty fields")
            << QByteArray(",,\r\n\"\",a,\r\n")
            << QList<QStringList>{{u""_s, u""_s, u""_s}, {u""_s, u"a"_s, u""_s}} << QList<int>{1, 2};
        QTest::newRow("byte order mark, UTF-8")
            << QByteArray("\xEF\xBB\xBFn\xC3\xA4me,\"\xE2\x80\x94\"")
            << QList<QStringList>{{u"n\u00e4me"_s, u"\u2014"_s}} << QList<int>{1};
        QTest::newRow("spaces kept") << QByteArray(" a , b ") << QList<QStringList>{{u" a "_s, u" b "_s}}
                                     << QList<int>{1};
    }
    void recordsFollowRfc4180()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QList<QStringList>, records);
        QFETCH(QList<int>, lines);
        QList<QStringList> got;
        QList<int> gotLines;
        QString error;
        QVERIFY2(parseCsvRecords(csv, &got, &gotLines, &error), qPrintable(error));
        QCOMPARE(got, records);
        QCOMPARE(gotLines, lines);
    }

    void quotingErrorsNameTheLine_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("never closed") << QByteArray("a,b\r\nc,\"d\r\ne\r\n") << u"line 2: a quoted field"_s;
        QTest::newRow("text after quote") << QByteArray("a\r\nb\r\n\"c\"d,e") << u"line 3: text after"_s;
        QTest::newRow("quote inside") << QByteArray("a\r\nab\"c\"") << u"line 2: a quote inside"_s;
    }
    void quotingErrorsNameTheLine()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, expected);
        QList<QStringList> records;
        QString error;
        QVERIFY(!parseCsvRecords(csv, &records, nullptr, &error));
        QVERIFY2(error.startsWith(expected), qPrintable(error));
        const EndpointCsvResult result = parseEndpointCsv(csv);
        QVERIFY(result.rows.isEmpty());
        QCOMPARE(result.errors, QStringList{error});
    }

    void fieldsRoundTrip()
    {
        const QStringList values{u""_s,         u"plain"_s,    u"a,b"_s,   u"\"quoted\""_s, u"x\"y"_s,
                                 u"one\ntwo"_s, u"cr\r\nlf"_s, u" lead"_s, u"trail "_s,     u",\",\n"_s};
        QByteArray csv;
        for (qsizetype i = 0; i < values.size(); ++i)
            csv += (i ? "," : "") + csvField(values.at(i));
        QList<QStringList> records;
        QString error;
        QVERIFY2(parseCsvRecords(csv, &records, nullptr, &error), qPrintable(error));
        QCOMPARE(records, QList<QStringList>{values});
    }

    void everyColumnRoundTrips()
    {
        const QList<EndpointConfig> endpoints = everyColumnEndpoints();
        QCOMPARE(endpoints.size(), 4);
        QStringList notCarried;
        const QByteArray csv = endpointsToCsv(endpoints, &notCarried);
        QVERIFY2(notCarried.isEmpty(), qPrintable(notCarried.join(u", "_s)));

        // Every column the format knows is in use, so each went out and came back.
        QList<QStringList> records;
        QString error;
        QVERIFY(parseCsvRecords(csv, &records, nullptr, &error));
        QStringList all;
        for (const CsvColumn &column : endpointCsvColumns())
            all << column.path;
        QCOMPARE(records.first(), all);
        QVERIFY(csv.endsWith("\r\n"));

        const EndpointCsvResult back = parseEndpointCsv(csv);
        QVERIFY2(messages(back).isEmpty(), qPrintable(messages(back).join(u"\n"_s)));
        QCOMPARE(back.rows.size(), endpoints.size());
        for (qsizetype i = 0; i < endpoints.size(); ++i) {
            QVERIFY(back.rows.at(i).endpoint);
            QCOMPARE(back.rows.at(i).name, endpoints.at(i).name);
            QVERIFY2(*back.rows.at(i).endpoint == endpoints.at(i), qPrintable(endpoints.at(i).name));
        }
        // The quoted newline in the mqtt endpoint's name: row 5 starts on line 5, and the next
        // record would start on line 7.
        QCOMPARE(back.rows.at(3).row, 5);
        QCOMPARE(back.rows.at(3).line, 5);
        QCOMPARE(back.rows.at(0).endpoint->tags, (QStringList{u"prod"_s, u"db;pg"_s}));
    }

    void exportWritesOnlyUsedColumns()
    {
        EndpointConfig plain;
        plain.name = u"web"_s;
        plain.host = u"example.net"_s;
        plain.port = 443;
        const QByteArray csv = endpointsToCsv({plain});
        QCOMPARE(csv, QByteArray("name,kind,host,port\r\nweb,tcp,example.net,443\r\n"));
    }

    void cellsOfEveryType()
    {
        const QByteArray csv =
            "name,kind,host,port,enabled,tags,keepalive.idle_s,heartbeat.interval_s,tls.enabled\r\n"
            "a,tcp,h,1,no,\"  prod   db \",30,0.5,off\r\n"
            "b,tcp,h,2,YES,,,,\r\n";
        const EndpointCsvResult result = parseEndpointCsv(csv);
        QVERIFY2(messages(result).isEmpty(), qPrintable(messages(result).join(u"\n"_s)));
        const EndpointConfig &a = *result.rows.at(0).endpoint;
        QCOMPARE(a.enabled, false);
        QCOMPARE(a.tags, (QStringList{u"prod"_s, u"db"_s}));
        QCOMPARE(a.keepalive.idle->count(), 30);
        QCOMPARE(a.heartbeat->interval, std::chrono::milliseconds(500));
        QCOMPARE(a.tls.enabled, false);
        const EndpointConfig &b = *result.rows.at(1).endpoint;
        QCOMPARE(b.enabled, true);
        QVERIFY(!b.heartbeat); // an empty cell leaves the key out
        QVERIFY(!b.keepalive.idle);
    }

    // Text a spreadsheet would run as a formula gets a leading ' on export (the names, words and
    // heartbeat texts here), numbers stay numbers, and importing the file gives the same endpoints.
    void formulaCellsRoundTrip()
    {
        const WorkspaceResult loaded = parseWorkspace(
            R"({"version": 1, "endpoints": [
                {"name": "=cmd|' /C calc'!A0", "kind": "tcp", "host": "h", "port": 1, "tags": ["-prod", "@ops"],
                 "heartbeat": {"interval_s": 5, "send": "+hb", "expect": "'=ok"}},
                {"name": "'plain", "kind": "tcp", "host": "h", "port": 2, "heartbeat": {"interval_s": 5, "send": "-ping"}}]})",
            u"formula.json"_s);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errors.join(u"\n"_s)));
        const QByteArray csv = endpointsToCsv(loaded.workspace->endpoints);
        QList<QStringList> records;
        QString error;
        QVERIFY2(parseCsvRecords(csv, &records, nullptr, &error), qPrintable(error));
        const QStringList header = records.at(0);
        const auto cell = [&](int row, const char *column) {
            return records.at(row).value(header.indexOf(QString::fromLatin1(column)));
        };
        QCOMPARE(cell(1, "name"), u"'=cmd|' /C calc'!A0"_s);
        QCOMPARE(cell(1, "tags"), u"'-prod @ops"_s);
        QCOMPARE(cell(1, "heartbeat.send"), u"'+hb"_s);
        QCOMPARE(cell(1, "heartbeat.expect"), u"''=ok"_s); // so that import takes one ' off again
        QCOMPARE(cell(1, "port"), u"1"_s);
        QCOMPARE(cell(2, "name"), u"'plain"_s);
        QCOMPARE(cell(2, "heartbeat.send"), u"'-ping"_s);
        for (qsizetype r = 1; r < records.size(); ++r) {
            for (const QString &field : records.at(r))
                QVERIFY2(!field.startsWith(u'=') && !field.startsWith(u'+') && !field.startsWith(u'-') &&
                             !field.startsWith(u'@') && !field.startsWith(u'\t') && !field.startsWith(u'\r'),
                         qPrintable(field));
        }

        const EndpointCsvResult back = parseEndpointCsv(csv);
        QVERIFY2(messages(back).isEmpty(), qPrintable(messages(back).join(u"\n"_s)));
        QCOMPARE(back.rows.size(), 2);
        QVERIFY(*back.rows.at(0).endpoint == loaded.workspace->endpoints.at(0));
        QVERIFY(*back.rows.at(1).endpoint == loaded.workspace->endpoints.at(1));
        QCOMPARE(back.rows.at(0).endpoint->tags, (QStringList{u"-prod"_s, u"@ops"_s}));
        QCOMPARE(endpointsToCsv({*back.rows.at(0).endpoint, *back.rows.at(1).endpoint}), csv);
    }

    // A hand-written file: a ' before a formula lead is taken off, any other ' stays, and a number
    // column is never touched (-3 is a negative number there, refused by the port's own check).
    void formulaCellsOnImport()
    {
        const EndpointCsvResult result = parseEndpointCsv(
            "name,kind,host,port\r\n'=a,tcp,h,1\r\n'b,tcp,h,2\r\nc,tcp,h,'-3\r\nd,tcp,h,-3\r\n");
        QCOMPARE(result.rows.size(), 4);
        QVERIFY(result.rows.at(0).endpoint);
        QCOMPARE(result.rows.at(0).endpoint->name, u"=a"_s);
        QVERIFY(result.rows.at(1).endpoint);
        QCOMPARE(result.rows.at(1).endpoint->name, u"'b"_s);
        QVERIFY(!result.rows.at(2).endpoint);
        QVERIFY2(result.rows.at(2).errors.join(QString()).contains(u"'-3"_s),
                 qPrintable(result.rows.at(2).errors.join(u"; "_s)));
        QVERIFY(!result.rows.at(3).endpoint);
        QVERIFY2(result.rows.at(3).errors.join(QString()).contains(u"column port"_s),
                 qPrintable(result.rows.at(3).errors.join(u"; "_s)));
    }

    void rowErrorsNameRowAndColumn()
    {
        const QByteArray csv = "name,kind,host,port,keepalive.idle_s,mqtt.watch\r\n"
                               "good,tcp,h,80,,\r\n"
                               "badport,tcp,h,eighty,,\r\n"
                               "\"multi\nline\",tcp,h,80,0,\r\n"
                               "\r\n"
                               "nokind,,h,80,,\r\n"
                               "w,mqtt,h,,,\"[{\"\"topic\"\": 5}]\"\r\n"
                               "j,mqtt,h,,,[oops\r\n"
                               "wide,tcp,h,80,,,extra\r\n";
        const EndpointCsvResult result = parseEndpointCsv(csv);
        QVERIFY(result.errors.isEmpty());
        QCOMPARE(result.rows.size(), 7);
        QVERIFY(result.rows.at(0).endpoint);
        QVERIFY(result.rows.at(0).errors.isEmpty());

        const auto check = [&](int index, int row, const QString &name, const QString &start) {
            const ImportedEndpoint &r = result.rows.at(index);
            QCOMPARE(r.row, row);
            QCOMPARE(r.name, name);
            QVERIFY(!r.endpoint);
            QVERIFY2(!r.errors.isEmpty() && r.errors.first().startsWith(start),
                     qPrintable(r.errors.join(u" | "_s)));
        };
        check(1, 3, u"badport"_s, u"row 3, column port: expected an integer"_s);
        check(2, 4, u"multi\nline"_s, u"row 4, column keepalive.idle_s: "_s);
        QCOMPARE(result.rows.at(3).line, 7); // row 6 after the two-line record and the blank line
        check(3, 6, u"nokind"_s, u"row 6, column kind: required"_s);
        check(4, 7, u"w"_s, u"row 7, column mqtt.watch ([0].topic): "_s);
        check(5, 8, u"j"_s, u"row 8, column mqtt.watch: not JSON"_s);
        check(6, 9, u"wide"_s, u"row 9: 7 fields, but the header names 6 columns"_s);
    }

    void headerProblemsStopTheImport_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray("\r\n\r\n") << u"the file is empty"_s;
        QTest::newRow("unknown") << QByteArray("name,kind,keepalive.idle\r\na,tcp,3\r\n")
                                 << u"header, column 3 \"keepalive.idle\": not a column Keepwatch knows"_s;
        QTest::newRow("twice") << QByteArray("name,kind,port,port\r\n")
                               << u"header, column 4 \"port\" is also column 3"_s;
        QTest::newRow("unnamed") << QByteArray("name,,kind\r\n") << u"header, column 2 has no name"_s;
    }
    void headerProblemsStopTheImport()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, expected);
        const EndpointCsvResult result = parseEndpointCsv(csv);
        QVERIFY(result.rows.isEmpty());
        QVERIFY(!result.errors.isEmpty());
        QVERIFY2(result.errors.first().startsWith(expected), qPrintable(result.errors.first()));
    }

    void jsonEndpointsOneByOne()
    {
        const QByteArray json = kJsonWithBadEndpoints;
        QStringList fileErrors;
        const QList<ImportedEndpoint> rows = parseEndpointJson(json, u"in.json"_s, &fileErrors);
        QVERIFY(fileErrors.isEmpty());
        QCOMPARE(rows.size(), 4);
        QVERIFY(rows.at(0).endpoint);
        QVERIFY(!rows.at(1).endpoint);
        QVERIFY2(rows.at(1).errors.first().startsWith(u"endpoints[1].port"),
                 qPrintable(rows.at(1).errors.first()));
        QCOMPARE(rows.at(2).row, 3);
        QVERIFY(!rows.at(2).errors.isEmpty());
        QVERIFY(rows.at(3).endpoint); // a repeated name is for the importer to resolve, not an error
        QCOMPARE(rows.at(3).name, u"ok"_s);

        parseEndpointJson("{\"version\": 1, \"endpoints\": [}", u"broken.json"_s, &fileErrors);
        QCOMPARE(fileErrors.size(), 1);
        QVERIFY2(fileErrors.first().startsWith(u"broken.json: line 1"), qPrintable(fileErrors.first()));
        parseEndpointJson("{\"version\": 2, \"endpoints\": []}", u"new.json"_s, &fileErrors);
        QVERIFY2(fileErrors.first().contains(u"newer Keepwatch"), qPrintable(fileErrors.first()));
    }

    // Every seed of fuzz_endpointcsv through the fuzzer's checks, and held to its name: a "valid-"
    // seed imports every row, a "broken-" one has an error, so a seed that no longer reaches the
    // code it was written for is noticed.
    void corpus_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(KW_FUZZ_CORPUS_DIR) + u"/endpointcsv"_s);
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 8, qPrintable(u"too few seeds in "_s + dir.path()));
        for (const QString &file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
    }
    void corpus()
    {
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
        const QByteArray input = file.readAll();
        const std::string problem = kw::fuzz::runEndpointCsvInput(input);
        QVERIFY2(problem.empty(), problem.c_str());
        const EndpointCsvResult result = parseEndpointCsv(input);
        if (path.contains(u"/valid-"_s)) {
            QVERIFY2(messages(result).isEmpty(), qPrintable(messages(result).join(u"\n"_s)));
            QVERIFY(!result.rows.isEmpty());
        } else {
            QVERIFY(!messages(result).isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestEndpointCsv)
#include "tst_endpointcsv.moc"
