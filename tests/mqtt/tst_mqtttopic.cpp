// Topic names, filters and matching (3.1.1 and 5.0 section 4.7; shared subscriptions 5.0 section 4.8.2),
// with the standard's own examples.

#include "mqtttopic.h"

#include <QtTest/QTest>

using namespace kw::mqtt;
using namespace Qt::StringLiterals;

class TestMqttTopic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filters_data();
    void filters();
    void names_data();
    void names();
    void matching_data();
    void matching();
    void wildcardLevels_data();
    void wildcardLevels();
};

void TestMqttTopic::filters_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("problem");
    const auto ok = [](const char *filter) {
        QTest::newRow(filter) << QString::fromUtf8(filter) << QString();
    };
    const auto bad = [](const char *filter, const char *problem) {
        QTest::newRow(filter) << QString::fromUtf8(filter) << QString::fromUtf8(problem);
    };
    // Section 4.7.1.2 and 4.7.1.3: the valid and invalid examples.
    ok("sport/tennis/player1/#");
    ok("sport/#");
    ok("#");
    ok("+");
    ok("+/tennis/#");
    ok("sport/+/player1");
    ok("/+");
    ok("+/+");
    ok("/");
    ok("$SYS/#");
    ok("$share/group/devices/+/heartbeat");
    bad("sport/tennis#", "'#' must be the last level and alone in it (section 4.7.1.2)");
    bad("sport/tennis/#/ranking", "'#' must be the last level and alone in it (section 4.7.1.2)");
    bad("sport+", "'+' must fill a whole level (section 4.7.1.3)");
    bad("sport/+x/a", "'+' must fill a whole level (section 4.7.1.3)");
    bad("", "a topic filter must be at least one character long (section 4.7.3)");
    bad("$share//a", "a shared subscription needs a share name: $share/{name}/{filter} (5.0 section 4.8.2)");
    bad("$share/g+/a", "a share name may not contain '+' or '#' (5.0 section 4.8.2)");
    bad("$share/g", "a shared subscription needs a topic filter after $share/g/ (5.0 section 4.8.2)");
    bad("$share/g/a#", "'#' must be the last level and alone in it (section 4.7.1.2)");
}

void TestMqttTopic::filters()
{
    QFETCH(QString, filter);
    QFETCH(QString, problem);
    QCOMPARE(QString::fromStdString(validateTopicFilter(filter.toStdString())), problem);
}

void TestMqttTopic::names_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("problem");
    QTest::newRow("plain") << QByteArray("devices/a17/heartbeat") << QString();
    QTest::newRow("leading slash") << QByteArray("/finance") << QString();
    QTest::newRow("space") << QByteArray(" ") << QString();
    QTest::newRow("$SYS") << QByteArray("$SYS/broker/uptime") << QString();
    QTest::newRow("+") << QByteArray("a/+/b")
                       << u"a topic name may not contain the wildcards '+' or '#' (section 4.7.1)"_s;
    QTest::newRow("#") << QByteArray("a/#")
                       << u"a topic name may not contain the wildcards '+' or '#' (section 4.7.1)"_s;
    QTest::newRow("empty") << QByteArray()
                           << u"a topic name must be at least one character long (section 4.7.3)"_s;
    QTest::newRow("U+0000") << QByteArray("a\0b", 3)
                            << u"not valid MQTT UTF-8: U+0000 at offset 1 (section 1.5.3)"_s;
    QTest::newRow("too long")
        << QByteArray(65536, 'a')
        << u"a topic name of 65536 bytes is longer than the 65,535 a string can carry (section 1.5.3)"_s;
    QTest::newRow("longest") << QByteArray(65535, 'a') << QString();
}

void TestMqttTopic::names()
{
    QFETCH(QByteArray, name);
    QFETCH(QString, problem);
    QCOMPARE(QString::fromStdString(validateTopicName(name.toStdString())), problem);
}

void TestMqttTopic::matching_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("matches");
    const auto row = [](const char *filter, const char *topic, bool matches) {
        QTest::newRow(qPrintable(QString::fromUtf8(filter) + u" ~ "_s + QString::fromUtf8(topic)))
            << QString::fromUtf8(filter) << QString::fromUtf8(topic) << matches;
    };
    // Section 4.7.1.2.
    row("sport/tennis/player1/#", "sport/tennis/player1", true);
    row("sport/tennis/player1/#", "sport/tennis/player1/ranking", true);
    row("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true);
    row("sport/#", "sport", true);
    row("sport/#", "sports", false);
    row("#", "anything/at/all", true);
    row("#", "/", true);
    // Section 4.7.1.3.
    row("sport/tennis/+", "sport/tennis/player1", true);
    row("sport/tennis/+", "sport/tennis/player2", true);
    row("sport/tennis/+", "sport/tennis/player1/ranking", false);
    row("sport/+", "sport", false);
    row("sport/+", "sport/", true);
    row("+/+", "/finance", true);
    row("/+", "/finance", true);
    row("+", "/finance", false);
    // Section 4.7.2: '$' topics and wildcards at the start.
    row("#", "$SYS/broker/clients", false);
    row("+/monitor/Clients", "$SYS/monitor/Clients", false);
    row("$SYS/#", "$SYS/monitor/Clients", true);
    row("$SYS/monitor/+", "$SYS/monitor/Clients", true);
    row("a/#", "a/$b", true);
    // Exact, case-sensitive (section 4.7.3), levels may be empty.
    row("devices/A17", "devices/a17", false);
    row("devices/a17", "devices/a17", true);
    row("a//b", "a//b", true);
    row("a/+/b", "a//b", true);
    row("a/b", "a/b/", false);
    // Shared subscriptions match with the filter after the share name.
    row("$share/group/devices/+", "devices/a17", true);
    row("$share/group/devices/+", "$share/group/devices/a17", false);
    // Invalid filters or names match nothing.
    row("sport+", "sport+", false);
    row("a/#", "a/#", false);
    row("", "", false);
}

void TestMqttTopic::matching()
{
    QFETCH(QString, filter);
    QFETCH(QString, topic);
    QFETCH(bool, matches);
    QCOMPARE(topicMatches(filter.toStdString(), topic.toStdString()), matches);
}

void TestMqttTopic::wildcardLevels_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QString>("levels");
    QTest::newRow("one +") << u"devices/+/heartbeat"_s << u"devices/a17/heartbeat"_s << u"a17"_s;
    QTest::newRow("two +") << u"site/+/+/status"_s << u"site/berlin/a17/status"_s << u"berlin/a17"_s;
    QTest::newRow("#") << u"devices/#"_s << u"devices/a17/status/battery"_s << u"a17/status/battery"_s;
    QTest::newRow("+ and #") << u"+/devices/#"_s << u"eu/devices/a17/x"_s << u"eu/a17/x"_s;
    QTest::newRow("# matching the parent") << u"devices/#"_s << u"devices"_s << QString();
    QTest::newRow("empty level") << u"a/+/b"_s << u"a//b"_s << QString();
    QTest::newRow("no wildcard") << u"devices/a17"_s << u"devices/a17"_s << QString();
    QTest::newRow("no match") << u"devices/+/heartbeat"_s << u"devices/a17/status"_s << QString();
    QTest::newRow("shared") << u"$share/g/devices/+/hb"_s << u"devices/b2/hb"_s << u"b2"_s;
}

void TestMqttTopic::wildcardLevels()
{
    QFETCH(QString, filter);
    QFETCH(QString, topic);
    QFETCH(QString, levels);
    QCOMPARE(QString::fromStdString(kw::mqtt::wildcardLevels(filter.toStdString(), topic.toStdString())),
             levels);
}

QTEST_GUILESS_MAIN(TestMqttTopic)
#include "tst_mqtttopic.moc"
