#include "endpointfilterproxymodel.h"
#include "endpointtablemodel.h"
#include "snapshotbuilder.h"
#include "statestyle.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QIcon>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <functional>
#include <random>

using namespace kw;
using namespace kw::test;

using Mutation = std::function<void(EndpointSnapshot &)>;
Q_DECLARE_METATYPE(Mutation)
using ProxySetup = std::function<void(kw::EndpointFilterProxyModel &)>;
Q_DECLARE_METATYPE(ProxySetup)

class TestEndpointTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void mqttRowSummarisesDevices();
    void sequenceOfSnapshots();
    void changedCellsOnly_data();
    void changedCellsOnly();
    void selectionSurvivesUpdates();
    void stateColours_data();
    void stateColours();
    void darkPaletteColours();
    void relativeSinceAndTooltips();
    void filterByNameTargetState_data();
    void filterByNameTargetState();
    void sortsStateByUrgency();
    void emptySnapshotRemovesEverything();
    void adjacentChangesShareOneSignal();
    void randomSequencesKeepOrderAndIndexes();
    void kindAndTagsColumns();
    void uptimeBeforeTheFirstVerdict();
    void eventsDrawTheStrip();
    void eventsBeforeTheFirstSnapshotAreKept();
    void filters_data();
    void filters();
    void unchangedRevisionIsNotCompared();
    void sortKeysFollowTheirCells();
    void stripSortCountsDropsInTheWindow();
};

void TestEndpointTableModel::initTestCase()
{
    QLocale::setDefault(QLocale::c());
}

void TestEndpointTableModel::sequenceOfSnapshots()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);

    // add
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs), endpoint(u"c"_qs)}, 1));
    QCOMPARE(namesOf(model), QStringList({u"a"_qs, u"b"_qs, u"c"_qs}));
    QCOMPARE(inserted.size(), 3);

    // change + add in the middle
    EndpointSnapshot b = endpoint(u"b"_qs, EndpointState::Down);
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"x"_qs), b, endpoint(u"c"_qs)}, 2));
    QCOMPARE(namesOf(model), QStringList({u"a"_qs, u"x"_qs, u"b"_qs, u"c"_qs}));
    QCOMPARE(inserted.size(), 4);
    QCOMPARE(inserted.last().at(1).toInt(), 1);
    QCOMPARE(
        model.index(2, EndpointTableModel::StateColumn).data(EndpointTableModel::StateNameRole).toString(),
        u"down"_qs);

    // remove two non-adjacent rows
    model.applySnapshot(snapshotOf({endpoint(u"x"_qs), b}, 3));
    QCOMPARE(namesOf(model), QStringList({u"x"_qs, u"b"_qs}));
    QCOMPARE(removed.size(), 2);

    // reorder: rows move, nothing is removed or reset
    model.applySnapshot(snapshotOf({b, endpoint(u"x"_qs)}, 4));
    QCOMPARE(namesOf(model), QStringList({u"b"_qs, u"x"_qs}));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(removed.size(), 2);

    // reorder + add + remove at once
    model.applySnapshot(snapshotOf({endpoint(u"y"_qs), endpoint(u"x"_qs), endpoint(u"z"_qs)}, 5));
    QCOMPARE(namesOf(model), QStringList({u"y"_qs, u"x"_qs, u"z"_qs}));
    QCOMPARE(resets.size(), 0);
    QCOMPARE(model.snapshot()->generation, quint64(5));
    QCOMPARE(proxy.rowCount(), 3);
}

void TestEndpointTableModel::changedCellsOnly_data()
{
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<int>("firstColumn");
    QTest::addColumn<int>("lastColumn");

    QTest::newRow("rtt") << Mutation([](EndpointSnapshot &e) { e.lastRttMs = 0.5; })
                         << int(EndpointTableModel::RttColumn) << int(EndpointTableModel::RttColumn);
    QTest::newRow("reconnects") << Mutation([](EndpointSnapshot &e) { e.stats.reconnects = 4; })
                                << int(EndpointTableModel::ReconnectsColumn)
                                << int(EndpointTableModel::ReconnectsColumn);
    QTest::newRow("uptime") << Mutation([](EndpointSnapshot &e) { e.stats.uptime1hPercent = 97.5; })
                            << int(EndpointTableModel::UptimeColumn) << int(EndpointTableModel::UptimeColumn);
    QTest::newRow("detection bound") << Mutation([](EndpointSnapshot &e) { e.detectionBound = u"1 s"_qs; })
                                     << int(EndpointTableModel::KeepaliveColumn)
                                     << int(EndpointTableModel::KeepaliveColumn);
    QTest::newRow("cause and since") << Mutation([](EndpointSnapshot &e) {
        e.cause = u"reset"_qs;
        e.since = kNow;
    }) << int(EndpointTableModel::CauseColumn)
                                     << int(EndpointTableModel::SinceColumn);
    QTest::newRow("state repaints the row")
        << Mutation([](EndpointSnapshot &e) { e.state = EndpointState::Suspect; }) << 0
        << int(EndpointTableModel::ColumnCount) - 1;
}

void TestEndpointTableModel::changedCellsOnly()
{
    QFETCH(Mutation, mutate);
    QFETCH(int, firstColumn);
    QFETCH(int, lastColumn);

    EndpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QList<EndpointSnapshot> before{endpoint(u"a"_qs), endpoint(u"b"_qs), endpoint(u"c"_qs)};
    model.applySnapshot(snapshotOf(before));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applySnapshot(snapshotOf(before)); // identical: nothing to repaint
    QCOMPARE(changed.size(), 0);

    QList<EndpointSnapshot> after = before;
    mutate(after[1]);
    model.applySnapshot(snapshotOf(after));
    QCOMPARE(changed.size(), 1);
    const auto topLeft = changed.first().at(0).value<QModelIndex>();
    const auto bottomRight = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 1);
    QCOMPARE(bottomRight.row(), 1);
    QCOMPARE(topLeft.column(), firstColumn);
    QCOMPARE(bottomRight.column(), lastColumn);
}

void TestEndpointTableModel::selectionSurvivesUpdates()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(EndpointTableModel::NameColumn);
    QItemSelectionModel selection(&proxy);

    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs), endpoint(u"c"_qs)}));
    selection.select(proxy.index(1, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex held(model.index(1, 0));
    QCOMPARE(held.data().toString(), u"b"_qs);

    QSignalSpy selectionChanged(&selection, &QItemSelectionModel::selectionChanged);
    // Update b, add d before it, remove a, reorder c ahead.
    EndpointSnapshot b = endpoint(u"b"_qs, EndpointState::Waiting);
    b.stats.reconnects = 3;
    model.applySnapshot(snapshotOf({endpoint(u"c"_qs), endpoint(u"d"_qs), b}));

    QVERIFY(held.isValid());
    QCOMPARE(held.data().toString(), u"b"_qs);
    QCOMPARE(held.row(), 2);
    const QModelIndexList rows = selection.selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data().toString(), u"b"_qs);
    QCOMPARE(rows.first().siblingAtColumn(EndpointTableModel::ReconnectsColumn).data().toInt(), 3);
    // A lost selection would have emitted a deselect.
    for (const auto &args : std::as_const(selectionChanged))
        QVERIFY(args.at(1).value<QItemSelection>().isEmpty());
}

void TestEndpointTableModel::stateColours_data()
{
    QTest::addColumn<EndpointState>("state");
    QTest::addColumn<QColor>("expected");
    QTest::addColumn<bool>("tinted");
    QTest::newRow("up green") << EndpointState::Up << QColor(0x2e, 0x7d, 0x32) << false;
    QTest::newRow("suspect amber") << EndpointState::Suspect << QColor(0xa3, 0x5f, 0x00) << true;
    QTest::newRow("down red") << EndpointState::Down << QColor(0xc6, 0x28, 0x28) << true;
    QTest::newRow("waiting blue-grey") << EndpointState::Waiting << QColor(0x45, 0x5a, 0x64) << false;
    QTest::newRow("connecting blue-grey") << EndpointState::Connecting << QColor(0x45, 0x5a, 0x64) << false;
    QTest::newRow("disabled grey") << EndpointState::Disabled << QColor(0x75, 0x75, 0x75) << false;
}

void TestEndpointTableModel::stateColours()
{
    QFETCH(EndpointState, state);
    QFETCH(QColor, expected);
    QFETCH(bool, tinted);

    EndpointTableModel model;
    model.setDarkPalette(false);
    model.applySnapshot(snapshotOf({endpoint(u"db"_qs, state)}));
    const QModelIndex cell = model.index(0, EndpointTableModel::StateColumn);
    QCOMPARE(cell.data(Qt::DisplayRole).toString(), StateStyle::label(state));
    QCOMPARE(cell.data(Qt::ForegroundRole).value<QBrush>().color(), expected);
    const QIcon dot = cell.data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!dot.isNull());
    const QImage image = dot.pixmap(16, 16).toImage();
    QCOMPARE(image.pixelColor(8, 8).rgb(), expected.rgb());
    QCOMPARE(cell.data(Qt::BackgroundRole).isValid(), tinted);
    const QVariant nameForeground = model.index(0, EndpointTableModel::NameColumn).data(Qt::ForegroundRole);
    QCOMPARE(nameForeground.isValid(), state == EndpointState::Disabled);
}

void TestEndpointTableModel::darkPaletteColours()
{
    EndpointTableModel model;
    model.setDarkPalette(false);
    model.applySnapshot(snapshotOf({endpoint(u"db"_qs, EndpointState::Down)}));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setDarkPalette(true);
    QCOMPARE(changed.size(), 1);
    const QColor dark =
        model.index(0, EndpointTableModel::StateColumn).data(Qt::ForegroundRole).value<QBrush>().color();
    QCOMPARE(dark, QColor(0xef, 0x53, 0x50));
    // Readable on a dark base: clearly lighter than the light-palette red.
    QVERIFY(dark.lightness() > StateStyle::color(EndpointState::Down, false).lightness());
}

void TestEndpointTableModel::relativeSinceAndTooltips()
{
    EndpointTableModel model;
    QDateTime now = kNow;
    model.setClock([&now] { return now; });
    EndpointSnapshot e = endpoint(u"db"_qs, EndpointState::Waiting);
    e.lastRttMs = 0.4234;
    e.lastRttSource = u"heartbeat"_qs;
    e.nextAttempt = kNow.addSecs(12);
    e.detail = u"connection refused by 10.0.0.5:5432"_qs;
    model.applySnapshot(snapshotOf({e}));

    const QModelIndex since = model.index(0, EndpointTableModel::SinceColumn);
    QCOMPARE(since.data().toString(), u"3 min ago"_qs);
    QCOMPARE(since.data(Qt::ToolTipRole).toString(),
             e.since.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_qs));
    QCOMPARE(model.index(0, EndpointTableModel::RttColumn).data().toString(), u"0.42"_qs);
    QVERIFY(model.index(0, EndpointTableModel::RttColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"heartbeat"));
    QVERIFY(model.index(0, EndpointTableModel::KeepaliveColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(u"silent peer: 16 s"));
    const QString stateTip = model.index(0, EndpointTableModel::StateColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(stateTip.contains(e.detail) && stateTip.contains(u"in 12 s"), qPrintable(stateTip));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    now = kNow.addSecs(2 * 3600);
    model.refreshRelativeTimes();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(since.data().toString(), u"2 h ago"_qs);
    // Not the state column: a proxy sorted by state would check every row's order for nothing.
    QCOMPARE(changed.first().at(0).value<QModelIndex>().column(), int(EndpointTableModel::StripColumn));
    QCOMPARE(changed.first().at(1).value<QModelIndex>().column(), int(EndpointTableModel::SinceColumn));
}

void TestEndpointTableModel::filterByNameTargetState_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("empty") << QString() << QStringList{u"orders-db"_qs, u"broker"_qs, u"cache"_qs};
    QTest::newRow("name") << u"ORDERS"_qs << QStringList{u"orders-db"_qs};
    QTest::newRow("target") << u"10.0.0.7"_qs << QStringList{u"cache"_qs};
    QTest::newRow("state name") << u"down"_qs << QStringList{u"broker"_qs};
    QTest::newRow("state label") << u"Suspect"_qs << QStringList{u"cache"_qs};
    QTest::newRow("all words must match") << u"cache down"_qs << QStringList{};
}

void TestEndpointTableModel::filterByNameTargetState()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);

    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EndpointSnapshot cache = endpoint(u"cache"_qs, EndpointState::Suspect);
    cache.target = u"10.0.0.7:6379"_qs;
    model.applySnapshot(
        snapshotOf({endpoint(u"orders-db"_qs), endpoint(u"broker"_qs, EndpointState::Down), cache}));
    proxy.setFilterText(filter);
    QCOMPARE(namesOf(proxy), expected);
}

void TestEndpointTableModel::sortsStateByUrgency()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    model.applySnapshot(
        snapshotOf({endpoint(u"a"_qs, EndpointState::Up), endpoint(u"b"_qs, EndpointState::Down),
                    endpoint(u"c"_qs, EndpointState::Disabled), endpoint(u"d"_qs, EndpointState::Suspect)}));
    proxy.sort(EndpointTableModel::StateColumn, Qt::DescendingOrder);
    QCOMPARE(namesOf(proxy), QStringList({u"b"_qs, u"d"_qs, u"a"_qs, u"c"_qs}));

    // A live update re-sorts: a goes down and moves to the top.
    model.applySnapshot(
        snapshotOf({endpoint(u"a"_qs, EndpointState::Down), endpoint(u"b"_qs, EndpointState::Up),
                    endpoint(u"c"_qs, EndpointState::Disabled), endpoint(u"d"_qs, EndpointState::Suspect)}));
    QCOMPARE(namesOf(proxy), QStringList({u"a"_qs, u"d"_qs, u"b"_qs, u"c"_qs}));
}

void TestEndpointTableModel::adjacentChangesShareOneSignal()
{
    EndpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<EndpointSnapshot> rows;
    for (const char *name : {"a", "b", "c", "d", "e"})
        rows.append(endpoint(QString::fromLatin1(name)));
    model.applySnapshot(snapshotOf(rows));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    rows[0].lastRttMs = 1.0; // a, b: RTT
    rows[1].lastRttMs = 2.0;
    rows[2].stats.reconnects = 2;  // c: reconnects
    rows[4].keepalive = u"off"_qs; // e: keepalive (d unchanged)
    model.applySnapshot(snapshotOf(rows));
    QCOMPARE(changed.size(), 3);
    const auto range = [&](int i) {
        const auto tl = changed.at(i).at(0).value<QModelIndex>();
        const auto br = changed.at(i).at(1).value<QModelIndex>();
        return QList<int>{tl.row(), tl.column(), br.row(), br.column()};
    };
    QCOMPARE(range(0), QList<int>({0, EndpointTableModel::RttColumn, 1, EndpointTableModel::RttColumn}));
    QCOMPARE(range(1),
             QList<int>({2, EndpointTableModel::ReconnectsColumn, 2, EndpointTableModel::ReconnectsColumn}));
    QCOMPARE(range(2),
             QList<int>({4, EndpointTableModel::KeepaliveColumn, 4, EndpointTableModel::KeepaliveColumn}));
}

void TestEndpointTableModel::emptySnapshotRemovesEverything()
{
    EndpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs)}));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.applySnapshot(snapshotOf({}));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(removed.size(), 1);
    model.applySnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestEndpointTableModel::randomSequencesKeepOrderAndIndexes()
{
    // Any mix of adds, removes, reorders and changes must end in the
    // snapshot's order, with persistent indexes still on their endpoint.
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(EndpointTableModel::StateColumn);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);

    std::mt19937 random(42);
    QStringList pool;
    for (int i = 0; i < 30; ++i)
        pool.append(u"ep%1"_qs.arg(i));
    QHash<QString, QPersistentModelIndex> held;
    for (int round = 0; round < 300; ++round) {
        QStringList names = pool;
        std::shuffle(names.begin(), names.end(), random);
        names = names.mid(0, std::uniform_int_distribution<int>(0, int(pool.size()))(random));
        QList<EndpointSnapshot> endpoints;
        for (const QString &name : std::as_const(names)) {
            EndpointSnapshot e =
                endpoint(name, EndpointState(std::uniform_int_distribution<int>(0, 5)(random)));
            e.stats.reconnects = std::uniform_int_distribution<int>(0, 3)(random);
            endpoints.append(e);
        }
        model.applySnapshot(snapshotOf(endpoints, quint64(round)));
        QCOMPARE(namesOf(model), names);
        QCOMPARE(proxy.rowCount(), int(names.size()));
        for (auto it = held.begin(); it != held.end();) {
            if (!names.contains(it.key())) {
                QVERIFY(!it.value().isValid());
                it = held.erase(it);
                continue;
            }
            QCOMPARE(it.value().data().toString(), it.key());
            ++it;
        }
        for (int row = 0; row < model.rowCount(); ++row)
            held.insert(model.index(row, 0).data().toString(), QPersistentModelIndex(model.index(row, 0)));
    }
    QCOMPARE(resets.size(), 0);
}

void TestEndpointTableModel::mqttRowSummarisesDevices()
{
    EndpointSnapshot broker = endpoint(u"broker"_qs);
    broker.kind = EndpointKind::Mqtt;
    MqttSnapshot m;
    m.devicesUp = 11;
    m.devicesSilent = 1;
    broker.mqtt = std::make_shared<const MqttSnapshot>(m);
    EndpointTableModel model;
    model.applySnapshot(snapshotOf({broker, endpoint(u"db"_qs)}));
    const QModelIndex state = model.index(0, EndpointTableModel::StateColumn);
    QCOMPARE(state.data().toString(), u"Up · 12 devices, ⚠ 1 silent"_qs);
    QCOMPARE(model.index(1, EndpointTableModel::StateColumn).data().toString(), u"Up"_qs);

    // "silent" in the endpoint filter finds the broker whose device went quiet.
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setFilterText(u"silent"_qs);
    QCOMPARE(proxy.rowCount(), 1);

    // The device went quiet, then came back: the state cell is redrawn.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    m.devicesSilent = 0;
    m.devicesUp = 12;
    broker.mqtt = std::make_shared<const MqttSnapshot>(m);
    model.applySnapshot(snapshotOf({broker, endpoint(u"db"_qs)}, 2));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(state.data().toString(), u"Up · 12 devices"_qs);
    proxy.setFilterText(u"silent"_qs);
    QCOMPARE(proxy.rowCount(), 0);
}

void TestEndpointTableModel::kindAndTagsColumns()
{
    EndpointTableModel model;
    EndpointSnapshot broker = endpoint(u"broker"_qs);
    broker.kind = EndpointKind::Mqtt;
    broker.tags = {u"prod"_qs, u"edge"_qs};
    model.applySnapshot(snapshotOf({broker, endpoint(u"db"_qs)}));
    QCOMPARE(model.index(0, EndpointTableModel::KindColumn).data().toString(), u"MQTT"_qs);
    QCOMPARE(model.index(0, EndpointTableModel::TagsColumn).data().toString(), u"prod, edge"_qs);
    QCOMPARE(model.index(1, EndpointTableModel::TagsColumn).data().toString(), QString());
    QCOMPARE(model.tags(), QStringList({u"edge"_qs, u"prod"_qs}));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    broker.tags = {u"prod"_qs};
    model.applySnapshot(snapshotOf({broker, endpoint(u"db"_qs)}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().column(), int(EndpointTableModel::TagsColumn));
}

void TestEndpointTableModel::uptimeBeforeTheFirstVerdict()
{
    EndpointTableModel model;
    EndpointSnapshot e = endpoint(u"queued"_qs);
    e.state = EndpointState::Connecting;
    e.stats.uptimePending = true;
    e.stats.uptimeSessionPercent = 0;
    model.applySnapshot(snapshotOf({e}));
    const QModelIndex cell = model.index(0, EndpointTableModel::UptimeColumn);
    // Nothing counted yet is not 0 %.
    QCOMPARE(cell.data().toString(), u"—"_qs);
    QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(u"first verdict"));
    QCOMPARE(cell.data(EndpointTableModel::SortRole).toDouble(), -1.0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    e.state = EndpointState::Up;
    e.stats.uptimePending = false;
    e.stats.uptimeSessionPercent = 100;
    model.applySnapshot(snapshotOf({e}));
    QVERIFY(!changed.isEmpty());
    QVERIFY2(cell.data().toString().contains(u"100"), qPrintable(cell.data().toString()));
    QCOMPARE(cell.data(EndpointTableModel::SortRole).toDouble(), 100.0);
}

void TestEndpointTableModel::eventsDrawTheStrip()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(EndpointTableModel::StateColumn);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClock([] { return kNow; });
    // Up since 3 min ago, says the snapshot.
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs)}));

    const auto at = [](int secondsAgo) { return kNow.addSecs(-secondsAgo); };
    const auto stateEvent = [&](int secondsAgo, EndpointState state, const QString &name = u"a"_qs) {
        Event e = Event::stateChange(name, state, Cause{}, QString());
        e.ts = at(secondsAgo);
        return e;
    };
    Event rtt = Event::rtt(u"a"_qs, 4.5, u"heartbeat"_qs);
    rtt.ts = at(30);
    Event ghost = Event::stateChange(u"a/peer-1"_qs, EndpointState::Down); // a listener's peer
    ghost.ts = at(60);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
    model.appendEvents({stateEvent(12 * 60, EndpointState::Up), stateEvent(5 * 60, EndpointState::Down),
                        stateEvent(4 * 60, EndpointState::Waiting), stateEvent(180, EndpointState::Up), rtt,
                        ghost});
    QCOMPARE(changed.size(), 1);
    const QModelIndex topLeft = changed.first().at(0).value<QModelIndex>();
    const QModelIndex bottomRight = changed.first().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), 0);
    QCOMPARE(bottomRight.row(), 0);
    QCOMPARE(topLeft.column(), int(EndpointTableModel::StripColumn));
    QCOMPARE(bottomRight.column(), int(EndpointTableModel::StripColumn));
    // Only the strip's roles: a sorting proxy has nothing to re-sort.
    QVERIFY(changed.first().at(2).value<QList<int>>().contains(EndpointTableModel::StripRole));
    QVERIFY(!changed.first().at(2).value<QList<int>>().contains(EndpointTableModel::SortRole));
    QCOMPARE(resets.size(), 0);

    const auto strip = model.index(0, EndpointTableModel::StripColumn)
                           .data(EndpointTableModel::StripRole)
                           .value<StateStrip>();
    QCOMPARE(strip.spans, QList<StateSpan>({StateSpan{at(12 * 60), at(5 * 60), EndpointState::Up},
                                            StateSpan{at(5 * 60), at(4 * 60), EndpointState::Down},
                                            StateSpan{at(4 * 60), at(180), EndpointState::Waiting},
                                            StateSpan{at(180), kNow, EndpointState::Up}}));
    QCOMPARE(strip.drops, 1);
    QCOMPARE(strip.rtt.size(), 1);
    QCOMPARE(strip.rtt.first().ms, 4.5);
    // b knows only its snapshot: up for the last 3 minutes, nothing before.
    const auto stripB = model.index(1, EndpointTableModel::StripColumn)
                            .data(EndpointTableModel::StripRole)
                            .value<StateStrip>();
    QCOMPARE(stripB.spans, QList<StateSpan>({StateSpan{at(180), kNow, EndpointState::Up}}));
    QVERIFY(
        model.index(0, EndpointTableModel::StripColumn).data(Qt::ToolTipRole).toString().contains(u"1 drop"));
    QVERIFY(model.headerData(EndpointTableModel::StripColumn, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(u"15 minutes"));

    // The snapshot that follows the events adds nothing new to the strip.
    changed.clear();
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), endpoint(u"b"_qs)}, 2));
    QCOMPARE(changed.size(), 0);
    // A snapshot with a new state extends it.
    EndpointSnapshot down = endpoint(u"b"_qs, EndpointState::Down);
    down.since = at(10);
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs), down}, 3));
    const auto stripB2 = model.indexOf(u"b"_qs, EndpointTableModel::StripColumn)
                             .data(EndpointTableModel::StripRole)
                             .value<StateStrip>();
    QCOMPARE(stripB2.spans.last(), (StateSpan{at(10), kNow, EndpointState::Down}));
}

void TestEndpointTableModel::eventsBeforeTheFirstSnapshotAreKept()
{
    EndpointTableModel model;
    model.setClock([] { return kNow; });
    Event down = Event::stateChange(u"a"_qs, EndpointState::Down);
    down.ts = kNow.addSecs(-600);
    model.appendEvents({down}); // history replayed at start
    QCOMPARE(model.rowCount(), 0);
    model.applySnapshot(snapshotOf({endpoint(u"a"_qs)}));
    const auto strip = model.index(0, EndpointTableModel::StripColumn)
                           .data(EndpointTableModel::StripRole)
                           .value<StateStrip>();
    QCOMPARE(strip.spans.size(), 2);
    QCOMPARE(strip.spans.first().state, EndpointState::Down);
    QCOMPARE(strip.spans.first().from, kNow.addSecs(-600));
    // Once a snapshot is known, events for names it does not list are not kept.
    Event other = Event::stateChange(u"gone"_qs, EndpointState::Down);
    other.ts = kNow;
    model.appendEvents({other});
    QCOMPARE(model.history(u"gone"_qs), nullptr);
}

void TestEndpointTableModel::filters_data()
{
    QTest::addColumn<ProxySetup>("setup");
    QTest::addColumn<QStringList>("expected");
    const QStringList all{u"db"_qs, u"broker"_qs, u"ws"_qs, u"hb"_qs};
    QTest::newRow("none") << ProxySetup([](EndpointFilterProxyModel &) {}) << all;
    QTest::newRow("state down") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setStateFilter({EndpointState::Down});
    }) << QStringList{u"broker"_qs};
    QTest::newRow("not up") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setStateFilter({EndpointState::Down, EndpointState::Suspect, EndpointState::Waiting});
    }) << QStringList{u"broker"_qs, u"ws"_qs};
    QTest::newRow("kind mqtt") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setKindFilter(EndpointKind::Mqtt);
    }) << QStringList{u"broker"_qs};
    QTest::newRow("tag prod") << ProxySetup([](EndpointFilterProxyModel &p) { p.setTagFilter(u"prod"_qs); })
                              << QStringList{u"db"_qs, u"broker"_qs};
    QTest::newRow("tag words in the text")
        << ProxySetup([](EndpointFilterProxyModel &p) { p.setFilterText(u"edge"_qs); })
        << QStringList{u"broker"_qs, u"ws"_qs};
    QTest::newRow("names") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setNameFilter({u"ws"_qs, u"hb"_qs, u"removed"_qs}, u"dropped at 10:41"_qs);
    }) << QStringList{u"ws"_qs, u"hb"_qs};
    QTest::newRow("names cleared") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setNameFilter({u"ws"_qs}, u"x"_qs);
        p.clearNameFilter();
    }) << all;
    QTest::newRow("empty name set shows nothing")
        << ProxySetup([](EndpointFilterProxyModel &p) { p.setNameFilter({}, u"dropped at 10:41"_qs); })
        << QStringList{};
    QTest::newRow("all filters at once") << ProxySetup([](EndpointFilterProxyModel &p) {
        p.setTagFilter(u"edge"_qs);
        p.setStateFilter({EndpointState::Down, EndpointState::Suspect});
        p.setKindFilter(EndpointKind::WebSocket);
        p.setNameFilter({u"ws"_qs, u"broker"_qs}, QString());
        p.setFilterText(u"ws"_qs);
    }) << QStringList{u"ws"_qs};
}

void TestEndpointTableModel::filters()
{
    QFETCH(ProxySetup, setup);
    QFETCH(QStringList, expected);

    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EndpointSnapshot db = endpoint(u"db"_qs);
    db.tags = {u"prod"_qs};
    EndpointSnapshot broker = endpoint(u"broker"_qs, EndpointState::Down);
    broker.kind = EndpointKind::Mqtt;
    broker.tags = {u"prod"_qs, u"edge"_qs};
    EndpointSnapshot ws = endpoint(u"ws"_qs, EndpointState::Suspect);
    ws.kind = EndpointKind::WebSocket;
    ws.tags = {u"edge"_qs};
    EndpointSnapshot hb = endpoint(u"hb"_qs);
    hb.kind = EndpointKind::Listen;
    model.applySnapshot(snapshotOf({db, broker, ws, hb}));
    QSignalSpy filtersChanged(&proxy, &EndpointFilterProxyModel::filtersChanged);
    setup(proxy);
    QCOMPARE(namesOf(proxy), expected);
    QCOMPARE(proxy.acceptedEndpointCount(), int(expected.size()));
    const QByteArray tag = QTest::currentDataTag();
    QCOMPARE(proxy.isFiltering(), tag != "none" && tag != "names cleared");
    QCOMPARE(filtersChanged.isEmpty(), tag == "none");

    // The filters hold across updates: broker comes back up and leaves a state filter.
    broker.state = EndpointState::Up;
    model.applySnapshot(snapshotOf({db, broker, ws, hb}, 2));
    if (proxy.stateFilter() == QList<EndpointState>{EndpointState::Down})
        QCOMPARE(proxy.rowCount(), 0);
}

void TestEndpointTableModel::unchangedRevisionIsNotCompared()
{
    EndpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EndpointSnapshot a = endpoint(u"a"_qs);
    a.revision = 5;
    EndpointSnapshot b = endpoint(u"b"_qs); // no revision kept: its fields are compared
    model.applySnapshot(snapshotOf({a, b}));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    a.lastRttMs = 12.5; // the producer did not move the revision: the row is taken as unchanged
    b.lastRttMs = 3.0;
    model.applySnapshot(snapshotOf({a, b}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(model.index(0, EndpointTableModel::RttColumn).data().toString(), u"12.50"_qs); // still read

    changed.clear();
    a.revision = 6;
    a.state = EndpointState::Down;
    model.applySnapshot(snapshotOf({a, b}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(model.index(0, 0).data(EndpointTableModel::StateRole).toInt(), int(EndpointState::Down));
}

void TestEndpointTableModel::sortKeysFollowTheirCells()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    EndpointSnapshot ep10 = endpoint(u"ep-10"_qs);
    ep10.tags = {u"b"_qs};
    ep10.target = u"host-9:1"_qs;
    EndpointSnapshot ep2 = endpoint(u"EP-2"_qs);
    ep2.tags = {u"a"_qs, u"z"_qs};
    ep2.target = u"host-10:1"_qs;
    EndpointSnapshot ep1 = endpoint(u"ep-1"_qs);
    ep1.tags = {u"A"_qs};
    ep1.target = u"host-11:1"_qs;
    model.applySnapshot(snapshotOf({ep10, ep2, ep1}));
    const auto names = [&proxy] {
        QStringList out;
        for (int row = 0; row < proxy.rowCount(); ++row)
            out << proxy.index(row, 0).data().toString();
        return out;
    };

    proxy.sort(EndpointTableModel::NameColumn); // numbers in order, case ignored
    QCOMPARE(names(), QStringList({u"ep-1"_qs, u"EP-2"_qs, u"ep-10"_qs}));
    proxy.sort(EndpointTableModel::TagsColumn); // "A", "a, z", "b"
    QCOMPARE(names(), QStringList({u"ep-1"_qs, u"EP-2"_qs, u"ep-10"_qs}));
    proxy.sort(EndpointTableModel::TargetColumn);
    QCOMPARE(names(), QStringList({u"ep-10"_qs, u"EP-2"_qs, u"ep-1"_qs}));

    // A changed cell gets a new key, and the sorted rows follow it.
    ep10.target = u"host-99:1"_qs;
    model.applySnapshot(snapshotOf({ep10, ep2, ep1}));
    QCOMPARE(names(), QStringList({u"EP-2"_qs, u"ep-1"_qs, u"ep-10"_qs}));
    proxy.sort(EndpointTableModel::TagsColumn);
    ep1.tags = {u"c"_qs};
    model.applySnapshot(snapshotOf({ep10, ep2, ep1}));
    QCOMPARE(names(), QStringList({u"EP-2"_qs, u"ep-10"_qs, u"ep-1"_qs}));
    QVERIFY(!model.textSortKey(model.index(0, EndpointTableModel::StateColumn)));
}

void TestEndpointTableModel::stripSortCountsDropsInTheWindow()
{
    EndpointTableModel model;
    EndpointFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QDateTime now = kNow;
    model.setClock([&now] { return now; });
    model.applySnapshot(snapshotOf({endpoint(u"calm"_qs), endpoint(u"flappy"_qs), endpoint(u"once"_qs)}));
    QList<Event> events;
    const auto drop = [&events](const QString &name, int secondsAgo) {
        Event down = Event::stateChange(name, EndpointState::Down, Cause{}, QString());
        down.ts = kNow.addSecs(-secondsAgo);
        Event up = Event::stateChange(name, EndpointState::Up, Cause{}, QString());
        up.ts = down.ts.addSecs(5);
        events << down << up;
    };
    drop(u"flappy"_qs, 800);
    drop(u"flappy"_qs, 400);
    drop(u"flappy"_qs, 100);
    drop(u"once"_qs, 120);
    model.appendEvents(events);
    proxy.sort(EndpointTableModel::StripColumn, Qt::DescendingOrder);
    const auto first = [&proxy] { return proxy.index(0, 0).data().toString(); };
    QCOMPARE(first(), u"flappy"_qs);
    QCOMPARE(model.recentDrops(model.indexOf(u"flappy"_qs)), 3);

    // Ten minutes on, two of flappy's drops have left the window; the count follows the refresh.
    now = kNow.addSecs(600);
    model.refreshRelativeTimes();
    QCOMPARE(model.recentDrops(model.indexOf(u"flappy"_qs)), 1);
    QCOMPARE(model.recentDrops(model.indexOf(u"once"_qs)), 1);
    QCOMPARE(model.recentDrops(model.indexOf(u"calm"_qs)), 0);
}

QTEST_MAIN(TestEndpointTableModel)
#include "tst_endpointtablemodel.moc"
