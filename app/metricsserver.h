#pragma once

#include "metricsregistry.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QHttpServer;

namespace kw {

class Engine;

// Where `--metrics [ADDR:]PORT` listens: 127.0.0.1 unless an address is given; an IPv6 address in
// brackets ("[::1]:9464"). Port 0 takes any free port (the one chosen is printed).
struct MetricsAddress
{
    QHostAddress address{QHostAddress::LocalHost};
    quint16 port = 0;

    // "127.0.0.1:9464", "[::1]:9464"
    QString text() const;
};

// nullopt with a message naming the value and the expected form.
std::optional<MetricsAddress> parseMetricsAddress(const QString &text, QString *error);

// Serves GET /metrics (the Prometheus text format, version 0.0.4) from the latest snapshot and the
// registry's counters, both kept on the GUI thread: a scrape renders there and never waits for the
// engine thread. Everything else is 404.
class MetricsServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsServer)

public:
    // Follows the engine's snapshots and event batches from now on: make it before Engine::start().
    MetricsServer(const Engine *engine, const QString &version, QObject *parent = nullptr);
    ~MetricsServer() override;

    // False with a message naming the address and the fix when it cannot listen there.
    bool listen(const MetricsAddress &address, QString *error);
    // "http://127.0.0.1:9464/metrics", with the port actually bound.
    QString url() const;

    const MetricsRegistry &registry() const { return m_registry; }

private:
    MetricsRegistry m_registry;
    std::unique_ptr<QHttpServer> m_http;
    MetricsAddress m_bound;
};

// `--metrics`: a server for the engine, listening, with "serving metrics at URL" on stderr; owned by
// `parent`. Null with the message when it cannot listen.
MetricsServer *startMetricsServer(const Engine *engine, const MetricsAddress &address, QObject *parent,
                                  QString *error);

} // namespace kw
