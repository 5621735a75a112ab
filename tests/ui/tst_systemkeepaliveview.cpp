#include "systemkeepaliveview.h"

#include "engine.h"
#include "mainwindow.h"
#include "statestyle.h"
#include "workspace.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QColor>
#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace kw;

namespace {
net::SourcedValue sourced(long long value, const char *unit, const char *source, bool osDefault = false)
{
    net::SourcedValue v;
    v.value = value;
    v.unit = unit;
    v.source = source;
    v.isOsDefault = osDefault;
    return v;
}

// Linux with the given idle time, as readLinuxSystemDefaults() reports it.
net::SystemDefaults linuxDefaults(long long idle)
{
    net::SystemDefaults d;
    d.platform = net::kPlatformLinux;
    d.keepaliveTime = sourced(idle, "s", "/proc/sys/net/ipv4/tcp_keepalive_time", idle == 7200);
    d.keepaliveInterval = sourced(75, "s", "/proc/sys/net/ipv4/tcp_keepalive_intvl", true);
    d.keepaliveProbes = sourced(9, "", "/proc/sys/net/ipv4/tcp_keepalive_probes", true);
    d.retransmitGiveUp = sourced(15, "", "/proc/sys/net/ipv4/tcp_retries2", true);
    d.conntrackEstablished.source =
        "not visible: /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established";
    return d;
}

net::SystemDefaults windowsDefaults()
{
    net::SystemDefaults d;
    d.platform = net::kPlatformWindows;
    d.keepaliveTime = sourced(7200000, "ms", "not set (default 7200000)", true);
    d.keepaliveInterval = sourced(1000, "ms", "not set (default 1000)", true);
    d.keepaliveProbes = sourced(10, "", "fixed by Windows (10 on Vista and later)", true);
    d.retransmitGiveUp = sourced(5, "", "not set (default 5)", true);
    return d;
}

EndpointConfig endpoint(const QByteArray &json)
{
    const EndpointResult r = parseEndpoint(QJsonDocument::fromJson(json).object(), u"test"_qs);
    if (!r.endpoint)
        qFatal("fixture does not parse: %s", qPrintable(r.errors.join(u'\n')));
    return *r.endpoint;
}

QString tableText(const QTableWidget *table)
{
    QStringList rows;
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < table->columnCount(); ++c)
            cells << table->item(r, c)->text();
        rows << cells.join(u" | ");
    }
    return rows.join(u'\n');
}
} // namespace

class TestSystemKeepaliveView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsTheGivenDefaultsWithSources();
    void warnsAboveMiddleboxTimeouts_data();
    void warnsAboveMiddleboxTimeouts();
    void linuxCommandsNameTheSysctls();
    void otherPlatformsCommands();
    void copyButtonCopiesItsCommand();
    void listsEndpointsThatOverride();
    void rendersReadably();
    void openedFromTheWindow();
};

void TestSystemKeepaliveView::listsTheGivenDefaultsWithSources()
{
    SystemKeepaliveView view(linuxDefaults(7200), {});
    const QString text = tableText(view.findChild<QTableWidget *>(u"systemDefaultsTable"_qs));
    QVERIFY2(
        text.contains(u"Keepalive idle | 7200 s (2 h), OS default | /proc/sys/net/ipv4/tcp_keepalive_time"),
        qPrintable(text));
    QVERIFY2(text.contains(u"Probe interval | 75 s, OS default | /proc/sys/net/ipv4/tcp_keepalive_intvl"),
             qPrintable(text));
    QVERIFY2(text.contains(u"Probe count | 9, OS default | /proc/sys/net/ipv4/tcp_keepalive_probes"),
             qPrintable(text));
    QVERIFY2(text.contains(u"nf_conntrack_tcp_timeout_established"), qPrintable(text));
    // The bound by the engine's arithmetic: 7200 + 75 × 9 = 7875 s.
    const QString bound = view.findChild<QLabel *>(u"systemDefaultsBound"_qs)->text();
    QVERIFY2(bound.contains(u"2 h 11 min"), qPrintable(bound));

    SystemKeepaliveView windows(windowsDefaults(), {});
    const QString w = tableText(windows.findChild<QTableWidget *>(u"systemDefaultsTable"_qs));
    QVERIFY2(w.contains(u"Keepalive idle | 7200000 ms (2 h), OS default | not set (default 7200000)"),
             qPrintable(w));
    QVERIFY2(w.contains(u"fixed by Windows"), qPrintable(w));
}

void TestSystemKeepaliveView::warnsAboveMiddleboxTimeouts_data()
{
    QTest::addColumn<int>("idle");
    QTest::addColumn<QStringList>("warned");
    QTest::addColumn<QStringList>("notWarned");
    const QString azure = u"Azure Load Balancer"_qs, aws = u"AWS Network Load Balancer"_qs,
                  vpc = u"GCP VPC firewall"_qs, nat = u"GCP Cloud NAT"_qs;
    QTest::newRow("Linux default 7200 s") << 7200 << QStringList{azure, aws, vpc, nat} << QStringList{};
    QTest::newRow("60 s") << 60 << QStringList{} << QStringList{azure, aws, vpc, nat};
    QTest::newRow("300 s: only Azure") << 300 << QStringList{azure} << QStringList{aws, vpc, nat};
    QTest::newRow("900 s") << 900 << QStringList{azure, aws, vpc} << QStringList{nat};
}

void TestSystemKeepaliveView::warnsAboveMiddleboxTimeouts()
{
    QFETCH(int, idle);
    QFETCH(QStringList, warned);
    QFETCH(QStringList, notWarned);
    SystemKeepaliveView view(linuxDefaults(idle), {});
    const QString all = view.warnings().join(u'\n');
    QCOMPARE(view.warnings().size(), warned.size());
    for (const QString &name : warned)
        QVERIFY2(all.contains(name), qPrintable(all));
    for (const QString &name : notWarned)
        QVERIFY2(!all.contains(name), qPrintable(all));
    const QString shown = view.findChild<QLabel *>(u"systemDefaultsWarning"_qs)->text();
    QCOMPARE(shown.startsWith(u"⚠"), !warned.isEmpty());
    if (warned.contains(u"Azure Load Balancer"_qs))
        QVERIFY2(shown.contains(u"silently"), qPrintable(shown));
    // Where the figures come from is said.
    const QString sources = view.findChild<QLabel *>(u"systemDefaultsSources"_qs)->text();
    QVERIFY2(sources.contains(u"AWS") && sources.contains(u"documentation"), qPrintable(sources));
}

void TestSystemKeepaliveView::linuxCommandsNameTheSysctls()
{
    SystemKeepaliveView view(linuxDefaults(7200), {});
    QCOMPARE(view.findChild<QComboBox *>(u"systemCommandsPlatform"_qs)->currentText(), u"Linux"_qs);
    const QString all = view.commands().join(u'\n');
    QVERIFY2(all.contains(u"sudo sysctl -w net.ipv4.tcp_keepalive_time=60"), qPrintable(all));
    QVERIFY2(all.contains(u"sudo sysctl -w net.ipv4.tcp_keepalive_intvl=10"), qPrintable(all));
    QVERIFY2(all.contains(u"sudo sysctl -w net.ipv4.tcp_keepalive_probes=6"), qPrintable(all));
    QVERIFY2(all.contains(u"/etc/sysctl.d/"), qPrintable(all));
    // The proposed values follow the fields.
    view.findChild<QSpinBox *>(u"systemCommandsIdle"_qs)->setValue(120);
    QVERIFY2(view.commands().join(u'\n').contains(u"net.ipv4.tcp_keepalive_time=120"),
             qPrintable(view.commands().join(u'\n')));
    // A value already in force needs no command.
    view.findChild<QSpinBox *>(u"systemCommandsInterval"_qs)->setValue(75);
    QVERIFY(!view.commands().join(u'\n').contains(u"tcp_keepalive_intvl"));
}

void TestSystemKeepaliveView::otherPlatformsCommands()
{
    SystemKeepaliveView view(linuxDefaults(7200), {});
    auto *platform = view.findChild<QComboBox *>(u"systemCommandsPlatform"_qs);
    platform->setCurrentIndex(platform->findData(u"Windows"_qs));
    QString all = view.commands().join(u'\n');
    QVERIFY2(all.contains(u"reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\" /v "
                          u"KeepAliveTime /t REG_DWORD /d 60000"),
             qPrintable(all));
    QVERIFY2(all.contains(u"/v KeepAliveInterval /t REG_DWORD /d 10000"), qPrintable(all));
    QVERIFY2(all.contains(u"fixed at 10"), qPrintable(all));
    platform->setCurrentIndex(platform->findData(u"macOS"_qs));
    all = view.commands().join(u'\n');
    QVERIFY2(all.contains(u"sudo sysctl -w net.inet.tcp.keepidle=60000"), qPrintable(all)); // milliseconds
    QVERIFY2(all.contains(u"net.inet.tcp.keepintvl=10000"), qPrintable(all));
    QVERIFY2(all.contains(u"net.inet.tcp.keepcnt=6"), qPrintable(all));

    // On Windows itself the Windows commands come first.
    SystemKeepaliveView windows(windowsDefaults(), {});
    QCOMPARE(windows.findChild<QComboBox *>(u"systemCommandsPlatform"_qs)->currentText(), u"Windows"_qs);
    QVERIFY(windows.commands().join(u'\n').contains(u"KeepAliveTime"));
}

void TestSystemKeepaliveView::copyButtonCopiesItsCommand()
{
    SystemKeepaliveView view(linuxDefaults(7200), {});
    auto *command = view.findChild<QLineEdit *>(u"systemCommand0"_qs);
    auto *copy = view.findChild<QPushButton *>(u"systemCommandCopy0"_qs);
    QVERIFY(command && copy);
    QVERIFY(command->isReadOnly());
    QApplication::clipboard()->clear();
    copy->click();
    QCOMPARE(QApplication::clipboard()->text(), command->text());
    QVERIFY(command->text().startsWith(u"sudo sysctl -w net.ipv4."));
    QVERIFY(!copy->accessibleName().isEmpty());
}

void TestSystemKeepaliveView::listsEndpointsThatOverride()
{
    const QList<EndpointConfig> endpoints{
        endpoint(R"({"name": "db", "kind": "tcp", "host": "db", "port": 5432,
                     "keepalive": {"idle_s": 30, "interval_s": 5, "count": 3}})"),
        endpoint(
            R"({"name": "cache", "kind": "tcp", "host": "c", "port": 6379, "keepalive": {"idle_s": 45}})"),
        endpoint(
            R"({"name": "plain", "kind": "tcp", "host": "p", "port": 80, "keepalive": {"enabled": true}})"),
        endpoint(R"({"name": "silent", "kind": "tcp", "host": "s", "port": 81})"),
    };
    SystemKeepaliveView view(linuxDefaults(7200), endpoints);
    auto *table = view.findChild<QTableWidget *>(u"systemOverridesTable"_qs);
    const QString text = tableText(table);
    QCOMPARE(table->rowCount(), 3);
    QVERIFY2(text.contains(u"db | idle 30 s, interval 5 s, 3 probes | nothing"), qPrintable(text));
    QVERIFY2(text.contains(u"cache | idle 45 s | interval, probe count"), qPrintable(text));
    QVERIFY2(text.contains(u"plain | keepalive on, no timings | idle, interval, probe count"),
             qPrintable(text));
    QVERIFY(!text.contains(u"silent"));
    const QString summary = view.findChild<QLabel *>(u"systemOverridesSummary"_qs)->text();
    QVERIFY2(summary.contains(u"3 endpoints turn keepalive on"), qPrintable(summary));
    QVERIFY2(summary.contains(u"1 endpoint leaves keepalive off"), qPrintable(summary));
}

void TestSystemKeepaliveView::rendersReadably()
{
    // Every control a screen reader reaches has a name; the smallest supported window shows it all.
    SystemKeepaliveView view(linuxDefaults(7200), {});
    view.resize(1024, 640);
    view.show();
    for (QWidget *w : view.findChildren<QWidget *>()) {
        if (qobject_cast<QPushButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QSpinBox *>(w) ||
            qobject_cast<QComboBox *>(w))
            QVERIFY2(!w->accessibleName().isEmpty() || qobject_cast<QSpinBox *>(w->parentWidget()) ||
                         qobject_cast<QComboBox *>(w->parentWidget()),
                     qPrintable(QString::fromLatin1(w->metaObject()->className()) + u' ' + w->objectName()));
    }
    if (!qEnvironmentVariableIsEmpty("KW_SCREENSHOT_DIR"))
        view.grab().save(qEnvironmentVariable("KW_SCREENSHOT_DIR") + u"/systemkeepalive.png"_qs);

    // In a dark palette the warning keeps its colour apart from the text around it.
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x30, 0x30, 0x30));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    const QPalette light = QApplication::palette();
    QApplication::setPalette(dark);
    SystemKeepaliveView darkView(linuxDefaults(7200), {});
    QApplication::setPalette(light);
    darkView.resize(1024, 640);
    darkView.show();
    const auto warningColour = [](const SystemKeepaliveView &v) {
        return v.findChild<QLabel *>(u"systemDefaultsWarning"_qs)->palette().color(QPalette::WindowText);
    };
    QCOMPARE(warningColour(darkView), StateStyle::color(EndpointState::Down, true));
    QCOMPARE(warningColour(view), StateStyle::color(EndpointState::Down, StateStyle::isDark(light)));
    if (!qEnvironmentVariableIsEmpty("KW_SCREENSHOT_DIR"))
        darkView.grab().save(qEnvironmentVariable("KW_SCREENSHOT_DIR") + u"/systemkeepalive-dark.png"_qs);
}

void TestSystemKeepaliveView::openedFromTheWindow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
    Workspace workspace;
    workspace.endpoints << endpoint(R"({"name": "db", "kind": "tcp", "host": "127.0.0.1", "port": 9,
        "enabled": false, "keepalive": {"idle_s": 30}})");
    Engine engine(EngineOptions{});
    QString error;
    QVERIFY2(engine.start(workspace, &error), qPrintable(error));
    {
        MainWindow window(&engine, &settings);
        window.show();
        auto *open = window.findChild<QAction *>(u"actionSystemKeepalive"_qs);
        QVERIFY(open);
        QVERIFY(!open->text().isEmpty());
        open->trigger();
        auto *view = window.findChild<SystemKeepaliveView *>();
        QVERIFY(view);
        QVERIFY(view->isVisible());
        // This machine's defaults, and the window's workspace.
        QVERIFY(!view->findChild<QTableWidget *>(u"systemDefaultsTable"_qs)->item(0, 2)->text().isEmpty());
        const QString overrides = tableText(view->findChild<QTableWidget *>(u"systemOverridesTable"_qs));
        QVERIFY2(overrides.startsWith(u"db | idle 30 s"), qPrintable(overrides));
        view->close();
    }
    engine.shutdown();
}

QTEST_MAIN(TestSystemKeepaliveView)
#include "tst_systemkeepaliveview.moc"
