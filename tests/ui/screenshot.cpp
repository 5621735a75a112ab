// Renders the main window over a realistic workspace to a PNG (the README's
// docs/screenshot.png):  kw_ui_screenshot docs/screenshot.png [width height]
// With --dialog it renders the endpoint dialog editing an endpoint instead, --mqtt-dialog its MQTT tab;
// --dark uses a dark Fusion palette (checks the dark colour variants); --select NAME selects that
// endpoint instead of orders-db (mqtt-broker shows the MQTT details and its devices).
#include "demodata.h"
#include "endpointdialog.h"
#include "endpointpanel.h"
#include "engine.h"
#include "mainwindow.h"
#include "workspace.h"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>

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
