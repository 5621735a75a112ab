// CommandNotifier with real processes: the alert in the environment, arguments passed without a
// shell, a timeout that kills, and failures that say what happened.
#include "commandnotifier.h"
#include "notifytests.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace kw {
namespace {

NotifierConfig commandConfig(const QString &program, const QStringList &args)
{
    NotifierConfig c;
    c.name = u"pager"_s;
    c.type = NotifierType::Command;
    c.program = program;
    c.args = args;
    return c;
}

QString shell()
{
    return QStandardPaths::findExecutable(u"sh"_s);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCommandNotifier final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!shell().isEmpty(), "sh(1) is needed to look at what the program received");
    }

    void passesTheAlertInItsEnvironment()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"env.txt"_s);
        // The test's program is a shell script; Keepwatch itself starts it without one.
        CommandNotifier notifier(commandConfig(shell(), {u"-c"_s, u"env > \"$0\""_s, out}), {});
        QSignalSpy finished(&notifier, &CommandNotifier::finished);
        notifier.notify(test::sampleNotice(u"db-primary"_s, AlertKind::Up, {u"prod"_s, u"db"_s}));
        QTRY_COMPARE(finished.size(), 1);
        const QList<QByteArray> lines = readFile(out).split('\n');
        const auto has = [&lines](const QByteArray &line) { return lines.contains(line); };
        QVERIFY(has("KEEPWATCH_NOTIFIER=pager"));
        QVERIFY(has("KEEPWATCH_ALERT=up"));
        QVERIFY(has("KEEPWATCH_ENDPOINT=db-primary"));
        QVERIFY(has("KEEPWATCH_TARGET=db.internal:5432"));
        QVERIFY(has("KEEPWATCH_STATE=up"));
        QVERIFY(has("KEEPWATCH_CAUSE=keepalive-timeout"));
        QVERIFY(has("KEEPWATCH_DETAIL=no ACK to 5 probes"));
        QVERIFY(has("KEEPWATCH_TAGS=prod,db"));
        QVERIFY(has("KEEPWATCH_TIME=2026-03-04T10:42:07.000Z"));
        QVERIFY(has("KEEPWATCH_DOWN_SINCE=2026-03-04T10:42:04.000Z"));
        QVERIFY(has("KEEPWATCH_DOWN_FOR_MS=125000"));
        QVERIFY(has("KEEPWATCH_BOUND_MS=45000"));
        QVERIFY(has("KEEPWATCH_TITLE=db-primary is back up"));
    }

    void usesNoShell()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"arg.txt"_s);
        const QString hostile = u"a b; touch pwned $(id) `id` \"q\" *"_s;
        CommandNotifier notifier(
            commandConfig(shell(), {u"-c"_s, u"printf %s \"$1\" > \"$0\""_s, out, hostile}), {});
        QSignalSpy finished(&notifier, &CommandNotifier::finished);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(QString::fromUtf8(readFile(out)), hostile); // one argument, exactly as configured
        QVERIFY(!QFile::exists(dir.filePath(u"pwned"_s)));
    }

    void runsOneAtATimeInOrder()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"order.txt"_s);
        CommandNotifier notifier(
            commandConfig(shell(), {u"-c"_s, u"echo \"$KEEPWATCH_ENDPOINT\" >> \"$0\""_s, out}), {});
        QSignalSpy finished(&notifier, &CommandNotifier::finished);
        for (const QString &name : {u"one"_s, u"two"_s, u"three"_s})
            notifier.notify(test::sampleNotice(name));
        QCOMPARE(notifier.pending(), 3);
        QTRY_COMPARE(finished.size(), 3);
        QCOMPARE(readFile(out), QByteArray("one\ntwo\nthree\n"));
    }

    void reportsAFailedExit()
    {
        CommandNotifier notifier(commandConfig(shell(), {u"-c"_s, u"echo 'no route to pager' >&2; exit 3"_s}),
                                 {});
        QSignalSpy failed(&notifier, &CommandNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(failed.size(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(u"notifier \"pager\" (command): "_s) &&
                     message.contains(u"exited with code 3: no route to pager"_s),
                 qPrintable(message));
    }

    void killsARunPastItsTimeout()
    {
        NotifierConfig config = commandConfig(shell(), {u"-c"_s, u"sleep 60"_s});
        config.timeout = 200ms;
        CommandNotifier notifier(config, {});
        QSignalSpy failed(&notifier, &CommandNotifier::failed);
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QVERIFY2(failed.first().first().toString().contains(u"did not finish within 0.2 s and was killed"_s),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(notifier.pending(), 0);
    }

    void reportsAProgramThatDoesNotStart()
    {
        CommandNotifier notifier(commandConfig(u"/nonexistent/keepwatch-pager"_s, {}), {});
        QSignalSpy failed(&notifier, &CommandNotifier::failed);
        notifier.notify(test::sampleNotice());
        notifier.notify(test::sampleNotice());
        QTRY_COMPARE(failed.size(), 2); // the second is tried too, not stuck behind the first
        QVERIFY2(
            failed.first().first().toString().contains(u"could not start /nonexistent/keepwatch-pager"_s),
            qPrintable(failed.first().first().toString()));
    }

    void summaryEnvironment()
    {
        AlertSummary summary;
        summary.add(test::sampleNotice(u"a"_s));
        summary.add(test::sampleNotice(u"b"_s, AlertKind::Up));
        const QProcessEnvironment env = CommandNotifier::commandEnvironment({}, u"pager"_s, summary);
        QCOMPARE(env.value(u"KEEPWATCH_ALERT"_s), u"summary"_s);
        QCOMPARE(env.value(u"KEEPWATCH_SUMMARY_COUNT"_s), u"2"_s);
        QCOMPARE(env.value(u"KEEPWATCH_ENDPOINTS"_s), u"a,b"_s);
    }
};

} // namespace kw

int runCommandNotifierTests(int argc, char **argv)
{
    kw::TestCommandNotifier test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_commandnotifier.moc"
