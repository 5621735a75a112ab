#include "endpointdetails.h"
#include "endpointdialog.h"
#include "endpointfilterproxymodel.h"
#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "endpointtimeline.h"
#include "engine.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "exportdialog.h"
#include "mainwindow.h"
#include "workspace.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace kw;

namespace {
Workspace workspaceWith(const QString &name, quint16 port)
{
    const QByteArray json = QStringLiteral(R"({"version": 1, "endpoints": [
        {"name": "%1", "kind": "tcp", "host": "127.0.0.1", "port": %2,
         "keepalive": {"enabled": true, "idle_s": 5, "interval_s": 1, "count": 3}}]})")
                                .arg(name)
                                .arg(port)
                                .toUtf8();
    WorkspaceResult result = parseWorkspace(json, u"test.json"_qs);
    if (!result.ok())
        qFatal("%s", qPrintable(result.errors.join(u'\n')));
    return *result.workspace;
}

QString cell(const MainWindow &window, const QString &name, int column, int role = Qt::DisplayRole)
{
    const EndpointTableModel *model = window.endpointPanel()->model();
    const int row = model->rowOf(name);
    if (row < 0)
        return u"<no row>"_qs;
    return model->index(row, column).data(role).toString();
}

QAction *action(const MainWindow &window, const char *name)
{
    auto *a = window.findChild<QAction *>(QString::fromLatin1(name));
    if (!a)
        qFatal("no action %s", name);
    return a;
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void rowTurnsUpStopsAndStarts();
    void engineAddShowsRowAndRemoveAsksFirst();
    void contextMenuMutesAlertsThroughTheEngine();
    void editThroughTheDialog();
    void addThroughTheDialog();
    void doubleClickEdits();
    void saveFailureIsShown();
    void exportsTheVisibleLog_data();
    void exportsTheVisibleLog();
    void savesAndRestoresLayout();
    void detailsShowTheSelectedEndpointsAskedKeepalive();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<QTcpServer> m_server;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"settings.ini"_qs), QSettings::IniFormat);
    m_server = std::make_unique<QTcpServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost));
    // Accept and hold connections: the peer stays alive and silent.
    connect(m_server.get(), &QTcpServer::newConnection, m_server.get(), [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection())
            socket->setParent(m_server.get());
    });

    m_engine = std::make_unique<Engine>(EngineOptions{});
    QString error;
    QVERIFY2(m_engine->start(workspaceWith(u"local"_qs, m_server->serverPort()), &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(m_engine.get(), m_settings.get());
    m_window->show();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    if (m_engine)
        m_engine->shutdown();
    m_engine.reset();
    m_server.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestMainWindow::rowTurnsUpStopsAndStarts()
{
    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);
    QCOMPARE(w.endpointPanel()->model()->rowCount(), 1);
    QVERIFY(w.findChild<QLabel *>(u"statusCounts"_qs)->accessibleDescription().startsWith(u"1 up"));

    // The first endpoint is selected when it first appears, so its details show at once.
    QCOMPARE(w.endpointPanel()->selectedName(), u"local"_qs);
    // Nothing selected: the endpoint commands are off.
    w.endpointPanel()->table()->clearSelection();
    QTRY_VERIFY(!action(w, "actionStop")->isEnabled());
    w.endpointPanel()->selectName(u"local"_qs);
    QCOMPARE(w.endpointPanel()->selectedName(), u"local"_qs);
    QCOMPARE(w.details()->fieldText(EndpointDetails::Field::State), u"Up"_qs);
    QCOMPARE(w.timeline()->endpoint(), u"local"_qs);
    QVERIFY(action(w, "actionStop")->isEnabled());
    QVERIFY(!action(w, "actionStart")->isEnabled());

    action(w, "actionStop")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"disabled"_qs,
                              10000);
    QCOMPARE(cell(w, u"local"_qs, EndpointTableModel::CauseColumn), u"stopped"_qs);
    // The selection survived every snapshot on the way.
    QCOMPARE(w.endpointPanel()->selectedName(), u"local"_qs);
    QTRY_VERIFY(action(w, "actionStart")->isEnabled());
    QTRY_COMPARE(w.details()->fieldText(EndpointDetails::Field::Cause), u"stopped"_qs);

    action(w, "actionStart")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);

    // The state events reached the log pane.
    QTRY_VERIFY(w.eventLog()->visibleCount() >= 3);
}

void TestMainWindow::contextMenuMutesAlertsThroughTheEngine()
{
    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);
    w.endpointPanel()->selectName(u"local"_qs);
    QVERIFY(w.endpointPanel()->table()->actions().contains(action(w, "actionMuteAlerts1h")));
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    action(w, "actionMuteAlerts1h")->trigger();
    const std::optional<WallTime> until = m_engine->workspace().find(u"local"_qs)->alert.muteUntil;
    QVERIFY(until.has_value());
    const qint64 untilMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(until->time_since_epoch()).count();
    QVERIFY(untilMs >= before + 3600 * 1000 && untilMs <= QDateTime::currentMSecsSinceEpoch() + 3600 * 1000);
    QVERIFY(w.statusBar()->currentMessage().contains(u"muted"));
    // Muting is no reason to reconnect: the connection the server accepted stays the only one.
    QTest::qWait(200);
    QCOMPARE(m_server->findChildren<QTcpSocket *>().size(), 1);
    QCOMPARE(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs);

    action(w, "actionUnmuteAlerts")->trigger();
    QVERIFY(!m_engine->workspace().find(u"local"_qs)->alert.muteUntil);
}

void TestMainWindow::engineAddShowsRowAndRemoveAsksFirst()
{
    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->model()->rowCount(), 1, 10000);

    EndpointConfig second = m_engine->workspace().endpoints.first();
    second.name = u"second"_qs;
    second.raw = {};
    QString error;
    QVERIFY2(m_engine->addEndpoint(second, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->model()->rowCount(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"second"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);

    // The filter box narrows the table; the source model keeps every row.
    QTest::keyClicks(w.endpointPanel()->filterEdit(), u"sec"_qs);
    QCOMPARE(w.endpointPanel()->proxy()->rowCount(), 1);
    QCOMPARE(w.endpointPanel()->proxy()->index(0, 0).data().toString(), u"second"_qs);
    w.endpointPanel()->filterEdit()->clear();
    QCOMPARE(w.endpointPanel()->proxy()->rowCount(), 2);

    w.endpointPanel()->selectName(u"second"_qs);
    // Right-click offers the same commands as the toolbar.
    QVERIFY(w.endpointPanel()->table()->actions().contains(action(w, "actionRemove")));
    action(w, "actionRemove")->trigger();
    QMessageBox *confirm = nullptr;
    QTRY_VERIFY((confirm = w.findChild<QMessageBox *>(u"removeConfirmation"_qs)) != nullptr);
    QVERIFY(confirm->text().contains(u"second"));
    // Cancel keeps it.
    confirm->button(QMessageBox::Cancel)->click();
    QTest::qWait(0);
    QVERIFY(m_engine->workspace().find(u"second"_qs));

    action(w, "actionRemove")->trigger();
    QTRY_VERIFY((confirm = w.findChild<QMessageBox *>(u"removeConfirmation"_qs)) != nullptr);
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->model()->rowCount(), 1, 10000);
    QVERIFY(!m_engine->workspace().find(u"second"_qs));
    // The selection moves to the remaining row and the panels follow it.
    QCOMPARE(w.endpointPanel()->selectedName(), u"local"_qs);
    QCOMPARE(w.timeline()->endpoint(), u"local"_qs);
    QCOMPARE(w.details()->fieldText(EndpointDetails::Field::Target),
             cell(w, u"local"_qs, EndpointTableModel::TargetColumn));
}

void TestMainWindow::editThroughTheDialog()
{
    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);
    w.endpointPanel()->selectName(u"local"_qs);
    action(w, "actionEdit")->trigger();
    EndpointDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<EndpointDialog *>()) != nullptr);
    QVERIFY(dialog->isVisible());

    auto *name = dialog->findChild<QLineEdit *>(u"endpointName"_qs);
    name->selectAll();
    QTest::keyClicks(name, u"renamed"_qs);
    dialog->findChild<QSpinBox *>(u"keepaliveIdle"_qs)->setValue(9);
    QVERIFY(dialog->isValid());
    dialog->accept();

    QTRY_VERIFY(m_engine->workspace().find(u"renamed"_qs));
    QCOMPARE(m_engine->workspace().find(u"renamed"_qs)->keepalive.idle,
             std::optional(std::chrono::seconds(9)));
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"renamed"_qs, EndpointTableModel::NameColumn), u"renamed"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->model()->rowCount(), 1, 10000);
    // The renamed row is a new row to the table; the window selects it again.
    QTRY_COMPARE(w.endpointPanel()->selectedName(), u"renamed"_qs);
}

void TestMainWindow::addThroughTheDialog()
{
    MainWindow &w = *m_window;
    action(w, "actionAdd")->trigger();
    EndpointDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<EndpointDialog *>()) != nullptr);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"endpointName"_qs), u"local"_qs);
    QVERIFY(dialog->errors().join(u' ').contains(u"already called"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"endpointName"_qs), u"-2"_qs);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(u"endpointHost"_qs), u"127.0.0.1"_qs);
    dialog->findChild<QSpinBox *>(u"endpointPort"_qs)->setValue(m_server->serverPort());
    QVERIFY2(dialog->isValid(), qPrintable(dialog->errors().join(u'\n')));
    dialog->accept();

    QTRY_VERIFY(m_engine->workspace().find(u"local-2"_qs));
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->selectedName(), u"local-2"_qs, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local-2"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);
}

void TestMainWindow::doubleClickEdits()
{
    MainWindow &w = *m_window;
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->model()->rowCount(), 1, 10000);
    QTreeView *table = w.endpointPanel()->table();
    const QRect cellRect = table->visualRect(table->model()->index(0, EndpointTableModel::TargetColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cellRect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cellRect.center());
    EndpointDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<EndpointDialog *>()) != nullptr);
    QCOMPARE(dialog->findChild<QLineEdit *>(u"endpointName"_qs)->text(), u"local"_qs);
    // The other names are taken, this one is its own: the untouched form is valid.
    QVERIFY2(dialog->isValid(), qPrintable(dialog->errors().join(u'\n')));
    dialog->reject();
}

void TestMainWindow::saveFailureIsShown()
{
    m_window.reset();
    m_engine->shutdown();
    const QString path = m_dir->filePath(u"no-such-dir/workspace.json"_qs);
    m_engine = std::make_unique<Engine>(EngineOptions{{}, path});
    QString error;
    QVERIFY(m_engine->start(workspaceWith(u"local"_qs, m_server->serverPort()), &error));
    m_window = std::make_unique<MainWindow>(m_engine.get(), m_settings.get());
    QVERIFY(m_window->findChild<QLabel *>(u"statusWorkspace"_qs)->text().contains(path));

    EndpointConfig other = m_engine->workspace().endpoints.first();
    other.name = u"other"_qs;
    // The engine and the store also log the failure; the window's box is what is checked here.
    QLoggingCategory::setFilterRules(u"keepwatch.*.warning=false"_qs);
    const auto restoreLogging = qScopeGuard([] { QLoggingCategory::setFilterRules(QString()); });
    QVERIFY(m_engine->addEndpoint(other, &error)); // applied in memory, the save fails
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(u"errorMessage"_qs)) != nullptr);
    QVERIFY2(box->text().contains(u"no-such-dir"), qPrintable(box->text()));
}

void TestMainWindow::exportsTheVisibleLog_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("csv") << int(ExportFormat::Csv);
    QTest::newRow("jsonl") << int(ExportFormat::Jsonl);
}

// File > Export events… opens the export dialog over the engine's event log; the window's log pane
// reads the same log.
void TestMainWindow::exportsTheVisibleLog()
{
    QFETCH(int, format);
    m_window.reset();
    m_engine->shutdown();
    m_engine = std::make_unique<Engine>(EngineOptions{m_dir->filePath(u"data"_qs), {}});
    QString error;
    QVERIFY2(m_engine->start(workspaceWith(u"local"_qs, m_server->serverPort()), &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(m_engine.get(), m_settings.get());
    m_window->show();
    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"local"_qs, 0, EndpointTableModel::StateNameRole), u"up"_qs, 10000);
    QVERIFY(w.eventLog()->model()->hasLog());
    QTRY_VERIFY(w.eventLog()->visibleCount() >= 2);
    // The engine wrote its events before publishing them: a new count finds them in the log.
    w.eventLog()->model()->refresh();
    QTRY_VERIFY(!w.eventLog()->model()->isCounting() && w.eventLog()->model()->logRowCount() >= 2);

    ExportDialog *dialog = w.exportEvents();
    QVERIFY(dialog && dialog->isVisible());
    const QString path =
        m_dir->filePath(format == int(ExportFormat::Csv) ? u"events.csv"_qs : u"events.jsonl"_qs);
    dialog->setPath(path);
    dialog->setFormat(ExportFormat(format));
    dialog->setRange(ExportDialog::Range::Everything);
    QSignalSpy finished(dialog, &ExportDialog::exportFinished);
    dialog->startExport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QCOMPARE(dialog->progressBar()->value(), dialog->progressBar()->maximum());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const bool csv = format == int(ExportFormat::Csv);
    QVERIFY(bytes.contains("\"local\"") || bytes.contains(",local,"));
    QVERIFY(bytes.startsWith(csv ? "ts,endpoint,kind" : "{\"ts\":"));

    dialog->setPath(m_dir->filePath(u"missing/dir/x.csv"_qs));
    dialog->startExport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QVERIFY(!finished.last().at(0).toBool());
    QVERIFY2(finished.last().at(2).toString().contains(u"x.csv"),
             qPrintable(finished.last().at(2).toString()));
    dialog->close();
}

void TestMainWindow::savesAndRestoresLayout()
{
    auto *vertical = m_window->findChild<QSplitter *>(u"verticalSplitter"_qs);
    QVERIFY(vertical);
    m_window->resize(1000, 700);
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    vertical->setSizes({500, 0, 150}); // endpoints, devices (hidden: no MQTT endpoint selected), events
    const QList<int> sizes = vertical->sizes();
    m_window->close();
    QVERIFY(m_settings->contains(u"mainWindow/geometry"_qs));
    QVERIFY(m_settings->contains(u"mainWindow/leftPanes"_qs));
    QCOMPARE(m_settings->value(u"mainWindow/eventsShowRtt"_qs).toBool(), true);
    m_settings->setValue(u"mainWindow/eventsShowRtt"_qs, false);

    MainWindow again(m_engine.get(), m_settings.get());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.findChild<QSplitter *>(u"verticalSplitter"_qs)->sizes(), sizes);
    QVERIFY(!again.eventLog()->showRtt());
}

void TestMainWindow::detailsShowTheSelectedEndpointsAskedKeepalive()
{
    MainWindow &w = *m_window;
    EndpointConfig second = *m_engine->workspace().find(u"local"_qs);
    second.name = u"second"_qs;
    second.keepalive.idle = std::chrono::seconds(7);
    QString error;
    QVERIFY2(m_engine->addEndpoint(second, &error), qPrintable(error));
    QTRY_VERIFY(w.endpointPanel()->model()->rowOf(u"second"_qs) >= 0);
    w.endpointPanel()->selectName(u"second"_qs);
    QTRY_VERIFY(w.details()->fieldText(EndpointDetails::Field::KeepaliveAsked).contains(u"idle 7 s"_qs));
    const QString seven = w.details()->fieldText(EndpointDetails::Field::KeepaliveAsked);

    // The endpoint before it goes and another comes after it, so its configuration moves up a place
    // and the other takes the place it had; then its keepalive is edited.
    QVERIFY2(m_engine->removeEndpoint(u"local"_qs, &error), qPrintable(error));
    EndpointConfig another = second;
    another.name = u"another"_qs;
    another.keepalive.idle = std::chrono::seconds(13);
    QVERIFY2(m_engine->addEndpoint(another, &error), qPrintable(error));
    QTRY_VERIFY(w.endpointPanel()->model()->rowOf(u"another"_qs) >= 0);
    QCOMPARE(w.details()->fieldText(EndpointDetails::Field::KeepaliveAsked), seven);
    second.keepalive.idle = std::chrono::seconds(11);
    QVERIFY2(m_engine->updateEndpoint(u"second"_qs, second, &error), qPrintable(error));
    QTRY_VERIFY(w.details()->fieldText(EndpointDetails::Field::KeepaliveAsked).contains(u"idle 11 s"_qs));
    QVERIFY(w.details()->fieldText(EndpointDetails::Field::KeepaliveAsked) != seven);
    QCOMPARE(w.endpointPanel()->selectedName(), u"second"_qs);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
