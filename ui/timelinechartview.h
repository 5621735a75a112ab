#pragma once

#include "timelinedata.h"

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QString>

#include <optional>

namespace kw {

// The chart of an endpoint's timeline with what Qt Charts has no series for: the state band above
// the plot, a vertical marker at every drop and reconnect, their texts on hover, and the wheel zoom
// and drag pan that the timeline turns into a new visible range.
class TimelineChartView final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineChartView)

public:
    struct Overlay
    {
        qint64 fromMs = 0; // the time axis' range, which the chart's plot area spans
        qint64 toMs = 1;
        QList<TimelineSpan> spans;
        QList<TimelineMarker> markers;
    };

    explicit TimelineChartView(QChart *chart, QWidget *parent = nullptr);
    ~TimelineChartView() override;

    void setOverlay(Overlay overlay);
    const Overlay &overlay() const { return m_overlay; }
    // The band's height; the chart's top margin leaves this much room above the plot.
    int bandHeight() const;

    // What hovering at a viewport position shows: the nearest marker's text, else the state span's.
    QString toolTipAt(const QPoint &viewportPos) const;
    static QString markerText(const TimelineMarker &marker);
    static QString spanText(const TimelineSpan &span);

Q_SIGNALS:
    // `factor` < 1 zooms in; the time under the cursor stays put.
    void zoomRequested(double factor, qint64 anchorMs);
    void panRequested(qint64 deltaMs);

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    QRectF plotRect() const; // scene coordinates
    QRectF bandRect() const;
    double xOf(qint64 ms) const;
    qint64 msAt(double sceneX) const;
    std::optional<qsizetype> markerNear(double sceneX) const;
    QString sampleTextNear(const QPointF &scene) const; // the drawn point within a few pixels

    Overlay m_overlay;
    std::optional<double> m_dragX; // scene x of the last drag position
};

} // namespace kw
