// `keepwatch bundle` is a contract (the zip goes to other people and tools): run the real binary
// against a real event log, open what it wrote with libzip, and check every file.

#include "bundlecontents.h"
#include "bundlezip.h"
#include "event.h"
#include "eventlog.h"
#include "peerprocess.h"
#include "prerequisite.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <unistd.h>

#if defined(KEEPWATCH_TEST_GUI)
#include <QImage>

#include "bundledialog.h"
#include "endpointpanel.h"
#include "engine.h"
#include "historyreader.h"
#include "mainwindow.h"
#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QTreeView>
#endif

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);
const QDateTime kT0 = QDateTime(QDate(2026, 11, 21), QTime(18, 0), QTimeZone::utc());
const QString kSince = u"2026-11-21T18:00:00Z"_s;
const QString kUntil = u"2026-11-21T18:30:00Z"_s;
const QByteArray kPassword = "pw-7c1e-do-not-leak";
const QByteArray kBearer = "Bearer tok-93ab-do-not-leak";

struct Run
{
    int exitCode = -1;
    QByteArray err;
};

Run runKeepwatch(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"KW_BUNDLE_TEST_PASSWORD"_s, QString::fromLatin1(kPassword));
    process.setProcessEnvironment(env);
    process.start(kBinary, arguments);
    if (!process.waitForFinished(60000))
        process.kill();
    return Run{process.exitCode(), process.readAllStandardError()};
}

Event at(Event e, qint64 msFromT0)
{
    e.ts = kT0.addMSecs(msFromT0);
    return e;
}

Event state(const QString &endpoint, EndpointState s, qint64 ms, const Cause &cause = {},
            const QString &detail = {}, const QJsonObject &data = {})
{
    Event e = Event::stateChange(endpoint, s, cause, detail);
    e.data = data;
    return at(e, ms);
}

Event keepaliveReport(const QString &endpoint, qint64 ms)
{
    Event e;
    e.endpoint = endpoint;
    e.kind = EventKind::Keepalive;
    e.detail = u"keepalive on: idle 30 s, interval 15 s, count 3"_s;
    const auto option = [](const char *name, int value, const char *unit) {
        return QJsonObject{{u"option"_s, QString::fromLatin1(name)},
                           {u"status"_s, u"applied"_s},
                           {u"requested"_s, value},
                           {u"read_back"_s, value},
                           {u"unit"_s, QString::fromLatin1(unit)}};
    };
    e.data = QJsonObject{
        {u"options"_s, QJsonArray{option("TCP_KEEPIDLE", 30, "s"), option("TCP_KEEPINTVL", 15, "s"),
                                  option("TCP_KEEPCNT", 3, "")}},
        {u"all_applied"_s, true},
        {u"bound_ms"_s, 75000}};
    return at(e, ms);
}

Event tcpInfo(const QString &endpoint, qint64 ms, int probes)
{
    Event e;
    e.endpoint = endpoint;
    e.kind = EventKind::TcpInfo;
    e.rttMs = 0.8;
    e.source = u"tcpinfo"_s;
    e.data = QJsonObject{
        {u"probes"_s, probes}, {u"retransmits"_s, 0}, {u"unacked"_s, 0}, {u"tcp_state"_s, u"ESTABLISHED"_s}};
    return at(e, ms);
}

constexpr qint64 kMin = 60'000;

// One outage of "broker" inside [T0, T0 + 30 min): keepalive timeout at +6 min, a refused
// attempt, up again 3.3 s later. Events before and after the range, and another endpoint's, must
// stay out of the bundle.
QList<Event> incidentLog()
{
    QList<Event> events;
    const QString b = u"broker"_s;
    events << state(b, EndpointState::Connecting, -10 * kMin)
           << at(Event::rtt(b, 1.2, u"connect"_s), -10 * kMin + 50) << keepaliveReport(b, -10 * kMin + 60)
           << state(b, EndpointState::Up, -10 * kMin + 100);
    for (int i = 0; i < 10; ++i)
        events << tcpInfo(b, i * 30'000, i == 9 ? 2 : 0);
    for (int i = 0; i < 20; ++i)
        events << at(Event::rtt(b, 3.0 + i % 3, u"mqtt-ping"_s), i * kMin + 500);
    const qint64 drop = 6 * kMin;
    events << state(b, EndpointState::Down, drop, CauseCode::KeepaliveTimeout,
                    u"no answer to 3 keepalive probes"_s, {{u"bound_ms"_s, 75000}, {u"up_for_ms"_s, 960000}})
           << state(b, EndpointState::Waiting, drop + 1, CauseCode::KeepaliveTimeout,
                    u"next attempt in 1.00 s"_s, {{u"next_attempt_ms"_s, 1000}})
           << state(b, EndpointState::Connecting, drop + 1000)
           << state(b, EndpointState::Down, drop + 1100, CauseCode::Refused, u"connection refused"_s)
           << state(b, EndpointState::Waiting, drop + 1101, CauseCode::Refused, u"next attempt in 2.00 s"_s,
                    {{u"next_attempt_ms"_s, 2000}})
           << state(b, EndpointState::Connecting, drop + 3200) << state(b, EndpointState::Up, drop + 3300)
           << state(b, EndpointState::Down, 40 * kMin, CauseCode::Reset, u"after the range"_s);
    events << state(u"other"_s, EndpointState::Up, 2 * kMin) << state(u"feed"_s, EndpointState::Up, 2 * kMin)
           << state(u"feed"_s, EndpointState::Down, 3 * kMin, CauseCode::WsPongTimeout, u"no pong"_s);
    std::stable_sort(events.begin(), events.end(),
                     [](const Event &x, const Event &y) { return x.ts < y.ts; });
    return events;
}

QList<Event> inRange(const QString &endpoint)
{
    QList<Event> out;
    for (const Event &e : incidentLog()) {
        if (e.endpoint == endpoint && e.ts >= kT0 && e.ts < kT0.addMSecs(30 * kMin))
            out << e;
    }
    return out;
}

QByteArray workspaceJson()
{
    const QJsonObject broker{
        {u"name"_s, u"broker"_s},
        {u"kind"_s, u"mqtt"_s},
        {u"host"_s, u"mqtt.plant.internal"_s},
        {u"keepalive"_s, QJsonObject{{u"idle_s"_s, 30}, {u"interval_s"_s, 15}, {u"count"_s, 3}}},
        {u"mqtt"_s,
         QJsonObject{{u"username"_s, u"keepwatch"_s}, {u"password_env"_s, u"KW_BUNDLE_TEST_PASSWORD"_s}}}};
    const QJsonObject feed{
        {u"name"_s, u"feed"_s},
        {u"kind"_s, u"websocket"_s},
        {u"url"_s, u"wss://feed.example.net:8443/live"_s},
        {u"websocket"_s,
         QJsonObject{{u"headers"_s, QJsonObject{{u"Authorization"_s, QString::fromLatin1(kBearer)}}}}}};
    return QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"endpoints"_s, QJsonArray{broker, feed}}}).toJson();
}

const BundleEntry *entry(const QList<BundleEntry> &entries, const QString &name)
{
    for (const BundleEntry &e : entries) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

QList<QByteArray> lines(const QByteArray &text, const QByteArray &separator)
{
    QList<QByteArray> out;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            out << (separator.isEmpty() ? line : line.chopped(line.endsWith('\r') ? 1 : 0));
    }
    return out;
}

} // namespace

class TestBundle : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;
    QString m_workspace;

    QString out(const QString &name) const { return m_dir.filePath(name); }

    QStringList args(const QString &endpoint, const QString &output) const
    {
        return {u"bundle"_s,  u"--endpoint"_s, endpoint, u"--since"_s, kSince,
                u"--until"_s, kUntil,          u"-o"_s,  output,       u"--workspace"_s,
                m_workspace,  u"--data-dir"_s, m_data};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(u"data"_s);
        QString error;
        {
            std::unique_ptr<EventLog> log = EventLog::open(m_data, &error);
            QVERIFY2(log, qPrintable(error));
            QVERIFY2(log->append(incidentLog(), &error), qPrintable(error));
        }
        m_workspace = m_dir.filePath(u"workspace.json"_s);
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(workspaceJson());
    }

    void bundleHoldsTheIncident()
    {
        const QString zip = out(u"broker.zip"_s);
        const Run run = runKeepwatch(args(u"broker"_s, zip));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QString error;
        const auto entries = readZipArchive(zip, &error);
        QVERIFY2(entries, qPrintable(error));

        QStringList names;
        for (const BundleEntry &e : *entries)
            names << e.name;
        names.sort();
        QStringList expectedNames{u"events.csv"_s,    u"events.jsonl"_s, u"manifest.json"_s,
                                  u"settings.json"_s, u"summary.md"_s,   u"system-defaults.json"_s,
                                  u"tcpinfo.csv"_s};
#if defined(KEEPWATCH_TEST_GUI)
        expectedNames << u"timeline.png"_s; // a build without the window has nothing to draw it with
#endif
        QCOMPARE(names, expectedNames);

        // The events of the range, of this endpoint only, in both formats.
        const QList<Event> expected = inRange(u"broker"_s);
        const QList<QByteArray> jsonl = lines(entry(*entries, u"events.jsonl"_s)->data, {});
        QCOMPARE(jsonl.size(), expected.size());
        for (qsizetype i = 0; i < jsonl.size(); ++i) {
            const auto e = Event::fromJsonLine(jsonl.at(i), &error);
            QVERIFY2(e, qPrintable(error));
            QCOMPARE(e->ts, expected.at(i).ts);
            QCOMPARE(e->endpoint, u"broker"_s);
        }
        const QList<QByteArray> csv = lines(entry(*entries, u"events.csv"_s)->data, "\r");
        QCOMPARE(csv.size(), expected.size() + 1);
        QVERIFY(csv.first().startsWith("ts,endpoint,kind"));
        QVERIFY(entry(*entries, u"events.csv"_s)->data.contains("keepalive-timeout"));

        // TCP_INFO: one row per sample with its fields as columns.
        const QList<QByteArray> tcp = lines(entry(*entries, u"tcpinfo.csv"_s)->data, "\r");
        QCOMPARE(tcp.size(), 11);
        const QList<QByteArray> header = tcp.first().split(',');
        QCOMPARE(header.mid(0, 2), QList<QByteArray>({"ts", "rtt_ms"}));
        const qsizetype probes = header.indexOf("probes");
        QVERIFY(probes > 0);
        QCOMPARE(tcp.last().split(',').at(probes), QByteArray("2"));
        QVERIFY(tcp.last().contains("ESTABLISHED"));

#if defined(KEEPWATCH_TEST_GUI)
        // The timeline, drawn: a PNG at the size the bundle asks for.
        QImage png;
        QVERIFY(png.loadFromData(entry(*entries, u"timeline.png"_s)->data, "PNG"));
        QVERIFY2(png.width() >= 800 && png.height() >= 300,
                 qPrintable(u"%1x%2"_s.arg(png.width()).arg(png.height())));
#endif

        // The summary: what died when, why, the bound, how it came back.
        const QString summary = QString::fromUtf8(entry(*entries, u"summary.md"_s)->data);
        QVERIFY2(summary.contains(u"2026-11-21T18:06:00.000Z: down (keepalive-timeout)"_s),
                 qPrintable(summary));
        QVERIFY(summary.contains(u"TCP keepalive probes went unanswered"_s));
        QVERIFY(summary.contains(u"Detection bound in force: 75 s (from the drop event)"_s));
        QVERIFY(summary.contains(u"after 3.3 s down: 2 connect attempt(s), backoff waits 1 s, 2 s"_s));
        QVERIFY(summary.contains(u"Attempts that failed: refused"_s));
        QVERIFY(summary.contains(u"It had been up for 16.0 min before."_s));
        QVERIFY(summary.contains(u"of 30.0 min watched; 1 drop(s)"_s));
        QVERIFY(summary.contains(u"| TCP_KEEPIDLE | 30 s | 30 s |"_s));
        QVERIFY(summary.contains(u"Secrets are excluded"_s));
        QVERIFY(!summary.contains(u"after the range"_s));

        // Settings: the endpoint's as saved, with the variable's name and never its value.
        const QJsonObject settings =
            QJsonDocument::fromJson(entry(*entries, u"settings.json"_s)->data).object();
        const QJsonObject endpoint = settings.value(u"endpoint_settings"_s).toObject();
        QCOMPARE(endpoint.value(u"name"_s).toString(), u"broker"_s);
        QCOMPARE(endpoint.value(u"mqtt"_s).toObject().value(u"password_env"_s).toString(),
                 u"KW_BUNDLE_TEST_PASSWORD"_s);
        QCOMPARE(endpoint.value(u"keepalive"_s).toObject().value(u"idle_s"_s).toInt(), 30);

        // System defaults with their sources, and the keepalive read back.
        const QJsonObject defaults =
            QJsonDocument::fromJson(entry(*entries, u"system-defaults.json"_s)->data).object();
        QVERIFY(!defaults.value(u"system_defaults"_s)
                     .toObject()
                     .value(u"keepalive_time"_s)
                     .toObject()
                     .value(u"source"_s)
                     .toString()
                     .isEmpty());
        const QJsonArray effective = defaults.value(u"effective_keepalive"_s).toArray();
        QCOMPARE(effective.size(), 1);
        QCOMPARE(effective.first().toObject().value(u"bound_ms"_s).toInt(), 75000);

        // The manifest: range, and a SHA-256 per file that matches.
        const QJsonObject manifest =
            QJsonDocument::fromJson(entry(*entries, u"manifest.json"_s)->data).object();
        QCOMPARE(manifest.value(u"since"_s).toString(), u"2026-11-21T18:00:00.000Z"_s);
        QCOMPARE(manifest.value(u"until"_s).toString(), u"2026-11-21T18:30:00.000Z"_s);
        QVERIFY(!manifest.value(u"keepwatch_version"_s).toString().isEmpty());
        QVERIFY(!manifest.value(u"host"_s).toString().isEmpty());
        const QJsonArray files = manifest.value(u"files"_s).toArray();
        QCOMPARE(files.size(), entries->size() - 1);
        for (const QJsonValue &v : files) {
            const QJsonObject f = v.toObject();
            const BundleEntry *e = entry(*entries, f.value(u"name"_s).toString());
            QVERIFY2(e, qPrintable(f.value(u"name"_s).toString()));
            QCOMPARE(f.value(u"sha256"_s).toString().toLatin1(),
                     QCryptographicHash::hash(e->data, QCryptographicHash::Sha256).toHex());
        }

        // The password the environment holds is nowhere, in no file, in no form the zip keeps.
        for (const BundleEntry &e : *entries)
            QVERIFY2(!e.data.contains(kPassword), qPrintable(e.name));
        QFile raw(zip);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains(kPassword));
    }

    void headerValuesAreLeftOut()
    {
        const QString zip = out(u"feed.zip"_s);
        const Run run = runKeepwatch(args(u"feed"_s, zip));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QString error;
        const auto entries = readZipArchive(zip, &error);
        QVERIFY2(entries, qPrintable(error));
        const QByteArray settings = entry(*entries, u"settings.json"_s)->data;
        QVERIFY(settings.contains("Authorization")); // the header's name stays: it says how it authenticates
        for (const BundleEntry &e : *entries)
            QVERIFY2(!e.data.contains("tok-93ab-do-not-leak"), qPrintable(e.name));
        const QString summary = QString::fromUtf8(entry(*entries, u"summary.md"_s)->data);
        QVERIFY(summary.contains(u"a WebSocket ping went unanswered"_s));
        QVERIFY(summary.contains(u"Not recovered by the end of the range"_s));
    }

    void errorsNameTheFix_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString zip = u"error.zip"_s;
        QTest::newRow("no such endpoint")
            << QStringList{u"--endpoint"_s, u"nosuch"_s, u"--since"_s, kSince} << 2
            << u"no events of an endpoint named \"nosuch\"; check the name"_s;
        QTest::newRow("empty range") << QStringList{u"--endpoint"_s, u"broker"_s,  u"--since"_s,
                                                    kUntil,          u"--until"_s, kSince}
                                     << 2 << u"--since must be before --until"_s;
        QTest::newRow("nothing in range")
            << QStringList{u"--endpoint"_s,           u"broker"_s,  u"--since"_s,
                           u"2026-11-22T00:00:00Z"_s, u"--until"_s, u"2026-11-22T01:00:00Z"_s}
            << 2 << u"choose a range inside that"_s;
        QTest::newRow("missing output") << QStringList{u"--endpoint"_s, u"broker"_s, u"--since"_s, kSince}
                                        << 2 << u"-o FILE.zip are required"_s;
    }

    void errorsNameTheFix()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QStringList all{u"bundle"_s};
        all << arguments << u"--data-dir"_s << m_data;
        const QString zip = out(u"error.zip"_s);
        if (!QTest::currentDataTag() || QByteArray(QTest::currentDataTag()) != "missing output")
            all << u"-o"_s << zip;
        const Run run = runKeepwatch(all);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!QFileInfo::exists(zip)); // nothing written, not even half
    }

    void unwritableOutputLeavesNothing()
    {
        const QString zip = out(u"no/such/folder/x.zip"_s);
        const Run run = runKeepwatch(args(u"broker"_s, zip));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("does not exist; create it or choose another one"), run.err.constData());
        QVERIFY(!QFileInfo::exists(zip));
    }

    // A real full disk: a 16 KB tmpfs in a mount namespace of its own (nothing outlives the test).
    void fullDiskLeavesNoHalfFile()
    {
        const QString unshare = QStandardPaths::findExecutable(u"unshare"_s);
        if (::geteuid() != 0 || unshare.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI(
                "a full disk needs root and unshare (util-linux) to mount a small tmpfs");
        QTemporaryDir mount;
        QVERIFY(mount.isValid());
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"KW_MOUNT"_s, mount.path());
        process.setProcessEnvironment(env);
        // Inside the namespace: mount, run keepwatch, then list what it left in the mount.
        const QString script =
            u"mount -t tmpfs -o size=16k tmpfs \"$KW_MOUNT\" || exit 99; \"$@\"; rc=$?; ls -A \"$KW_MOUNT\"; exit $rc"_s;
        process.start(unshare, QStringList{u"-m"_s, u"sh"_s, u"-c"_s, script, u"sh"_s, kBinary}
                                   << args(u"broker"_s, mount.filePath(u"x.zip"_s)));
        QVERIFY(process.waitForFinished(60000));
        if (process.exitCode() == 99)
            KW_SKIP_OR_FAIL_UNDER_CI("cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
        const QByteArray err = process.readAllStandardError();
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(err.contains("the disk is full") && err.contains("free some space"), err.constData());
        QCOMPARE(process.readAllStandardOutput().trimmed(), QByteArray()); // no zip, no temporary file
    }

    void writeReplacesWholeAndLeavesNoTemporaryFile()
    {
        QTemporaryDir dir;
        const QString zip = dir.filePath(u"b.zip"_s);
        {
            QFile old(zip);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("not a zip, and longer than nothing");
        }
        QString error;
        QVERIFY2(writeZipArchive(zip, {{u"a.txt"_s, "alpha"}, {u"b.txt"_s, QByteArray(100000, 'b')}}, &error),
                 qPrintable(error));
        const auto entries = readZipArchive(zip, &error);
        QVERIFY2(entries, qPrintable(error));
        QCOMPARE(entries->size(), 2);
        QCOMPARE(entries->at(1).data, QByteArray(100000, 'b'));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"b.zip"_s});
        // A folder in the way: refused by name, the folder untouched.
        QVERIFY(QDir(dir.path()).mkdir(u"folder.zip"_s));
        QVERIFY(!writeZipArchive(dir.filePath(u"folder.zip"_s), {{u"a.txt"_s, "alpha"}}, &error));
        QVERIFY2(error.contains(u"is a folder"_s), qPrintable(error));
    }

    void secretsAreRemovedFromAnySetting()
    {
        const QJsonObject in{{u"webhook"_s, QJsonObject{{u"url"_s, u"https://hooks.example/x"_s},
                                                        {u"token_env"_s, u"HOOK_TOKEN"_s},
                                                        {u"secret"_s, u"s3cr3t"_s},
                                                        {u"hmac_key"_s, u"k3y"_s}}},
                             {u"password"_s, u"pw"_s}};
        const QByteArray out = QJsonDocument(secretFreeJson(in)).toJson();
        QVERIFY(out.contains("HOOK_TOKEN"));
        QVERIFY(out.contains("https://hooks.example/x"));
        QVERIFY(!out.contains("s3cr3t"));
        QVERIFY(!out.contains("k3y"));
        QVERIFY(!out.contains("\"pw\""));
    }

#if defined(KEEPWATCH_TEST_GUI)
    void dialogDefaultRange()
    {
        const QDateTime now = kT0.addSecs(3600);
        const auto [from, to] = IncidentBundleDialog::defaultRange(kT0, now);
        QCOMPARE(from, kT0.addSecs(-15 * 60));
        QCOMPARE(to, kT0.addSecs(15 * 60 + 1));
        // A drop a moment ago: the range stops at now.
        const auto [from2, to2] = IncidentBundleDialog::defaultRange(now.addSecs(-60), now);
        QCOMPARE(from2, now.addSecs(-16 * 60));
        QCOMPARE(to2, now.addSecs(1));
        // No drop, or one long ago: the last hour.
        for (const QDateTime &drop : {QDateTime(), now.addDays(-30)}) {
            const auto [f, t] = IncidentBundleDialog::defaultRange(drop, now);
            QCOMPARE(f, now.addSecs(-3600));
            QCOMPARE(t, now.addSecs(1));
        }
    }

    void dialogSavesTheBundle()
    {
        HistoryReader reader(m_data);
        EndpointConfig broker;
        broker.name = u"broker"_s;
        broker.kind = EndpointKind::Mqtt;
        broker.host = u"mqtt.plant.internal"_s;
        IncidentBundleDialog dialog(&reader, {broker}, {}, m_workspace);
        const QString zip = out(u"dialog.zip"_s);
        dialog.setEndpoint(u"broker"_s);
        dialog.setRange(kT0, kT0.addMSecs(30 * kMin));
        dialog.setPath(zip);
        QSignalSpy saved(&dialog, &IncidentBundleDialog::bundleSaved);
        dialog.save();
        QVERIFY(dialog.isRunning()); // the work is on the reader's thread, the window goes on
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 30000);
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
        QString error;
        const auto entries = readZipArchive(zip, &error);
        QVERIFY2(entries, qPrintable(error));
        QImage png;
        QVERIFY(png.loadFromData(entry(*entries, u"timeline.png"_s)->data, "PNG"));
        QCOMPARE(lines(entry(*entries, u"events.jsonl"_s)->data, {}).size(), inRange(u"broker"_s).size());
        QVERIFY(QString::fromUtf8(entry(*entries, u"summary.md"_s)->data).contains(u"keepalive-timeout"_s));

        // An empty range is refused before anything is read.
        dialog.setRange(kT0, kT0);
        dialog.save();
        QCOMPARE(saved.size(), 2);
        QVERIFY(!saved.last().at(0).toBool());
        QVERIFY(dialog.statusLabel()->text().contains(u"must be before"_s));
    }

    // The window offers it in the Endpoint menu and on the endpoint's right-click menu, and the
    // dialog it opens reads through the window's own history reader (the engine's log).
    void windowActionOpensTheDialog()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        Engine engine(EngineOptions{m_data, {}});
        QString error;
        QVERIFY2(engine.start(Workspace{}, &error), qPrintable(error));
        {
            MainWindow window(&engine, &settings);
            auto *action = window.findChild<QAction *>(u"actionIncidentBundle"_s);
            QVERIFY(action);
            auto *menu = window.findChild<QMenu *>(u"menuEndpoint"_s);
            QVERIFY(menu && menu->actions().contains(action));
            QVERIFY(window.endpointPanel()->table()->actions().contains(action));
            action->trigger();
            auto *dialog = window.findChild<IncidentBundleDialog *>(u"incidentBundleDialog"_s);
            QVERIFY(dialog);
            QVERIFY(dialog->isVisible());
            QVERIFY(dialog->path().endsWith(u".zip"_s));
            const QString zip = out(u"window.zip"_s);
            dialog->setEndpoint(u"broker"_s);
            dialog->setRange(kT0, kT0.addMSecs(30 * kMin));
            dialog->setPath(zip);
            QSignalSpy saved(dialog, &IncidentBundleDialog::bundleSaved);
            dialog->save();
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 30000);
            QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
            QVERIFY(readZipArchive(zip, &error));
        }
        engine.shutdown();
    }
#endif
};

#if defined(KEEPWATCH_TEST_GUI)
QTEST_MAIN(TestBundle)
#else
QTEST_GUILESS_MAIN(TestBundle)
#endif
#include "tst_bundle.moc"
