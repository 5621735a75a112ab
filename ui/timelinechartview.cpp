#include "timelinechartview.h"

#include "statestyle.h"
#include "timeformat.h"

#include <QAbstractAxis>
#include <QChart>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimeZone>
#include <QToolTip>
#include <QWheelEvent>
#include <QXYSeries>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kw {

namespace {
constexpr double kMarkerHitPx = 5;

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

QString causeText(const Cause &cause)
{
    return cause.isNone() ? QString() : QString::fromStdString(cause.name());
}
} // namespace

TimelineChartView::TimelineChartView(QChart *chart, QWidget *parent) : QChartView(chart, parent)
{
    setObjectName(QStringLiteral("timelineChartView"));
    setAccessibleName(tr("Timeline of the selected endpoint"));
    setAccessibleDescription(tr("State band, round-trip times by source, keepalive probes and retransmits; "
                                "wheel to zoom, drag to pan"));
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setDragMode(QGraphicsView::NoDrag);
    setRubberBand(QChartView::NoRubberBand);
}

TimelineChartView::~TimelineChartView() = default;

int TimelineChartView::bandHeight() const
{
    return fontMetrics().height() + 8;
}

void TimelineChartView::setOverlay(Overlay overlay)
{
    m_overlay = std::move(overlay);
    viewport()->update();
}

QRectF TimelineChartView::plotRect() const
{
    return chart()->mapRectToScene(chart()->plotArea());
}

QRectF TimelineChartView::bandRect() const
{
    const QRectF plot = plotRect();
    return {plot.left(), plot.top() - bandHeight() - 4, plot.width(), double(bandHeight())};
}

double TimelineChartView::xOf(qint64 ms) const
{
    const QRectF plot = plotRect();
    const double span = double(std::max<qint64>(1, m_overlay.toMs - m_overlay.fromMs));
    return plot.left() + double(ms - m_overlay.fromMs) / span * plot.width();
}

qint64 TimelineChartView::msAt(double sceneX) const
{
    const QRectF plot = plotRect();
    const double span = double(std::max<qint64>(1, m_overlay.toMs - m_overlay.fromMs));
    return m_overlay.fromMs + qint64((sceneX - plot.left()) / std::max(1.0, plot.width()) * span);
}

std::optional<qsizetype> TimelineChartView::markerNear(double sceneX) const
{
    std::optional<qsizetype> best;
    double bestDistance = kMarkerHitPx;
    for (qsizetype i = 0; i < m_overlay.markers.size(); ++i) {
        const double d = std::abs(xOf(m_overlay.markers.at(i).ms) - sceneX);
        if (d <= bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

QString TimelineChartView::markerText(const TimelineMarker &m)
{
    using std::chrono::milliseconds;
    const QString cause = causeText(m.cause);
    QStringList lines;
    if (m.kind == TimelineMarker::Kind::Drop) {
        lines << (cause.isEmpty() ? tr("Down at %1").arg(TimeFormat::absolute(utc(m.ms)))
                                  : tr("Down at %1: %2").arg(TimeFormat::absolute(utc(m.ms)), cause));
        if (!m.detail.isEmpty())
            lines << m.detail;
        if (m.backoffMs)
            lines
                << tr("Backoff: next attempt after %1").arg(TimeFormat::duration(milliseconds(*m.backoffMs)));
        else if (!m.backoffDetail.isEmpty())
            lines << tr("Backoff: %1").arg(m.backoffDetail);
    } else {
        lines << tr("Up again at %1").arg(TimeFormat::absolute(utc(m.ms)));
        if (m.downForMs)
            lines << tr("Down for %1").arg(TimeFormat::duration(milliseconds(*m.downForMs)));
        if (!cause.isEmpty())
            lines << (m.detail.isEmpty() ? tr("after %1").arg(cause)
                                         : tr("after %1: %2").arg(cause, m.detail));
    }
    return lines.join(u'\n');
}

QString TimelineChartView::spanText(const TimelineSpan &span)
{
    return tr("%1 from %2 to %3 (%4)")
        .arg(StateStyle::label(span.state), TimeFormat::absolute(utc(span.fromMs)),
             TimeFormat::absolute(utc(span.toMs)),
             TimeFormat::duration(std::chrono::milliseconds(span.toMs - span.fromMs)));
}

QString TimelineChartView::toolTipAt(const QPoint &viewportPos) const
{
    const QPointF scene = mapToScene(viewportPos);
    const QRectF plot = plotRect();
    const QRectF band = bandRect();
    if (scene.x() < plot.left() - kMarkerHitPx || scene.x() > plot.right() + kMarkerHitPx ||
        scene.y() < band.top() || scene.y() > plot.bottom())
        return {};
    if (const std::optional<qsizetype> marker = markerNear(scene.x()))
        return markerText(m_overlay.markers.at(*marker));
    if (scene.y() <= band.bottom()) {
        const qint64 at = msAt(scene.x());
        for (const TimelineSpan &span : m_overlay.spans) {
            if (span.fromMs <= at && at < span.toMs)
                return spanText(span);
        }
        return {};
    }
    return sampleTextNear(scene);
}

QString TimelineChartView::sampleTextNear(const QPointF &scene) const
{
    constexpr double kHitPx = 8;
    QXYSeries *bestSeries = nullptr;
    QPointF best;
    double bestDistance = kHitPx;
    for (QAbstractSeries *abstract : chart()->series()) {
        auto *series = qobject_cast<QXYSeries *>(abstract);
        if (!series || !series->isVisible() || series->count() == 0)
            continue;
        // Points are in time order: look at the two either side of the cursor's time.
        const QList<QPointF> points = series->points();
        const double t = double(msAt(scene.x()));
        const auto it = std::lower_bound(points.cbegin(), points.cend(), t,
                                         [](const QPointF &p, double x) { return p.x() < x; });
        for (auto candidate : {it, it == points.cbegin() ? it : it - 1}) {
            if (candidate == points.cend())
                continue;
            const QPointF at = chart()->mapToScene(chart()->mapToPosition(*candidate, series));
            const double d = std::hypot(at.x() - scene.x(), at.y() - scene.y());
            if (d <= bestDistance) {
                bestDistance = d;
                best = *candidate;
                bestSeries = series;
            }
        }
    }
    if (!bestSeries)
        return {};
    // The RTT series sit on the left axis; probes and retransmits are counts on the right one.
    const QList<QAbstractAxis *> axes = bestSeries->attachedAxes();
    const bool rtt = std::any_of(axes.cbegin(), axes.cend(),
                                 [](const QAbstractAxis *a) { return a->alignment() == Qt::AlignLeft; });
    const QString value =
        rtt ? tr("%1 ms").arg(QLocale().toString(best.y(), 'g', 4)) : QLocale().toString(qRound(best.y()));
    return tr("%1 at %2: %3").arg(bestSeries->name(), TimeFormat::absolute(utc(qint64(best.x()))), value);
}

void TimelineChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = plotRect();
    if (plot.width() < 2)
        return;
    const bool dark = StateStyle::isDark(palette());
    const QRectF band = bandRect();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);

    QColor empty = palette().color(QPalette::Text);
    empty.setAlpha(22);
    painter->fillRect(band, empty);
    painter->setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics = fontMetrics();
    const QString caption = tr("State");
    if (plot.left() > metrics.horizontalAdvance(caption) + 8)
        painter->drawText(QRectF(0, band.top(), plot.left() - 6, band.height()),
                          Qt::AlignRight | Qt::AlignVCenter, caption);

    for (const TimelineSpan &span : std::as_const(m_overlay.spans)) {
        const double x0 = std::max(plot.left(), xOf(span.fromMs));
        const double x1 = std::min(plot.right(), xOf(span.toMs));
        if (x1 < plot.left() || x0 > plot.right())
            continue;
        // At least one pixel, so a one-second blip on a 7-day range still shows.
        const QRectF r(std::floor(x0), band.top(), std::max(1.0, std::ceil(x1) - std::floor(x0)),
                       band.height());
        const QColor fill = StateStyle::color(span.state, dark);
        painter->fillRect(r, fill);
        const QString label = StateStyle::label(span.state);
        if (r.width() > metrics.horizontalAdvance(label) + 8) {
            // The light variants are 800 tones (white text reads on them), the dark ones 300-400.
            painter->setPen(dark ? QColor(0x12, 0x12, 0x12) : QColor(Qt::white));
            painter->drawText(r.adjusted(4, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, label);
        }
    }

    painter->setRenderHint(QPainter::Antialiasing, true);
    for (const TimelineMarker &m : std::as_const(m_overlay.markers)) {
        const double x = xOf(m.ms);
        if (x < plot.left() - 1 || x > plot.right() + 1)
            continue;
        const bool drop = m.kind == TimelineMarker::Kind::Drop;
        const QColor color = StateStyle::color(drop ? EndpointState::Down : EndpointState::Up, dark);
        QPen pen(color, drop ? 1.6 : 1.2, drop ? Qt::SolidLine : Qt::DashLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(x, band.bottom()), QPointF(x, plot.bottom()));
        // A notch under the band: a drop points down, a reconnect up.
        QPainterPath notch;
        const double y = band.bottom() + 1;
        if (drop) {
            notch.moveTo(x - 5, y);
            notch.lineTo(x + 5, y);
            notch.lineTo(x, y + 7);
        } else {
            notch.moveTo(x - 5, y + 7);
            notch.lineTo(x + 5, y + 7);
            notch.lineTo(x, y);
        }
        notch.closeSubpath();
        painter->setPen(QPen(palette().color(QPalette::Base), 1));
        painter->setBrush(color);
        painter->drawPath(notch);
    }
    painter->restore();
}

void TimelineChartView::wheelEvent(QWheelEvent *event)
{
    const QPointF scene = mapToScene(event->position().toPoint());
    const int steps = event->angleDelta().y();
    if (steps == 0 || !plotRect().adjusted(0, -bandHeight() - 4, 0, 0).contains(scene)) {
        QChartView::wheelEvent(event);
        return;
    }
    // One notch (120) is 20 %; trackpads send smaller steps.
    const double factor = std::pow(0.8, double(steps) / 120.0);
    Q_EMIT zoomRequested(factor, msAt(scene.x()));
    event->accept();
}

void TimelineChartView::mousePressEvent(QMouseEvent *event)
{
    const QPointF scene = mapToScene(event->position().toPoint());
    if (event->button() == Qt::LeftButton && plotRect().contains(scene)) {
        m_dragX = scene.x();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void TimelineChartView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragX) {
        const double x = mapToScene(event->position().toPoint()).x();
        const double span = double(m_overlay.toMs - m_overlay.fromMs);
        const qint64 delta = qint64((*m_dragX - x) / std::max(1.0, plotRect().width()) * span);
        m_dragX = x;
        if (delta != 0)
            Q_EMIT panRequested(delta);
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void TimelineChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragX && event->button() == Qt::LeftButton) {
        m_dragX.reset();
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

bool TimelineChartView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QChartView::viewportEvent(event);
}

} // namespace kw
