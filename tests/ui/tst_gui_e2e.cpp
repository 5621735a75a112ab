// The window end to end, as an operator uses it: a real kw::Engine with its event log in a temporary
// data directory, the real MainWindow on the offscreen platform, endpoints added through the real
// EndpointDialog (its widgets filled by objectName, OK pressed), against peers this test runs: a
// loopback TCP server it closes, and a real mosquitto.
#include "endpointdialog.h"
#include "endpointfilterproxymodel.h"
#include "endpointpanel.h"
#include "endpointtablemodel.h"
#include "endpointtimeline.h"
#include "engine.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "exportdialog.h"
#include "fleetreconnectchart.h"
#include "heartbeatclient.h"
#include "historyreader.h"
#include "importdialog.h"
#include "importpreviewmodel.h"
#include "mainwindow.h"
#include "mosquittobroker.h"
#include "pongserver.h"
#include "prerequisite.h"
#include "timelinedata.h"
#include "workspace.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QBarSet>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QGroupBox>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#if defined(KW_HAVE_QT_WEBSOCKETS)
#include <QWebSocket>
#include <QWebSocketServer>
#endif

#include <memory>

using namespace kw;
using namespace Qt::StringLiterals;

namespace {

// Connecting, reading back keepalive and the first RTT sample take well under a second on loopback;
// the margins are for a loaded 2-core CI machine.
constexpr int kTimeoutMs = 20000;

QString cell(const MainWindow &window, const QString &name, int column, int role = Qt::DisplayRole)
{
    const EndpointTableModel *model = window.endpointPanel()->model();
    const int row = model->rowOf(name);
    if (row < 0)
        return u"<no row>"_s;
    return model->index(row, column).data(role).toString();
}

template<typename T>
T *child(const QObject *parent, const char *name)
{
    auto *found = parent->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no %s", name);
    return found;
}

// Opens the dialog through the window's Add action, as Ctrl+N or the toolbar would.
EndpointDialog *openAddDialog(MainWindow &window)
{
    child<QAction>(&window, "actionAdd")->trigger();
    EndpointDialog *dialog = nullptr;
    for (int i = 0; i < 100 && !dialog; ++i) {
        dialog = window.findChild<EndpointDialog *>();
        if (!dialog)
            QTest::qWait(20);
    }
    return dialog;
}

void pressOk(EndpointDialog *dialog)
{
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(buttons);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    QVERIFY(ok);
    QVERIFY2(ok->isEnabled(), qPrintable(dialog->errors().join(u'\n')));
    QTest::mouseClick(ok, Qt::LeftButton);
}

// The event log rows (as the view shows them, filters applied) of one endpoint: "state cause" of
// each state change, or, for a failure message that says what happened instead, every row with its
// detail.
QStringList logLines(const MainWindow &window, const QString &endpoint, bool everyRowWithDetail)
{
    const QAbstractItemModel *model = window.eventLog()->table()->model();
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, EventLogModel::EndpointColumn).data(EventLogModel::EndpointRole).toString() !=
            endpoint)
            continue;
        if (!everyRowWithDetail &&
            model->index(row, 0).data(EventLogModel::KindRole).value<EventKind>() != EventKind::State)
            continue;
        QString line = model->index(row, EventLogModel::StateColumn).data().toString() + u' ' +
                       model->index(row, EventLogModel::CauseColumn).data().toString();
        if (everyRowWithDetail)
            line += u' ' + model->index(row, EventLogModel::DetailColumn).data().toString();
        lines << line;
    }
    return lines;
}

QStringList logStates(const MainWindow &window, const QString &endpoint)
{
    return logLines(window, endpoint, false);
}

int logRows(const MainWindow &window, const QString &endpoint, EventKind kind)
{
    const QAbstractItemModel *model = window.eventLog()->table()->model();
    int rows = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        rows += index.data(EventLogModel::EndpointRole).toString() == endpoint &&
                index.data(EventLogModel::KindRole).value<EventKind>() == kind;
    }
    return rows;
}

} // namespace

class TestGuiEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void tcpEndpointUpThenDown();
    void listenEndpointSeesItsPeer();
    void webSocketEndpointPings();
    void importCsvWithABadRow();
    void mqttEndpointUp();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiEndToEnd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<QSettings>(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
    const QString workspacePath = m_dir->filePath(u"workspace.json"_s);
    const WorkspaceResult empty = parseWorkspace(R"({"version": 1, "endpoints": []})", workspacePath);
    QVERIFY(empty.ok());
    m_engine = std::make_unique<Engine>(EngineOptions{m_dir->filePath(u"data"_s), workspacePath});
    QString error;
    QVERIFY2(m_engine->start(*empty.workspace, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(m_engine.get(), m_settings.get());
    m_window->setWorkspacePath(workspacePath);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiEndToEnd::cleanup()
{
    m_window.reset();
    if (m_engine)
        m_engine->shutdown();
    m_engine.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestGuiEndToEnd::tcpEndpointUpThenDown()
{
    test::PongServer server; // answers every line with PONG, as the services Keepwatch watches do
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    // A bystander that stays up all along, so that filters have something to leave out.
    test::PongServer bystanderServer;
    QVERIFY2(bystanderServer.listen(), qPrintable(bystanderServer.errorString()));
    const EndpointResult bystander = parseEndpoint(QJsonObject{{u"name"_s, u"bystander"_s},
                                                               {u"kind"_s, u"tcp"_s},
                                                               {u"host"_s, u"127.0.0.1"_s},
                                                               {u"port"_s, int(bystanderServer.port())}},
                                                   u"bystander"_s);
    QVERIFY2(bystander.endpoint, qPrintable(bystander.errors.join(u'\n')));
    QString error;
    QVERIFY2(m_engine->addEndpoint(*bystander.endpoint, &error), qPrintable(error));

    MainWindow &w = *m_window;
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"bystander"_s, 0, EndpointTableModel::StateNameRole), u"up"_s,
                              kTimeoutMs);
    EndpointDialog *dialog = openAddDialog(w);
    QVERIFY(dialog);
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointName"), u"edge"_s);
    auto *kind = child<QComboBox>(dialog, "endpointKind");
    QCOMPARE(kind->currentData().toString(), u"tcp"_s); // a new endpoint starts as tcp
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointHost"), u"127.0.0.1"_s);
    child<QSpinBox>(dialog, "endpointPort")->setValue(server.port());
    // Heartbeats every 200 ms, each one an RTT sample.
    child<QGroupBox>(dialog, "heartbeatGroup")->setChecked(true);
    child<QDoubleSpinBox>(dialog, "heartbeatInterval")->setValue(0.2);
    QTest::keyClicks(child<QLineEdit>(dialog, "heartbeatSend"), u"PING\\n"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, "heartbeatExpect"), u"PONG"_s);
    // A long first backoff: after the drop the endpoint waits a minute, so the row keeps the
    // drop's cause instead of the next attempt's.
    child<QSpinBox>(dialog, "reconnectMax")->setValue(120000);
    child<QSpinBox>(dialog, "reconnectInitial")->setValue(60000);
    pressOk(dialog);

    // The engine has it, the workspace file has it, the row goes Up and is selected.
    QTRY_VERIFY_WITH_TIMEOUT(m_engine->workspace().find(u"edge"_s), kTimeoutMs);
    QVERIFY(m_engine->workspace().find(u"edge"_s)->heartbeat);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"edge"_s, 0, EndpointTableModel::StateNameRole), u"up"_s, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->selectedName(), u"edge"_s, kTimeoutMs);
    QCOMPARE(cell(w, u"edge"_s, EndpointTableModel::TargetColumn), u"127.0.0.1:%1"_s.arg(server.port()));
    const WorkspaceResult saved = loadWorkspace(m_dir->filePath(u"workspace.json"_s));
    QVERIFY2(saved.ok(), qPrintable(saved.errors.join(u'\n')));
    QCOMPARE(saved.workspace->endpoints.size(), 2);
    QCOMPARE(saved.workspace->endpoints.last().name, u"edge"_s);

    // RTT samples arrive: in the row, in the log, and on the selected endpoint's timeline.
    QTRY_VERIFY_WITH_TIMEOUT(!cell(w, u"edge"_s, EndpointTableModel::RttColumn).isEmpty(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(logStates(w, u"edge"_s).contains(u"up "_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(logRows(w, u"edge"_s, EventKind::Rtt) >= 3, kTimeoutMs);
    EndpointTimeline *timeline = w.timeline();
    QTRY_COMPARE_WITH_TIMEOUT(timeline->endpoint(), u"edge"_s, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!timeline->seriesPoints(TimelineSeries::Heartbeat).isEmpty(), kTimeoutMs);
    QVERIFY(timeline->markers().isEmpty());

    // The peer closes: Down with the cause, in the row, in the log, as a marker on the timeline
    // that says why and when the next attempt is, and as a bar of the fleet chart.
    QTRY_VERIFY_WITH_TIMEOUT(!server.sockets().isEmpty(), kTimeoutMs);
    for (QTcpSocket *peer : server.sockets())
        peer->close();
    QTRY_VERIFY_WITH_TIMEOUT(cell(w, u"edge"_s, 0, EndpointTableModel::StateNameRole) != u"up"_s, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"edge"_s, EndpointTableModel::CauseColumn), u"peer-closed"_s,
                              kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(logStates(w, u"edge"_s).contains(u"down peer-closed"_s), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(timeline->markers().size(), 1, kTimeoutMs);
    const TimelineMarker drop = timeline->markers().first();
    QCOMPARE(drop.kind, TimelineMarker::Kind::Drop);
    QCOMPARE(drop.cause.code, CauseCode::PeerClosed);
    QTRY_VERIFY_WITH_TIMEOUT(timeline->markerToolTip(0).contains(u"next attempt"), kTimeoutMs);
    QVERIFY2(timeline->markerToolTip(0).contains(u"peer-closed"), qPrintable(timeline->markerToolTip(0)));
    QTRY_VERIFY_WITH_TIMEOUT(w.fleetChart()->causes().contains(u"peer-closed"_s), kTimeoutMs);

    // The log filtered by cause shows the drop and the wait after it, nothing else.
    auto *cause = child<QComboBox>(w.eventLog(), "eventLogCauseFilter");
    cause->setCurrentIndex(cause->findText(u"peer-closed"_s));
    QTRY_COMPARE_WITH_TIMEOUT(logStates(w, u"edge"_s),
                              (QStringList{u"down peer-closed"_s, u"waiting peer-closed"_s}), kTimeoutMs);
    QCOMPARE(logRows(w, u"edge"_s, EventKind::Rtt), 0);

    // File > Export events: the dialog writes what happened to edge as CSV, read from the log.
    child<QAction>(&w, "actionExport")->trigger();
    ExportDialog *exportDialog = nullptr;
    QTRY_VERIFY((exportDialog = w.findChild<ExportDialog *>()) != nullptr);
    const QString csvPath = m_dir->filePath(u"edge-events.csv"_s);
    exportDialog->setPath(csvPath);
    exportDialog->setFormat(ExportFormat::Csv);
    exportDialog->setSelectedEndpoints({u"edge"_s});
    QSignalSpy finished(exportDialog, &ExportDialog::exportFinished);
    exportDialog->startExport();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeoutMs);
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray exported = csv.readAll();
    QVERIFY2(exported.contains("peer-closed"), exported.constData());
    QVERIFY(exported.contains("edge"));
    QVERIFY(finished.first().at(1).toLongLong() >= 4); // connecting, up, down, waiting at least
    QVERIFY(!exported.contains("bystander"));

    // A click on the fleet chart's peer-closed bar: the list and the log show only what dropped then.
    QBarSet *bars = w.fleetChart()->barSet(u"peer-closed"_s);
    QVERIFY(bars);
    int bar = -1;
    for (int i = 0; i < bars->count(); ++i) {
        if (bars->at(i) > 0)
            bar = i;
    }
    QVERIFY(bar >= 0);
    QCOMPARE(bars->at(bar), 1.0);
    Q_EMIT bars->clicked(bar); // what Qt Charts emits for a mouse click on that bar
    QTRY_VERIFY_WITH_TIMEOUT(w.endpointPanel()->nameFilterChip()->isVisible(), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->proxy()->rowCount(), 1, kTimeoutMs);
    QCOMPARE(w.endpointPanel()->proxy()->index(0, 0).data(EndpointTableModel::NameRole).toString(),
             u"edge"_s);
    QTRY_VERIFY_WITH_TIMEOUT(logStates(w, u"edge"_s).contains(u"down peer-closed"_s), kTimeoutMs);
    QCOMPARE(logStates(w, u"bystander"_s), QStringList());
}

// A heartbeat server through the dialog: kind listen on a free local port; a peer that beats
// shows up as its own Up in the log, the row counts it, and its going quiet is a heartbeat-timeout.
void TestGuiEndToEnd::listenEndpointSeesItsPeer()
{
    quint16 port = 0;
    {
        QTcpServer probe; // a port that was free a moment ago
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    MainWindow &w = *m_window;
    EndpointDialog *dialog = openAddDialog(w);
    QVERIFY(dialog);
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointName"), u"hub"_s);
    auto *kind = child<QComboBox>(dialog, "endpointKind");
    kind->setCurrentIndex(kind->findData(u"listen"_s));
    QCOMPARE(child<QLineEdit>(dialog, "endpointHost")->text(), u"127.0.0.1"_s); // the bind address's default
    child<QSpinBox>(dialog, "endpointPort")->setValue(port);
    child<QGroupBox>(dialog, "heartbeatGroup")->setChecked(true);
    child<QDoubleSpinBox>(dialog, "heartbeatInterval")->setValue(0.2);
    QTest::keyClicks(child<QLineEdit>(dialog, "heartbeatExpect"), u"HB"_s);
    pressOk(dialog);

    QTRY_VERIFY_WITH_TIMEOUT(m_engine->workspace().find(u"hub"_s), kTimeoutMs);
    QCOMPARE(m_engine->workspace().find(u"hub"_s)->kind, EndpointKind::Listen);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"hub"_s, 0, EndpointTableModel::StateNameRole), u"up"_s, kTimeoutMs);
    QCOMPARE(cell(w, u"hub"_s, EndpointTableModel::CauseColumn), QString());

    test::HeartbeatClient peer(QHostAddress::LocalHost, port, "HB sensor-1\n");
    QTRY_VERIFY_WITH_TIMEOUT(logStates(w, u"hub/sensor-1"_s).contains(u"up "_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(cell(w, u"hub"_s, EndpointTableModel::StateColumn).contains(u"peers: 1"),
                             kTimeoutMs);
    peer.quiet();
    QTRY_VERIFY_WITH_TIMEOUT(logStates(w, u"hub/sensor-1"_s).contains(u"down heartbeat-timeout"_s),
                             kTimeoutMs);
    // The listener itself stays up: one quiet peer is not the server going down.
    QCOMPARE(cell(w, u"hub"_s, 0, EndpointTableModel::StateNameRole), u"up"_s);
}

// A WebSocket endpoint through the dialog against a Qt WebSockets server (which answers pings
// itself): Up after the upgrade, ping RTT samples on the timeline, and a drop when the server closes.
void TestGuiEndToEnd::webSocketEndpointPings()
{
#if defined(KW_HAVE_QT_WEBSOCKETS)
    QWebSocketServer server(u"e2e"_s, QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QList<QWebSocket *> peers;
    connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *socket = server.nextPendingConnection())
            peers << socket;
    });

    MainWindow &w = *m_window;
    EndpointDialog *dialog = openAddDialog(w);
    QVERIFY(dialog);
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointName"), u"feed"_s);
    auto *kind = child<QComboBox>(dialog, "endpointKind");
    kind->setCurrentIndex(kind->findData(u"websocket"_s));
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointUrl"),
                     u"ws://127.0.0.1:%1/live"_s.arg(server.serverPort()));
    child<QDoubleSpinBox>(dialog, "websocketPingInterval")->setValue(0.2);
    child<QSpinBox>(dialog, "reconnectMax")->setValue(120000);
    child<QSpinBox>(dialog, "reconnectInitial")->setValue(60000);
    pressOk(dialog);

    QTRY_VERIFY_WITH_TIMEOUT(m_engine->workspace().find(u"feed"_s), kTimeoutMs);
    QCOMPARE(m_engine->workspace().find(u"feed"_s)->kind, EndpointKind::WebSocket);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"feed"_s, 0, EndpointTableModel::StateNameRole), u"up"_s, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.endpointPanel()->selectedName(), u"feed"_s, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.timeline()->endpoint(), u"feed"_s, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!w.timeline()->seriesPoints(TimelineSeries::WsPing).isEmpty(), kTimeoutMs);

    QTRY_COMPARE_WITH_TIMEOUT(peers.size(), 1, kTimeoutMs);
    peers.first()->close(QWebSocketProtocol::CloseCodeGoingAway, u"restarting"_s);
    QTRY_VERIFY_WITH_TIMEOUT(cell(w, u"feed"_s, 0, EndpointTableModel::StateNameRole) != u"up"_s, kTimeoutMs);
    QTRY_VERIFY2_WITH_TIMEOUT(cell(w, u"feed"_s, EndpointTableModel::CauseColumn).startsWith(u"ws-close"),
                              qPrintable(logLines(w, u"feed"_s, true).join(u"; ")), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(w.timeline()->markers().size(), 1, kTimeoutMs);
#else
    QSKIP("built without Qt WebSockets");
#endif
}

// File > Import endpoints with a CSV file holding a good row and a bad one: the preview names the
// bad row's problem, Import adds only the good one, and its row goes Up against a peer.
void TestGuiEndToEnd::importCsvWithABadRow()
{
    test::PongServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    const QString csvPath = m_dir->filePath(u"endpoints.csv"_s);
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write(
        u"name,kind,host,port\nimported,tcp,127.0.0.1,%1\nbroken,tcp,127.0.0.1,abc\n"_s.arg(server.port())
            .toUtf8());
    csv.close();

    MainWindow &w = *m_window;
    child<QAction>(&w, "actionImportEndpoints")->trigger();
    QFileDialog *chooser = nullptr;
    QTRY_VERIFY((chooser = w.findChild<QFileDialog *>(u"importFileDialog"_s)) != nullptr);
    chooser->selectFile(csvPath);
    static_cast<QDialog *>(chooser)->accept(); // QFileDialog::accept(), as the Open button does

    ImportDialog *preview = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((preview = w.findChild<ImportDialog *>()) != nullptr, kTimeoutMs);
    QAbstractItemModelTester tester(preview->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(preview->model()->rowCount(), 2);
    const QStringList goodErrors =
        preview->model()->index(0, 0).data(ImportPreviewModel::ErrorsRole).toStringList();
    const QStringList badErrors =
        preview->model()->index(1, 0).data(ImportPreviewModel::ErrorsRole).toStringList();
    QVERIFY2(goodErrors.isEmpty(), qPrintable(goodErrors.join(u'\n')));
    QVERIFY2(badErrors.join(u' ').contains(u"port"), qPrintable(badErrors.join(u'\n')));
    QVERIFY(preview->importButton()->isEnabled());
    QTest::mouseClick(preview->importButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(m_engine->workspace().find(u"imported"_s), kTimeoutMs);
    QVERIFY(!m_engine->workspace().find(u"broken"_s));
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"imported"_s, 0, EndpointTableModel::StateNameRole), u"up"_s,
                              kTimeoutMs);
    QCOMPARE(cell(w, u"broken"_s, 0), u"<no row>"_s);
}

void TestGuiEndToEnd::mqttEndpointUp()
{
    if (test::MosquittoBroker::program().isEmpty())
        KW_SKIP_OR_FAIL_UNDER_CI("mosquitto is not installed");
    test::MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(&error), qPrintable(error));

    MainWindow &w = *m_window;
    EndpointDialog *dialog = openAddDialog(w);
    QVERIFY(dialog);
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointName"), u"broker"_s);
    auto *kind = child<QComboBox>(dialog, "endpointKind");
    kind->setCurrentIndex(kind->findData(u"mqtt"_s));
    QTest::keyClicks(child<QLineEdit>(dialog, "endpointHost"), u"127.0.0.1"_s);
    child<QSpinBox>(dialog, "endpointPort")->setValue(broker.port());
    child<QSpinBox>(dialog, "mqttKeepAlive")->setValue(1); // a PINGREQ every second: an RTT sample each
    pressOk(dialog);

    QTRY_VERIFY_WITH_TIMEOUT(m_engine->workspace().find(u"broker"_s), kTimeoutMs);
    QCOMPARE(m_engine->workspace().find(u"broker"_s)->kind, EndpointKind::Mqtt);
    QTRY_COMPARE_WITH_TIMEOUT(cell(w, u"broker"_s, 0, EndpointTableModel::StateNameRole), u"up"_s,
                              kTimeoutMs);
    QCOMPARE(cell(w, u"broker"_s, EndpointTableModel::KindColumn).toLower(), u"mqtt"_s);
    QTRY_COMPARE_WITH_TIMEOUT(w.timeline()->endpoint(), u"broker"_s, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!w.timeline()->seriesPoints(TimelineSeries::MqttPing).isEmpty(), kTimeoutMs);

    // The broker goes away: Down, with a cause, not a silent Up.
    broker.kill();
    QTRY_VERIFY_WITH_TIMEOUT(cell(w, u"broker"_s, 0, EndpointTableModel::StateNameRole) != u"up"_s,
                             kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!cell(w, u"broker"_s, EndpointTableModel::CauseColumn).isEmpty(), kTimeoutMs);
}

QTEST_MAIN(TestGuiEndToEnd)
#include "tst_gui_e2e.moc"
