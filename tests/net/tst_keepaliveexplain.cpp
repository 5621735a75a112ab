#include "detectionbound.h"
#include "systemdefaults.h"

#include <QTest>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using kw::net::TcpKeepaliveSettings;

Q_DECLARE_METATYPE(TcpKeepaliveSettings)

class TestKeepaliveExplain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void explains_data();
    void explains();
};

void TestKeepaliveExplain::explains_data()
{
    QTest::addColumn<TcpKeepaliveSettings>("requested");
    QTest::addColumn<QStringList>("mentions");
    QTest::addColumn<QStringList>("absent");

    QTest::newRow("fast settings")
        << TcpKeepaliveSettings{.idle = 20s, .interval = 5s, .count = 3, .userTimeout = 30000ms}
        << QStringList{u"Keepalive on Linux"_s,
                       u"Requested: idle 20 s, interval 5 s, count 3, user timeout 30000 ms"_s,
                       u"/proc/sys/net/ipv4/tcp_keepalive_time"_s,
                       u"TCP_KEEPIDLE          applied      20 s        read back 20 s"_s,
                       u"TCP_USER_TIMEOUT      applied      30000 ms    read back 30000 ms"_s,
                       u"effective: keepalive on: idle 20 s, interval 5 s, count 3, user timeout 30000 ms (read back)"_s,
                       u"silent peer:          30.0 s"_s,
                       u"unacknowledged data:  30.0 s"_s,
                       u"sudo sysctl -w net.ipv4.tcp_keepalive_time=20"_s}
        << QStringList{u"error:"_s, u"warning: idle"_s};
    QTest::newRow("nothing requested")
        << TcpKeepaliveSettings{}
        << QStringList{u"Requested: nothing (system defaults stay)"_s, u"keepalive off"_s,
                       u"silent peer:          never (by TCP)"_s}
        << QStringList{u"sudo sysctl"_s};
    QTest::newRow("out of range") << TcpKeepaliveSettings{.idle = 40000s, .count = 200}
                                  << QStringList{u"error: TCP keepalive idle 40000 s is out of range"_s,
                                                 u"error: TCP keepalive count 200 is out of range"_s,
                                                 u"TCP_KEEPIDLE          invalid"_s}
                                  << QStringList{u"sudo sysctl"_s, u"TCP_KEEPIDLE          applied"_s};
    QTest::newRow("slow idle warns about middleboxes")
        << TcpKeepaliveSettings{.enabled = true, .idle = 600s}
        << QStringList{u"warning: idle 600.0 s exceeds common middlebox idle timeouts"_s} << QStringList{};
}

void TestKeepaliveExplain::explains()
{
    QFETCH(TcpKeepaliveSettings, requested);
    QFETCH(QStringList, mentions);
    QFETCH(QStringList, absent);
    const QString text = QString::fromStdString(kw::net::keepaliveExplainText(requested));
    for (const QString &mention : mentions)
        QVERIFY2(text.contains(mention), qPrintable(mention + u"\n---\n"_s + text));
    for (const QString &missing : absent)
        QVERIFY2(!text.contains(missing), qPrintable(missing + u"\n---\n"_s + text));
}

QTEST_GUILESS_MAIN(TestKeepaliveExplain)
#include "tst_keepaliveexplain.moc"
