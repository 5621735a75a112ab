#pragma once

#include "event.h"
#include "metricsregistry.h"
#include "snapshot.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

namespace kw {

// The /metrics registry on a thread of its own (MetricsServer starts it): the engine's snapshots and
// event batches are applied there and the text is rendered there, so a scrape at 10,000 endpoints
// (over 100 ms and 58 MB, docs/benchmarks.md) never holds up the window. Its inputs are immutable
// (SnapshotPtr) or implicitly shared copies (the event lists); the registry is touched by this thread
// only, so a render sees the snapshots and events queued before it, and nothing after.
class MetricsRenderer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsRenderer)

public:
    explicit MetricsRenderer(const QString &version, QObject *parent = nullptr);
    ~MetricsRenderer() override;

    // Called on the renderer's thread (MetricsServer queues them there).
    void addSnapshot(const SnapshotPtr &snapshot);
    void addEvents(const QList<Event> &events);
    // Renders at the current time; `ticket` comes back with the text.
    void render(quint64 ticket);

Q_SIGNALS:
    // Emitted on the renderer's thread just before the text is built.
    void renderStarted(quint64 ticket);
    void rendered(quint64 ticket, const QByteArray &text);

private:
    MetricsRegistry m_registry;
};

} // namespace kw
