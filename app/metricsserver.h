#pragma once

#include "event.h"
#include "snapshot.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpSocket>

#include <memory>
#include <optional>

class QThread;

namespace kw {

class Engine;
class MetricsRenderer;

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
// registry's counters. The registry lives on a thread of its own (MetricsRenderer): the snapshots and
// event batches are queued to it, and a scrape is rendered there while the GUI thread goes on; the
// answer is written when the text is ready. Scrapes that arrive during a render share the next one,
// so at most one render runs and one waits, however many scrapers there are. Everything else is 404.
class MetricsServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsServer)

public:
    // Follows the engine's snapshots and event batches from now on: make it before Engine::start().
    MetricsServer(const Engine *engine, const QString &version, QObject *parent = nullptr);
    // Fed through addSnapshot() and addEvents() only.
    explicit MetricsServer(const QString &version, QObject *parent = nullptr);
    ~MetricsServer() override;

    // Queued to the renderer's thread, in the order given.
    void addSnapshot(const SnapshotPtr &snapshot);
    void addEvents(const QList<Event> &events);

    // False with a message naming the address and the fix when it cannot listen there.
    bool listen(const MetricsAddress &address, QString *error);
    // "http://127.0.0.1:9464/metrics", with the port actually bound.
    QString url() const;

    // The renderer, on its own thread: its signals tell when a render starts and ends there.
    const MetricsRenderer *renderer() const { return m_renderer; }
    // Scrapes not answered yet (their connection still open): the render's and the next one's.
    qsizetype pendingScrapes() const;

private:
    class Http;

    void scrape(QTcpSocket *socket);
    void startRender();
    void answer(quint64 ticket, const QByteArray &text);

    std::unique_ptr<Http> m_http;
    QThread *m_thread = nullptr;
    MetricsRenderer *m_renderer = nullptr;   // lives in m_thread; deleted after it stops
    QList<QPointer<QTcpSocket>> m_waiting;   // scrapes for the next render
    QList<QPointer<QTcpSocket>> m_rendering; // scrapes the render in progress answers
    quint64 m_ticket = 0;                    // of the render in progress; 0 when none
    quint64 m_lastTicket = 0;
    MetricsAddress m_bound;
};

// `--metrics`: a server for the engine, listening, with "serving metrics at URL" on stderr; owned by
// `parent`. Null with the message when it cannot listen.
MetricsServer *startMetricsServer(const Engine *engine, const MetricsAddress &address, QObject *parent,
                                  QString *error);

} // namespace kw
