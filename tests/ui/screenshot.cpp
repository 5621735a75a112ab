// Renders the main window over a realistic workspace to a PNG (the README's
// docs/screenshot.png):  kw_ui_screenshot docs/screenshot.png [width height]
// With --dialog it renders the endpoint dialog editing an endpoint instead, --mqtt-dialog its MQTT tab;
// --dark uses a dark Fusion palette (checks the dark colour variants); --select NAME selects that
// endpoint instead of orders-db (mqtt-broker shows the MQTT details and its devices).
// With --all DIR it writes the set the README and docs show, over a day of demo history read back from
// a real event log: window.png, timeline.png (a reconnect with its marker), editor.png (a TLS WebSocket
// endpoint's keepalive tab), system-keepalive.png and fleet.png (a day of reconnects by cause).
#include "demodata.h"
#include "endpointdialog.h"
#include "endpointpanel.h"
#include "endpointtimeline.h"
#include "engine.h"
#include "eventlog.h"
#include "fleetreconnectchart.h"
#include "historyreader.h"
#include "mainwindow.h"
#include "systemkeepaliveview.h"
#include "workspace.h"

#include <QApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

namespace {

bool save(QWidget &widget, const QString &path)
{
    if (widget.grab().save(path))
        return true;
    std::fprintf(stderr, "kw_ui_screenshot: cannot write %s\n", qPrintable(path));
    return false;
}

void settle(kw::MainWindow &window)
{
    for (int round = 0; round < 4; ++round) {
        window.history()->waitForIdle();
        for (int i = 0; i < 5; ++i)
            QApplication::processEvents();
    }
}

int renderAll(const QString &dirPath)
{
    QDir().mkpath(dirPath);
    const QDir out(dirPath);
    QTemporaryDir dir;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const kw::test::DemoData demo = kw::test::makeDemoData(now);
    {
        QString error;
        std::unique_ptr<kw::EventLog> log = kw::EventLog::open(dir.path(), &error);
        if (!log || !log->append(kw::test::makeDemoHistory(now) + demo.events, &error)) {
            std::fprintf(stderr, "kw_ui_screenshot: %s\n", qPrintable(error));
            return 1;
        }
    }
    QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
    kw::Engine engine(kw::EngineOptions{dir.path(), {}});
    kw::MainWindow window(&engine, &settings);
    window.resize(1440, 900);
    window.applySnapshot(demo.snapshot);
    window.appendEvents(demo.events);
    window.endpointPanel()->selectName(u"payments-api"_qs);
    window.show();
    window.timeline()->setRange(kw::EndpointTimeline::Range::OneHour);
    settle(window);
    bool ok = save(window, out.filePath(u"window.png"_qs));

    window.fleetChart()->setRange(kw::FleetReconnectChart::Range::Day);
    settle(window);
    ok = save(*window.fleetChart(), out.filePath(u"fleet.png"_qs)) && ok;

    window.endpointPanel()->selectName(u"orders-db"_qs);
    window.timeline()->setRange(kw::EndpointTimeline::Range::FiveMinutes);
    settle(window);
    ok = save(*window.timeline(), out.filePath(u"timeline.png"_qs)) && ok;

    const QJsonObject json = QJsonDocument::fromJson(R"({"name": "quotes-stream", "kind": "websocket",
        "url": "wss://quotes.example.net/v2/stream", "tags": ["prod", "market-data"],
        "websocket": {"ping_interval_s": 15, "pong_timeout_s": 5, "subprotocols": ["quotes.v2"]},
        "tls": {"server_name": "quotes.example.net", "warn_expiry_days": 21},
        "keepalive": {"enabled": true, "idle_s": 20, "interval_s": 5, "count": 3}})")
                                 .object();
    const kw::EndpointResult parsed = kw::parseEndpoint(json, u"demo"_qs);
    if (!parsed.endpoint) {
        std::fprintf(stderr, "kw_ui_screenshot: %s\n", qPrintable(parsed.errors.join(u'\n')));
        return 1;
    }
    kw::EndpointDialog dialog(&*parsed.endpoint, {u"orders-db"_qs});
    auto *tabs = dialog.findChild<QTabWidget *>(u"endpointDialogTabs"_qs);
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->widget(i)->objectName().contains(u"eepalive"_qs) ||
            tabs->tabText(i).contains(u"eepalive"_qs))
            tabs->setCurrentIndex(i);
    }
    dialog.show();
    QApplication::processEvents();
    ok = save(dialog, out.filePath(u"editor.png"_qs)) && ok;
    dialog.hide();

    // A stock Linux machine, so the picture is the same wherever it is made.
    kw::net::SystemDefaults defaults;
    defaults.platform = kw::net::kPlatformLinux;
    defaults.keepaliveTime = {7200, "s", "/proc/sys/net/ipv4/tcp_keepalive_time", true};
    defaults.keepaliveInterval = {75, "s", "/proc/sys/net/ipv4/tcp_keepalive_intvl", true};
    defaults.keepaliveProbes = {9, "", "/proc/sys/net/ipv4/tcp_keepalive_probes", true};
    defaults.retransmitGiveUp = {15, "", "/proc/sys/net/ipv4/tcp_retries2", true};
    defaults.conntrackEstablished = {432000, "s",
                                     "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established", true};
    kw::Workspace workspace;
    workspace.endpoints << *parsed.endpoint;
    kw::SystemKeepaliveView system(defaults, workspace.endpoints);
    system.show();
    QApplication::processEvents();
    ok = save(system, out.filePath(u"system-keepalive.png"_qs)) && ok;
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStringList args = app.arguments();
    const bool dialogOnly = args.removeAll(u"--dialog"_qs) > 0;
    const bool mqttDialog = args.removeAll(u"--mqtt-dialog"_qs) > 0;
    QString select = u"orders-db"_qs;
    if (const qsizetype at = args.indexOf(u"--select"_qs); at > 0 && at + 1 < args.size()) {
        select = args.at(at + 1);
        args.remove(at, 2);
    }
    if (args.removeAll(u"--dark"_qs) > 0) {
        QApplication::setStyle(u"Fusion"_qs);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
    }
    if (const qsizetype at = args.indexOf(u"--all"_qs); at > 0 && at + 1 < args.size())
        return renderAll(args.at(at + 1));
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: kw_ui_screenshot OUTPUT.png [WIDTH HEIGHT]\n");
        return 2;
    }
    const int width = args.size() >= 4 ? args.at(2).toInt() : 1440;
    const int height = args.size() >= 4 ? args.at(3).toInt() : 860;

    if (mqttDialog) {
        const QJsonObject json = QJsonDocument::fromJson(R"({"name": "plant-broker", "kind": "mqtt",
            "host": "mqtt.plant.internal", "mqtt": {"transport": "tls", "keepalive_s": 30, "ping_timeout_s": 5,
            "username": "keepwatch", "password_env": "PLANT_MQTT_PASSWORD", "watch": [
                {"topic": "plant/+/heartbeat", "timeout_s": 15, "will_payload": "offline"},
                {"topic": "lab/sensors/#", "timeout_s": 120, "retained_counts": true}]}})")
                                     .object();
        const kw::EndpointResult parsed = kw::parseEndpoint(json, u"demo"_qs);
        if (!parsed.endpoint) {
            std::fprintf(stderr, "%s\n", qPrintable(parsed.errors.join(u'\n')));
            return 1;
        }
        kw::EndpointDialog dialog(&*parsed.endpoint, {});
        auto *tabs = dialog.findChild<QTabWidget *>(u"endpointDialogTabs"_qs);
        tabs->setCurrentIndex(tabs->count() - 1);
        dialog.resize(640, 640);
        dialog.show();
        QApplication::processEvents();
        return dialog.grab().save(args.at(1)) ? 0 : 1;
    }
    if (dialogOnly) {
        const QJsonObject json = QJsonDocument::fromJson(R"({"name": "payments-api", "kind": "tcp",
            "host": "payments.internal", "port": 443, "owner": "team-payments",
            "keepalive": {"enabled": true, "idle_s": 15, "interval_s": 3, "count": 3},
            "reconnect": {"initial_ms": 500, "max_ms": 60000}})")
                                     .object();
        const kw::EndpointResult parsed = kw::parseEndpoint(json, u"demo"_qs);
        kw::EndpointDialog dialog(&*parsed.endpoint, {u"orders-db"_qs});
        dialog.findChild<QTabWidget *>(u"endpointDialogTabs"_qs)->setCurrentIndex(1);
        dialog.show();
        QApplication::processEvents();
        return dialog.grab().save(args.at(1)) ? 0 : 1;
    }

    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
    kw::Engine engine(kw::EngineOptions{{}, u"/srv/keepwatch/production.json"_qs});
    kw::MainWindow window(&engine, &settings);
    window.resize(width, height);

    const kw::test::DemoData demo = kw::test::makeDemoData(QDateTime::currentDateTimeUtc());
    window.applySnapshot(demo.snapshot);
    window.appendEvents(demo.events);
    window.endpointPanel()->selectName(select);
    window.show();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();

    const QImage image = window.grab().toImage();
    if (!image.save(args.at(1))) {
        std::fprintf(stderr, "kw_ui_screenshot: cannot write %s\n", qPrintable(args.at(1)));
        return 1;
    }
    return 0;
}
