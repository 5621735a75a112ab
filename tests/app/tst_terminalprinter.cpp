// The headless terminal printer: its exact lines for given events and snapshots, with and without
// colour, and the real binary under a pseudo-terminal (script(1) from util-linux) printing a
// coloured "down" line when its loopback peer goes away, and a summary on SIGUSR1.
#include "terminalprinter.h"

#include "prerequisite.h"

#include <QBuffer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using kw::EndpointState;
using kw::Event;
using kw::TerminalPrinter;

namespace {

const QString kBinary = QString::fromLocal8Bit(KEEPWATCH_BINARY);
const QDateTime kStart(QDate(2026, 12, 1), QTime(12, 40, 0), QTimeZone::utc());

Event at(Event event, qint64 secondsAfterStart)
{
    event.ts = kStart.addSecs(secondsAfterStart);
    return event;
}

TerminalPrinter::Options plain()
{
    TerminalPrinter::Options options;
    options.zone = QTimeZone::utc();
    return options;
}

kw::EndpointSnapshot endpoint(const QString &name, EndpointState state, const QString &cause = {},
                              const QDateTime &since = kStart)
{
    kw::EndpointSnapshot e;
    e.name = name;
    e.state = state;
    e.cause = cause;
    e.since = since;
    return e;
}

} // namespace

class TestTerminalPrinter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lines_data()
    {
        QTest::addColumn<QList<Event>>("events");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("first attempt")
            << QList<Event>{at(Event::stateChange(u"db"_s, EndpointState::Connecting, {},
                                                  u"connecting to db:5432"_s),
                               0),
                            at(Event::stateChange(u"db"_s, EndpointState::Up, {}, u"connected"_s), 1)}
            << QStringList{u"12:40:00  db                    connecting"
                           u"          connecting to db:5432"_s,
                           u"12:40:01  db                    connecting → up     connected"_s};

        // A drop, a retry cycle folded into the lines that say something new, the way back.
        QTest::newRow("drop and reconnect")
            << QList<Event>{at(Event::stateChange(u"db-replica"_s, EndpointState::Up), 0),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Down,
                                                  kw::CauseCode::KeepaliveTimeout, u"3 probes unanswered"_s),
                               10),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Waiting,
                                                  kw::CauseCode::KeepaliveTimeout, u"next attempt in 1 s"_s),
                               10),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Connecting), 11),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Down,
                                                  kw::CauseCode::KeepaliveTimeout),
                               20),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Down,
                                                  kw::CauseCode::Refused, u"db-replica:5432 refused"_s),
                               40),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Waiting,
                                                  kw::CauseCode::Refused),
                               40),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Connecting), 60),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Down,
                                                  kw::CauseCode::Refused),
                               61),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Connecting), 190),
                            at(Event::stateChange(u"db-replica"_s, EndpointState::Up, {},
                                                  u"connected a → b"_s),
                               190)}
            << QStringList{
                   u"12:40:00  db-replica            up"_s,
                   u"12:40:10  db-replica            up → down           keepalive-timeout   3 probes unanswered"_s,
                   u"12:40:40  db-replica            down → down         refused             db-replica:5432 refused"_s,
                   u"12:43:10  db-replica            down → up           connected a → b  "
                   u"(down for 3 min, 2 more attempts failed)"_s};

        QTest::newRow("suspect and back")
            << QList<Event>{at(Event::stateChange(u"api"_s, EndpointState::Up), 0),
                            at(Event::stateChange(u"api"_s, EndpointState::Suspect, {}, u"phi 9.1 above 8"_s),
                               5),
                            at(Event::stateChange(u"api"_s, EndpointState::Up, {},
                                                  u"liveness checks pass again"_s),
                               7),
                            at(Event::rtt(u"api"_s, 0.4, u"connect"_s), 8)}
            << QStringList{
                   u"12:40:00  api                   up"_s,
                   u"12:40:05  api                   up → suspect        phi 9.1 above 8"_s,
                   u"12:40:07  api                   suspect → up        liveness checks pass again"_s};

        QTest::newRow("device") << QList<Event>{at(Event::deviceChange(u"broker"_s, EndpointState::Down,
                                                                       kw::CauseCode::DeviceSilent,
                                                                       u"a17 silent"_s, {}),
                                                   3)}
                                << QStringList{u"12:40:03  broker                device down         "
                                               u"device-silent       a17 silent"_s};
    }

    void alertLines()
    {
        // Announced alerts read like state lines; held ones are dim (plain here) and say "held";
        // the failed checks held below down_after are folded like the retry cycle.
        const QList<Event> events{
            at(Event::alert(u"db"_s, u"down"_s, u"below-down-after"_s, EndpointState::Down,
                            kw::CauseCode::Refused, u"1 of 3 failed checks"_s),
               5),
            at(Event::alert(u"db"_s, u"down"_s, {}, EndpointState::Down, kw::CauseCode::Refused,
                            u"db:5432 refused"_s),
               10),
            at(Event::alert(u"db"_s, u"up"_s, u"muted"_s, EndpointState::Up, kw::CauseCode::Refused,
                            u"muted until 13:00"_s),
               20),
            at(Event::alert(u"db"_s, u"flapping"_s, {}, EndpointState::Up, {}, u"36 % state changes"_s), 30)};
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        TerminalPrinter printer(&buffer, plain());
        printer.printEvents(events);
        QStringList lines = QString::fromUtf8(buffer.data()).split(u'\n');
        QCOMPARE(lines.takeLast(), QString());
        QCOMPARE(lines.takeFirst(), u"-- 2026-12-01 --"_s);
        const QStringList expected{
            u"12:40:10  db                    alert down          refused             db:5432 refused"_s,
            u"12:40:20  db                    held up             refused             muted until 13:00"_s,
            u"12:40:30  db                    alert flapping      36 % state changes"_s};
        QCOMPARE(lines, expected);
        // In colour, an announced Down is red like a drop.
        TerminalPrinter::Options coloured = plain();
        coloured.color = true;
        TerminalPrinter colourPrinter(&buffer, coloured);
        QVERIFY(colourPrinter.eventLine(events[1]).contains(u"\x1b[1;31malert down\x1b[0m"));
    }

    void lines()
    {
        QFETCH(QList<Event>, events);
        QFETCH(QStringList, expected);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        TerminalPrinter printer(&buffer, plain());
        printer.printEvents(events);
        QStringList lines = QString::fromUtf8(buffer.data()).split(u'\n');
        QCOMPARE(lines.takeLast(), QString()); // every line ends with a newline
        QCOMPARE(lines.takeFirst(), u"-- 2026-12-01 --"_s);
        QCOMPARE(lines, expected);
    }

    void colour()
    {
        TerminalPrinter::Options options = plain();
        options.color = true;
        TerminalPrinter printer(nullptr, options);
        QVERIFY(printer.eventLine(at(Event::stateChange(u"db"_s, EndpointState::Up), 0))
                    .contains(u"\x1b[32mup\x1b[0m"));
        const QString down = printer.eventLine(
            at(Event::stateChange(u"db"_s, EndpointState::Down, kw::CauseCode::Reset, u"RST"_s), 5));
        QCOMPARE(down,
                 u"\x1b[2m12:40:05\x1b[0m  db                    \x1b[32mup\x1b[0m → \x1b[1;31mdown\x1b[0m"
                 u"           \x1b[1;31mreset\x1b[0m               RST"_s);

        TerminalPrinter bare(nullptr, plain());
        QVERIFY(!bare.eventLine(at(Event::stateChange(u"db"_s, EndpointState::Down), 0)).contains(u'\x1b'));
    }

    void summary()
    {
        TerminalPrinter printer(nullptr, plain());
        // Two reconnects this printer saw: one 70 min ago (outside the hour), one 10 min ago.
        const QDateTime now = kStart.addSecs(3 * 3600);
        for (const qint64 ago : {70 * 60, 10 * 60}) {
            printer.eventLine(at(Event::stateChange(u"cache"_s, EndpointState::Up), 3 * 3600 - ago - 5));
            printer.eventLine(at(Event::stateChange(u"cache"_s, EndpointState::Down, kw::CauseCode::Reset),
                                 3 * 3600 - ago - 3));
            printer.eventLine(at(Event::stateChange(u"cache"_s, EndpointState::Up), 3 * 3600 - ago));
        }
        // db-replica dropped 3 min ago and is retrying; the outage began at its first Down.
        printer.eventLine(at(Event::stateChange(u"db-replica"_s, EndpointState::Up), 0));
        printer.eventLine(
            at(Event::stateChange(u"db-replica"_s, EndpointState::Down, kw::CauseCode::KeepaliveTimeout),
               3 * 3600 - 180));
        printer.eventLine(
            at(Event::stateChange(u"db-replica"_s, EndpointState::Down, kw::CauseCode::KeepaliveTimeout),
               3 * 3600 - 5));

        kw::Snapshot snapshot;
        snapshot.endpoints = {
            endpoint(u"a"_s, EndpointState::Up),
            endpoint(u"b"_s, EndpointState::Up),
            endpoint(u"api"_s, EndpointState::Suspect),
            endpoint(u"cache"_s, EndpointState::Waiting, u"reset"_s, now.addSecs(-2)),
            endpoint(u"db-replica"_s, EndpointState::Connecting, u"keepalive-timeout"_s, now.addSecs(-1)),
            endpoint(u"new"_s, EndpointState::Connecting),
            endpoint(u"off"_s, EndpointState::Disabled),
        };
        // cache's own outage: the printer did not see it begin, so the snapshot's last drop says when.
        snapshot.endpoints[3].stats.lastDropAt = now.addSecs(-20);
        QCOMPARE(printer.summaryLine(snapshot, now),
                 u"15:40:00  2 up · 1 suspect · 2 down (db-replica keepalive-timeout 3 min, cache reset 20 s)"
                 u" · 1 connecting · 1 disabled · 1 reconnect in the last hour"_s);

        // Nothing down: the list goes, the count of reconnects stays.
        snapshot.endpoints = {endpoint(u"a"_s, EndpointState::Up)};
        QCOMPARE(printer.summaryLine(snapshot, now.addSecs(3600)),
                 u"16:40:00  1 up · 0 reconnects in the last hour"_s);
    }

    void summaryNamesAFewOfMany()
    {
        TerminalPrinter printer(nullptr, plain());
        kw::Snapshot snapshot;
        for (int i = 0; i < 5; ++i)
            snapshot.endpoints << endpoint(u"e%1"_s.arg(i), EndpointState::Down, u"refused"_s,
                                           kStart.addSecs(i));
        QCOMPARE(printer.summaryLine(snapshot, kStart.addSecs(60)),
                 u"12:41:00  0 up · 5 down (e0 refused 60 s, e1 refused 59 s, e2 refused 58 s, +2 more)"
                 u" · 0 reconnects in the last hour"_s);
    }

    void colorWanted_data()
    {
        QTest::addColumn<QByteArray>("noColor");
        QTest::addColumn<QByteArray>("term");
        QTest::addColumn<bool>("expected");
        QTest::newRow("xterm") << QByteArray() << "xterm-256color"_ba << true;
        QTest::newRow("NO_COLOR") << "1"_ba
                                  << "xterm-256color"_ba << false;
        QTest::newRow("NO_COLOR empty") << ""_ba
                                        << "xterm"_ba << true;
        QTest::newRow("dumb") << QByteArray() << "dumb"_ba << false;
    }

    void colorWanted()
    {
        QFETCH(QByteArray, noColor);
        QFETCH(QByteArray, term);
        QFETCH(bool, expected);
        const QByteArray savedNoColor = qgetenv("NO_COLOR");
        const QByteArray savedTerm = qgetenv("TERM");
        if (noColor.isNull())
            qunsetenv("NO_COLOR");
        else
            qputenv("NO_COLOR", noColor);
        qputenv("TERM", term);
        const bool wanted = TerminalPrinter::colorWanted();
        qputenv("NO_COLOR", savedNoColor);
        if (savedNoColor.isNull())
            qunsetenv("NO_COLOR");
        qputenv("TERM", savedTerm);
        QCOMPARE(wanted, expected);
    }

    // The real binary on a pseudo-terminal: coloured lines, a summary on SIGUSR1, a coloured
    // "down" with its cause after the peer closes; and forced terminal mode through a pipe.
    void binaryOnAPseudoTerminal()
    {
        const QString script = QStandardPaths::findExecutable(u"script"_s);
        if (script.isEmpty())
            KW_SKIP_OR_FAIL_UNDER_CI("script(1) from util-linux (bsdutils) is not installed");
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile workspace(dir.filePath(u"ws.json"_s));
        QVERIFY(workspace.open(QIODevice::WriteOnly));
        workspace.write(QStringLiteral(R"({"version":1,"endpoints":[{"name":"edge","kind":"tcp",)"
                                       R"("host":"127.0.0.1","port":%1}]})")
                            .arg(server.serverPort())
                            .toUtf8());
        workspace.close();

        // script runs the command on a new pty; the shell says the pid before it becomes keepwatch.
        const QString pidFile = dir.filePath(u"pid"_s);
        const QString command =
            u"echo $$ > '%1'; exec '%2' --headless --workspace '%3' --data-dir '%4' --duration 60"_s.arg(
                pidFile, kBinary, workspace.fileName(), dir.filePath(u"data"_s));
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"NO_COLOR"_s);
        env.remove(u"KEEPWATCH_TERMINAL"_s);
        env.insert(u"TERM"_s, u"xterm"_s);
        process.setProcessEnvironment(env);
        process.start(script, {u"-qfec"_s, command, u"/dev/null"_s});
        QVERIFY(process.waitForStarted());
        QByteArray output;
        auto readSome = [&] {
            process.waitForReadyRead(100);
            output += process.readAllStandardOutput();
        };

        QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections() || server.waitForNewConnection(50), 20000);
        std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
        QVERIFY(peer);
        for (int i = 0; i < 200 && !output.contains("\x1b[32mup\x1b[0m"); ++i)
            readSome();
        QVERIFY2(output.contains("\x1b[36mconnecting\x1b[0m → \x1b[32mup\x1b[0m"), output.constData());

        // The summary on demand.
        QFile pid(pidFile);
        QVERIFY(pid.open(QIODevice::ReadOnly));
        const qint64 keepwatchPid = pid.readAll().trimmed().toLongLong();
        QVERIFY(keepwatchPid > 0);
        for (int i = 0; i < 200 && !output.contains("1 up"); ++i) {
            if (i % 20 == 0)
                ::kill(pid_t(keepwatchPid), SIGUSR1);
            readSome();
        }
        QVERIFY2(output.contains("\x1b[32m1 up\x1b[0m · 0 reconnects in the last hour"), output.constData());

        // The peer goes away: a red "down" with the cause.
        peer->close();
        server.close();
        for (int i = 0; i < 200 && !output.contains("peer-closed"); ++i)
            readSome();
        QVERIFY2(output.contains("\x1b[32mup\x1b[0m → \x1b[1;31mdown\x1b[0m"), output.constData());
        QVERIFY2(output.contains("\x1b[1;31mpeer-closed\x1b[0m"), output.constData());
        QVERIFY(!output.contains("\"kind\""));

        ::kill(pid_t(keepwatchPid), SIGTERM);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }

    void forcedTerminalModeWithoutColour()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile workspace(dir.filePath(u"ws.json"_s));
        QVERIFY(workspace.open(QIODevice::WriteOnly));
        workspace.write(QStringLiteral(R"({"version":1,"endpoints":[{"name":"edge","kind":"tcp",)"
                                       R"("host":"127.0.0.1","port":%1}]})")
                            .arg(server.serverPort())
                            .toUtf8());
        workspace.close();
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"KEEPWATCH_TERMINAL"_s, u"1"_s);
        env.insert(u"NO_COLOR"_s, u"1"_s);
        process.setProcessEnvironment(env);
        process.start(kBinary, {u"--headless"_s, u"--workspace"_s, workspace.fileName(), u"--data-dir"_s,
                                dir.filePath(u"data"_s), u"--duration"_s, u"60"_s});
        QByteArray output;
        for (int i = 0; i < 200 && !output.contains("connecting → up"); ++i) {
            process.waitForReadyRead(100);
            output += process.readAllStandardOutput();
        }
        QVERIFY2(output.contains("  edge                  connecting → up"), output.constData());
        QVERIFY(output.startsWith("-- "));
        QVERIFY(!output.contains('\x1b'));
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTerminalPrinter)
#include "tst_terminalprinter.moc"
