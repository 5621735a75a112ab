#include "metricsrenderer.h"

#include <QDateTime>

namespace kw {

MetricsRenderer::MetricsRenderer(const QString &version, QObject *parent)
    : QObject(parent), m_registry(version)
{}

MetricsRenderer::~MetricsRenderer() = default;

void MetricsRenderer::addSnapshot(const SnapshotPtr &snapshot)
{
    m_registry.addSnapshot(snapshot);
}

void MetricsRenderer::addEvents(const QList<Event> &events)
{
    m_registry.addEvents(events);
}

void MetricsRenderer::render(quint64 ticket)
{
    Q_EMIT renderStarted(ticket);
    Q_EMIT rendered(ticket, m_registry.render(QDateTime::currentDateTimeUtc()));
}

} // namespace kw
