// Tools > Find path idle timeout… against real loopback servers: one that holds idle connections (none
// found), one that closes those idle for longer than a limit (a timeout found, Apply), a refused port,
// Cancel and closing the dialog (the server sees every connection closed).

#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "engine.h"
#include "idleprobedialog.h"
#include "idlesearch.h"
#include "mainwindow.h"
#include "workspace.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace kw;
using namespace std::chrono_literals;

namespace {

// Holds every connection and reads what it is sent. With `closeAfterIdle` set, closes (FIN) a connection
// that was idle that long, like a proxy with an idle timeout.
class IdleServer final : public QTcpServer
{
public:
    explicit IdleServer(std::chrono::milliseconds closeAfterIdle = 0ms) : m_closeAfterIdle(closeAfterIdle)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                socket->setParent(this);
                ++m_open;
                ++m_accepted;
                connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                    --m_open;
                    socket->deleteLater();
                });
                if (m_closeAfterIdle == 0ms) {
                    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
                    continue;
                }
                auto *idle = new QTimer(socket);
                idle->setSingleShot(true);
                idle->setInterval(m_closeAfterIdle);
                connect(idle, &QTimer::timeout, socket, [socket] { socket->disconnectFromHost(); });
                connect(socket, &QTcpSocket::readyRead, socket, [socket, idle] {
                    socket->readAll();
                    idle->start();
                });
                idle->start();
            }
        });
    }

    int open() const { return m_open; }
    int accepted() const { return m_accepted; }

private:
    std::chrono::milliseconds m_closeAfterIdle;
    int m_open = 0;
    int m_accepted = 0;
};

Workspace workspaceWith(quint16 port)
{
    // Disabled: the endpoint only gives the dialog its host, port and keepalive; no session connects.
    const QByteArray json = QStringLiteral(R"({"version": 1, "endpoints": [
        {"name": "db", "kind": "tcp", "host": "127.0.0.1", "port": %1, "enabled": false}]})")
                                .arg(port)
                                .toUtf8();
    WorkspaceResult result = parseWorkspace(json, u"test.json"_qs);
    if (!result.ok())
        qFatal("%s", qPrintable(result.errors.join(u'\n')));
    return *result.workspace;
}

IdleSearchOptions quick(std::chrono::milliseconds max, std::chrono::milliseconds precision)
{
    IdleSearchOptions options;
    options.max = max;
    options.precision = precision;
    options.parallel = 4;
    return options;
}

bool anyLineContains(const QStringList &lines, const QString &text)
{
    for (const QString &line : lines) {
        if (line.contains(text))
            return true;
    }
    return false;
}

} // namespace

class TestIdleProbeDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void prefillsTheSelectedEndpoint();
    void noneFoundLeavesNothingToApply();
    void timeoutFoundAppliesTheKeepalive();
    void refusedPortNamesTheFix();
    void badOptionsGetTheCommandsMessage();
    void cancelClosesTheConnections();
    void closingTheDialogCancels();
    void openedFromTheWindowOnTheSelection();

private:
    void startEngine(quint16 port);
    std::unique_ptr<IdleProbeDialog> openDialog(const QString &endpoint);

    std::unique_ptr<Engine> m_engine;
};

void TestIdleProbeDialog::cleanup()
{
    if (m_engine)
        m_engine->shutdown();
    m_engine.reset();
}

void TestIdleProbeDialog::startEngine(quint16 port)
{
    m_engine = std::make_unique<Engine>(EngineOptions{});
    QString error;
    QVERIFY2(m_engine->start(workspaceWith(port), &error), qPrintable(error));
}

std::unique_ptr<IdleProbeDialog> TestIdleProbeDialog::openDialog(const QString &endpoint)
{
    auto dialog = std::make_unique<IdleProbeDialog>(m_engine.get(), endpoint);
    dialog->show();
    return dialog;
}

void TestIdleProbeDialog::prefillsTheSelectedEndpoint()
{
    IdleServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    startEngine(server.serverPort());
    const auto dialog = openDialog(u"db"_qs);
    QCOMPARE(dialog->findChild<QLineEdit *>(u"idleProbeHost"_qs)->text(), u"127.0.0.1"_qs);
    QCOMPARE(dialog->findChild<QSpinBox *>(u"idleProbePort"_qs)->value(), int(server.serverPort()));
    // The command's defaults.
    QCOMPARE(dialog->options().max, IdleSearchOptions{}.max);
    QCOMPARE(dialog->options().precision, IdleSearchOptions{}.precision);
    QCOMPARE(dialog->options().parallel, IdleSearchOptions{}.parallel);
    auto *apply = dialog->findChild<QPushButton *>(u"idleProbeApply"_qs);
    QVERIFY(apply->text().contains(u"db"_qs));
    QVERIFY(!apply->isEnabled());
    // Every control is named for tests and for screen readers.
    for (QWidget *widget : dialog->findChildren<QWidget *>()) {
        if (qobject_cast<QLineEdit *>(widget) || qobject_cast<QAbstractSpinBox *>(widget) ||
            qobject_cast<QPushButton *>(widget)) {
            if (widget->parent() && qobject_cast<QAbstractSpinBox *>(widget->parent()))
                continue; // the line edit inside a spin box
            QVERIFY2(!widget->objectName().isEmpty(), widget->metaObject()->className());
            QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
        }
    }
    // Without a selected endpoint there is nothing to apply to.
    const auto plain = openDialog(QString());
    QVERIFY(plain->findChild<QLineEdit *>(u"idleProbeHost"_qs)->text().isEmpty());
    QVERIFY(!plain->findChild<QPushButton *>(u"idleProbeApply"_qs)->text().contains(u"db"_qs));
}

void TestIdleProbeDialog::noneFoundLeavesNothingToApply()
{
    IdleServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    startEngine(server.serverPort());
    const auto dialog = openDialog(u"db"_qs);
    dialog->setOptions(quick(2s, 500ms));
    QSignalSpy ended(dialog.get(), &IdleProbeDialog::searchEnded);
    dialog->startSearch();
    QVERIFY(dialog->isRunning());
    QVERIFY(ended.wait(30'000));
    QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));

    const QStringList lines = dialog->progressLines();
    const QString target = u"127.0.0.1:%1"_qs.arg(server.serverPort());
    QVERIFY2(lines.value(0).startsWith(u"Probing how long the path to %1"_qs.arg(target)),
             qPrintable(lines.value(0)));
    QVERIFY2(anyLineContains(lines, u"probe 1: idle 1 s (connected)"_qs), qPrintable(lines.join(u'\n')));
    QVERIFY2(anyLineContains(lines, u"2 s idle: survived; bracket (2 s, ≥ 2 s]"_qs),
             qPrintable(lines.join(u'\n')));
    QVERIFY(!anyLineContains(lines, u"silent-drop"_qs));

    QVERIFY2(dialog->resultText().contains(u"No idle timeout up to 2 s"_qs),
             qPrintable(dialog->resultText()));
    QVERIFY(dialog->resultText().contains(u"Nothing to apply to db"_qs));
    // A keepalive derived from the test's own limit, not from anything measured, is not offered.
    QVERIFY(!dialog->canApply());
    QVERIFY(!dialog->applyRecommendation());
    QVERIFY(!m_engine->workspace().find(u"db"_qs)->keepalive.enabled.has_value());
}

void TestIdleProbeDialog::timeoutFoundAppliesTheKeepalive()
{
    IdleServer server(1200ms); // closes connections idle for 1.2 s
    QVERIFY(server.listen(QHostAddress::LocalHost));
    startEngine(server.serverPort());
    const auto dialog = openDialog(u"db"_qs);
    dialog->setOptions(quick(3s, 500ms));
    QSignalSpy ended(dialog.get(), &IdleProbeDialog::searchEnded);
    dialog->startSearch();
    QVERIFY(ended.wait(30'000));
    QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));

    const QStringList lines = dialog->progressLines();
    QVERIFY2(anyLineContains(lines, u"idle: closed; bracket"_qs), qPrintable(lines.join(u'\n')));
    QVERIFY2(anyLineContains(lines, u"idle: survived; bracket"_qs), qPrintable(lines.join(u'\n')));
    const QString result = dialog->resultText();
    QVERIFY2(result.contains(u"Idle timeout: about"_qs), qPrintable(result));
    QVERIFY(result.contains(u"closes idle connections with a FIN"_qs));
    QVERIFY(result.contains(
        u"Recommended TCP keepalive: first probe after 1 s idle, then every 1 s, 3 probes"_qs));
    QVERIFY(
        result.contains(u"Apply to db turns keepalive on with idle 1 s, interval 1 s, count 3 (now: off"_qs));

    QVERIFY(dialog->canApply());
    QSignalSpy changed(m_engine.get(), &Engine::workspaceChanged);
    QVERIFY2(dialog->applyRecommendation(), qPrintable(dialog->errorText()));
    QCOMPARE(changed.count(), 1);
    const net::TcpKeepaliveSettings &keepalive = m_engine->workspace().find(u"db"_qs)->keepalive;
    QCOMPARE(keepalive.enabled, std::optional<bool>(true));
    QCOMPARE(keepalive.idle, std::optional<std::chrono::seconds>(1s));
    QCOMPARE(keepalive.interval, std::optional<std::chrono::seconds>(1s));
    QCOMPARE(keepalive.count, std::optional<int>(3));
    QVERIFY(!dialog->canApply()); // applied once

    const QString png = QDir(QStringLiteral(KW_TEST_OUTPUT_DIR)).filePath(u"idleprobedialog.png"_qs);
    QCoreApplication::processEvents(); // the layout takes in the result's lines
    QVERIFY(dialog->grab().save(png));
    // Nothing is cut off on a 1024x640 screen: the dialog fits, and the result label got the height
    // its lines need.
    QVERIFY(dialog->width() <= 1024 && dialog->height() <= 640);
    auto *resultLabel = dialog->findChild<QLabel *>(u"idleProbeResult"_qs);
    QVERIFY(resultLabel->height() >= resultLabel->heightForWidth(resultLabel->width()));
}

void TestIdleProbeDialog::refusedPortNamesTheFix()
{
    quint16 port = 0;
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        port = taken.serverPort();
    } // closed: nothing listens there now
    const auto dialog = openDialog(QString());
    dialog->setTarget(u"127.0.0.1"_qs, port);
    dialog->setOptions(quick(2s, 500ms));
    QSignalSpy ended(dialog.get(), &IdleProbeDialog::searchEnded);
    dialog->startSearch();
    QVERIFY(ended.wait(30'000));
    QVERIFY2(dialog->errorText().contains(u"nothing listens on 127.0.0.1:%1"_qs.arg(port)),
             qPrintable(dialog->errorText()));
    QVERIFY(dialog->errorText().contains(u"check the port and that the service runs"_qs));
    QVERIFY(dialog->resultText().isEmpty());
    QVERIFY(!dialog->isRunning());

    // A name that cannot resolve (RFC 6761 reserves .invalid) is named with the fix.
    dialog->setTarget(u"no-such-host.invalid"_qs, port);
    dialog->startSearch();
    QVERIFY(ended.wait(60'000));
    QVERIFY2(dialog->errorText().startsWith(u"cannot resolve \"no-such-host.invalid\""_qs),
             qPrintable(dialog->errorText()));
    QVERIFY(dialog->errorText().contains(u"check the name, or give an address"_qs));
}

void TestIdleProbeDialog::badOptionsGetTheCommandsMessage()
{
    const auto dialog = openDialog(QString());
    dialog->setTarget(u"127.0.0.1"_qs, 9);
    dialog->setOptions(quick(2s, 5s)); // precision wider than max
    dialog->startSearch();
    QVERIFY(!dialog->isRunning());
    QCOMPARE(dialog->errorText(), validateIdleSearchOptions(dialog->options()).join(u"; "_qs));
    QVERIFY(dialog->errorText().contains(u"--precision 5 s is out of range"_qs));

    dialog->setTarget(QString(), 9);
    dialog->setOptions(IdleSearchOptions{});
    dialog->startSearch();
    QVERIFY(!dialog->isRunning());
    QVERIFY2(dialog->errorText().contains(u"give the host and the port"_qs), qPrintable(dialog->errorText()));
}

void TestIdleProbeDialog::cancelClosesTheConnections()
{
    IdleServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    const auto dialog = openDialog(QString());
    dialog->setTarget(u"127.0.0.1"_qs, server.serverPort());
    dialog->setOptions(quick(600s, 1s)); // would run for many minutes
    QSignalSpy ended(dialog.get(), &IdleProbeDialog::searchEnded);
    dialog->startSearch();
    QTRY_VERIFY_WITH_TIMEOUT(server.open() == 4, 10'000);
    QTRY_VERIFY(anyLineContains(dialog->progressLines(), u"probe 4: idle"_qs));
    dialog->findChild<QPushButton *>(u"idleProbeCancel"_qs)->click();
    QVERIFY(ended.wait(10'000));
    QVERIFY(!dialog->isRunning());
    QVERIFY(dialog->resultText().isEmpty());
    QVERIFY(dialog->findChild<QLabel *>(u"idleProbeStatus"_qs)->text().startsWith(u"Cancelled"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(server.open(), 0, 10'000);
    // Start works again after a cancel.
    QVERIFY(dialog->findChild<QPushButton *>(u"idleProbeStart"_qs)->isEnabled());
}

void TestIdleProbeDialog::closingTheDialogCancels()
{
    IdleServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    auto dialog = openDialog(QString());
    dialog->setTarget(u"127.0.0.1"_qs, server.serverPort());
    dialog->setOptions(quick(600s, 1s));
    dialog->startSearch();
    QTRY_VERIFY_WITH_TIMEOUT(server.open() == 4, 10'000);
    dialog->findChild<QPushButton *>(u"idleProbeClose"_qs)->click();
    QVERIFY(!dialog->isVisible());
    dialog.reset(); // waits for the job's thread
    QTRY_COMPARE_WITH_TIMEOUT(server.open(), 0, 10'000);
    const int accepted = server.accepted();
    QTest::qWait(300);
    QCOMPARE(server.accepted(), accepted); // no probe starts after the close
}

void TestIdleProbeDialog::openedFromTheWindowOnTheSelection()
{
    IdleServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    startEngine(server.serverPort());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
    MainWindow window(m_engine.get(), &settings);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.endpointPanel()->model()->rowCount(), 1, 10'000);
    window.endpointPanel()->selectName(u"db"_qs);
    QCOMPARE(window.endpointPanel()->selectedName(), u"db"_qs);
    auto *action = window.findChild<QAction *>(u"actionFindIdleTimeout"_qs);
    QVERIFY(action);
    QVERIFY(action->text().contains(u"idle"_qs));
    action->trigger();
    auto *dialog = window.findChild<IdleProbeDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->findChild<QLineEdit *>(u"idleProbeHost"_qs)->text(), u"127.0.0.1"_qs);
    QCOMPARE(dialog->findChild<QSpinBox *>(u"idleProbePort"_qs)->value(), int(server.serverPort()));
    QCOMPARE(dialog->findChild<QPushButton *>(u"idleProbeApply"_qs)->text(), u"&Apply to db"_qs);
    dialog->close();
}

QTEST_MAIN(TestIdleProbeDialog)
#include "tst_idleprobedialog.moc"
