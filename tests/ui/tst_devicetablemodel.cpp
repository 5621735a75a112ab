#include "devicepanel.h"
#include "devicetablemodel.h"
#include "snapshotbuilder.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace kw;
using namespace kw::test;
using State = DeviceSnapshot::State;

namespace {
DeviceSnapshot device(const QString &id, State state, int lastS, qint64 messages = 10)
{
    DeviceSnapshot d;
    d.id = id;
    d.topic = u"plant/"_qs + id + u"/heartbeat"_qs;
    d.watch = u"plant/+/heartbeat"_qs;
    d.state = state;
    d.lastMessage = kNow.addSecs(-lastS);
    d.since = d.lastMessage;
    d.preview = u"v=3.3"_qs;
    d.messages = messages;
    return d;
}

// In topic order, as the engine would not deliver them: the model must sort on its own.
DeviceTableModel::DeviceList devices()
{
    auto list = std::make_shared<QList<DeviceSnapshot>>();
    list->append(device(u"boiler-1"_qs, State::Up, 2, 500));
    list->append(device(u"fan-3"_qs, State::Awaiting, 900, 1));
    list->append(device(u"pump-1"_qs, State::Up, 1, 300));
    list->append(device(u"pump-2"_qs, State::Silent, 47, 200));
    list->append(device(u"valve-9"_qs, State::Will, 212, 100));
    list->append(device(u"valve-2"_qs, State::Silent, 20, 50));
    return list;
}

QStringList ids(const QAbstractItemModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, DeviceTableModel::IdColumn).data().toString();
    return out;
}
} // namespace

class TestDeviceTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void troubleFirstByDefault();
    void sortsByColumn_data();
    void sortsByColumn();
    void filters();
    void resetsOnlyForANewList();
    void agesWithTheClock();
    void panelKeepsTheCurrentDevice();
    void hundredThousandDevices();
};

void TestDeviceTableModel::troubleFirstByDefault()
{
    DeviceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDevices(devices(), kNow);
    // Will, then silent (each by topic), then awaiting, then up.
    QCOMPARE(ids(model), (QStringList{u"valve-9"_qs, u"pump-2"_qs, u"valve-2"_qs, u"fan-3"_qs, u"boiler-1"_qs,
                                      u"pump-1"_qs}));
    const QModelIndex silent = model.index(1, DeviceTableModel::StateColumn);
    QCOMPARE(silent.data().toString(), u"Silent"_qs);
    QVERIFY(silent.data(Qt::ForegroundRole).isValid());
    QVERIFY(silent.data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(4, DeviceTableModel::StateColumn).data(Qt::BackgroundRole).isValid());
}

void TestDeviceTableModel::sortsByColumn_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("first");
    QTest::newRow("quietest first") << int(DeviceTableModel::LastMessageColumn) << int(Qt::AscendingOrder)
                                    << u"fan-3"_qs;
    QTest::newRow("latest first") << int(DeviceTableModel::LastMessageColumn) << int(Qt::DescendingOrder)
                                  << u"pump-1"_qs;
    QTest::newRow("most messages") << int(DeviceTableModel::MessagesColumn) << int(Qt::DescendingOrder)
                                   << u"boiler-1"_qs;
    QTest::newRow("topic") << int(DeviceTableModel::TopicColumn) << int(Qt::AscendingOrder) << u"boiler-1"_qs;
    QTest::newRow("up first") << int(DeviceTableModel::StateColumn) << int(Qt::AscendingOrder)
                              << u"boiler-1"_qs;
}

void TestDeviceTableModel::sortsByColumn()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QString, first);
    DeviceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDevices(devices(), kNow);
    model.sort(column, Qt::SortOrder(order));
    QCOMPARE(ids(model).first(), first);
    QCOMPARE(model.rowCount(), 6);
}

void TestDeviceTableModel::filters()
{
    DeviceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDevices(devices(), kNow);
    model.setFilterText(u"silent"_qs);
    QCOMPARE(ids(model), (QStringList{u"pump-2"_qs, u"valve-2"_qs}));
    model.setFilterText(u"PUMP"_qs);
    QCOMPARE(ids(model), (QStringList{u"pump-2"_qs, u"pump-1"_qs}));
    model.setFilterText(u"pump up"_qs); // every word must match
    QCOMPARE(ids(model), QStringList{u"pump-1"_qs});
    model.setFilterText(u"nothing-like-this"_qs);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 6);
    model.setFilterText({});
    QCOMPARE(model.rowCount(), 6);
}

void TestDeviceTableModel::resetsOnlyForANewList()
{
    DeviceTableModel model;
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    const DeviceTableModel::DeviceList list = devices();
    model.setDevices(list, kNow);
    QCOMPARE(resets.size(), 1);
    model.setDevices(list, kNow.addSecs(1)); // the next snapshot, same list
    QCOMPARE(resets.size(), 1);
    QCOMPARE(changes.size(), 1);
    const QModelIndex topLeft = changes.first().at(0).toModelIndex();
    const QModelIndex bottomRight = changes.first().at(1).toModelIndex();
    QCOMPARE(topLeft.column(), int(DeviceTableModel::LastMessageColumn));
    QCOMPARE(bottomRight.column(), int(DeviceTableModel::SinceColumn));
    model.setDevices(devices(), kNow.addSecs(2)); // rebuilt by the engine
    QCOMPARE(resets.size(), 2);
}

void TestDeviceTableModel::agesWithTheClock()
{
    DeviceTableModel model;
    model.setDevices(devices(), kNow);
    const auto lastMessage = [&model] { return model.index(1, DeviceTableModel::LastMessageColumn).data(); };
    QCOMPARE(lastMessage().toString(), u"47 s ago"_qs);
    model.setNow(kNow.addSecs(30));
    QCOMPARE(lastMessage().toString(), u"1 min ago"_qs);
}

void TestDeviceTableModel::panelKeepsTheCurrentDevice()
{
    EndpointSnapshot e = endpoint(u"broker"_qs);
    e.kind = EndpointKind::Mqtt;
    MqttSnapshot m;
    m.devices = devices();
    m.devicesUp = 2;
    m.devicesSilent = 2;
    m.devicesWill = 1;
    m.devicesAwaiting = 1;
    e.mqtt = std::make_shared<const MqttSnapshot>(m);

    DevicePanel panel;
    panel.show();
    panel.showEndpoint(&e, kNow);
    QVERIFY(DevicePanel::hasDevices(&e));
    QVERIFY(panel.headingText().contains(u"2 silent (pump-2 for 47 s, valve-2 for 20 s)"));
    QTableView *table = panel.table();
    table->setCurrentIndex(panel.model()->index(panel.model()->rowOfTopic(u"plant/pump-1/heartbeat"_qs), 0));
    m.devices = devices(); // a new list: the model resets
    e.mqtt = std::make_shared<const MqttSnapshot>(m);
    panel.showEndpoint(&e, kNow.addSecs(5));
    QCOMPARE(table->currentIndex().data(DeviceTableModel::TopicRole).toString(),
             u"plant/pump-1/heartbeat"_qs);

    panel.filterEdit()->setText(u"valve"_qs);
    QCOMPARE(panel.model()->rowCount(), 2);

    const EndpointSnapshot tcp = endpoint(u"db"_qs);
    QVERIFY(!DevicePanel::hasDevices(&tcp));
    panel.showEndpoint(&tcp, kNow);
    QCOMPARE(panel.model()->rowCount(), 0);
}

void TestDeviceTableModel::hundredThousandDevices()
{
    auto list = std::make_shared<QList<DeviceSnapshot>>();
    list->reserve(100'000);
    for (int i = 0; i < 100'000; ++i)
        list->append(
            device(u"d"_qs + QString::number(i), i % 97 == 0 ? State::Silent : State::Up, i % 600, i));
    DeviceTableModel model;
    QTableView view;
    view.setModel(&model);
    view.setSortingEnabled(true);
    view.resize(800, 400);
    view.show();
    model.setDevices(list, kNow);
    QCoreApplication::processEvents();
    // A snapshot tick with the same list updates the ages in place: no reset, no re-sort (what
    // costs time at this size is checked by structure here, not by a clock).
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    model.setDevices(list, kNow.addSecs(1));
    QCoreApplication::processEvents();
    QCOMPARE(resets.size(), 0);
    QCOMPARE(layouts.size(), 0);
    model.setFilterText(u"d99"_qs);
    QCoreApplication::processEvents();
    QCOMPARE(model.index(0, DeviceTableModel::StateColumn).data().toString(), u"Silent"_qs);
    QCOMPARE(model.rowCount(), 1111); // d99, d990..d999, d9900..d9999, d99000..d99999
    // A new list is one reset.
    auto next = std::make_shared<QList<DeviceSnapshot>>(*list);
    model.setDevices(next, kNow.addSecs(2));
    QCOMPARE(resets.size(), 1);
}

QTEST_MAIN(TestDeviceTableModel)
#include "tst_devicetablemodel.moc"
