// The drawing half of EndpointTimeline: the chart, its series and axes, and refresh(), which
// decimates what the track holds for the visible window into them.
#include "endpointtimeline.h"

#include "historyreader.h"
#include "statestyle.h"
#include "timeformat.h"
#include "timelinechartview.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTimeZone>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace kw {

namespace {
constexpr qint64 kMinGapMs = 15'000;

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

QString seriesName(TimelineSeries series)
{
    switch (series) {
    case TimelineSeries::Connect:
        return EndpointTimeline::tr("Connect");
    case TimelineSeries::Heartbeat:
        return EndpointTimeline::tr("Heartbeat");
    case TimelineSeries::WsPing:
        return EndpointTimeline::tr("WebSocket ping");
    case TimelineSeries::MqttPing:
        return EndpointTimeline::tr("MQTT ping");
    case TimelineSeries::TcpInfoRtt:
        return EndpointTimeline::tr("TCP_INFO srtt");
    case TimelineSeries::OtherRtt:
        return EndpointTimeline::tr("Other RTT");
    case TimelineSeries::Probes:
        return EndpointTimeline::tr("Keepalive probes");
    case TimelineSeries::Retransmits:
        return EndpointTimeline::tr("Retransmits");
    case TimelineSeries::Count:
        break;
    }
    return {};
}

// Distinct from the state colours (green, amber, red, grey) so a line is never read as a state;
// 800 tones on light backgrounds, 200-300 on dark ones.
QColor seriesColor(TimelineSeries series, bool dark)
{
    switch (series) {
    case TimelineSeries::Connect:
        return dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x6a, 0x1b, 0x9a);
    case TimelineSeries::Heartbeat:
        return dark ? QColor(0x64, 0xb5, 0xf6) : QColor(0x15, 0x65, 0xc0);
    case TimelineSeries::WsPing:
        return dark ? QColor(0x4d, 0xd0, 0xe1) : QColor(0x00, 0x83, 0x8f);
    case TimelineSeries::MqttPing:
        return dark ? QColor(0xf4, 0x8f, 0xb1) : QColor(0xad, 0x14, 0x57);
    case TimelineSeries::TcpInfoRtt:
        return dark ? QColor(0xbc, 0xaa, 0xa4) : QColor(0x5d, 0x40, 0x37);
    case TimelineSeries::OtherRtt:
        return dark ? QColor(0xe6, 0xee, 0x9c) : QColor(0x82, 0x77, 0x17);
    case TimelineSeries::Probes:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xe6, 0x51, 0x00);
    case TimelineSeries::Retransmits:
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
    case TimelineSeries::Count:
        break;
    }
    return {};
}

// "5 min", "1 h", "7 d" for the whole spans the range buttons and zooming give, else "4 min 12 s".
QString spanWords(qint64 ms)
{
    constexpr qint64 kMinute = 60'000;
    constexpr qint64 kHour = 60 * kMinute;
    constexpr qint64 kDay = 24 * kHour;
    if (ms >= kDay && ms % kDay == 0)
        return EndpointTimeline::tr("%n d", nullptr, int(ms / kDay));
    if (ms >= kHour && ms % kHour == 0)
        return EndpointTimeline::tr("%n h", nullptr, int(ms / kHour));
    if (ms >= kMinute && ms % kMinute == 0)
        return EndpointTimeline::tr("%n min", nullptr, int(ms / kMinute));
    return TimeFormat::duration(std::chrono::milliseconds(ms));
}
} // namespace

void EndpointTimeline::buildChart()
{
    m_chart = new QChart;
    m_chart->setBackgroundRoundness(0);
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    // Qt Charts 6.4 lays out a legend whose markers are hidden and shown again with stale widths
    // (labels lost or elided), so the legend is a label under the chart, naming what is drawn.
    m_chart->legend()->hide();

    m_timeAxis = new QDateTimeAxis(this);
    m_rttAxis = new QValueAxis(this);
    m_countAxis = new QValueAxis(this);
    m_rttAxis->setTitleText(tr("RTT (ms)"));
    m_rttAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_countAxis->setTitleText(tr("Count"));
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setRange(0, 4);
    m_countAxis->setTickCount(5);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rttAxis, Qt::AlignLeft);
    m_chart->addAxis(m_countAxis, Qt::AlignRight);

    m_view = new TimelineChartView(m_chart, this); // takes the chart
    m_view->setMinimumHeight(180);
    m_chart->setMargins(QMargins(4, m_view->bandHeight() + 10, 4, 2));
    connect(m_view, &TimelineChartView::zoomRequested, this, &EndpointTimeline::zoom);
    connect(m_view, &TimelineChartView::panRequested, this, &EndpointTimeline::pan);
    // One column per pixel: when the axes' labels change the plot's width, decimate again.
    connect(m_chart, &QChart::plotAreaChanged, this, [this](const QRectF &plot) {
        if (plotAreaNeedsRefit(int(plot.width()), m_columns, m_previousColumns))
            queueRefresh();
    });
    for (int i = 0; i < kTimelineSeriesCount; ++i)
        segment(TimelineSeries(i), 0); // every series exists, so the legend order is fixed
}

QXYSeries *EndpointTimeline::segment(TimelineSeries series, int index)
{
    QList<QXYSeries *> &pool = m_series[size_t(series)];
    while (pool.size() <= index) {
        // A connect RTT comes once per connection: dots, not a line across hours.
        QXYSeries *line = series == TimelineSeries::Connect ? static_cast<QXYSeries *>(new QScatterSeries)
                                                            : static_cast<QXYSeries *>(new QLineSeries);
        line->setName(seriesName(series));
        m_chart->addSeries(line); // the chart owns it from here
        line->attachAxis(m_timeAxis);
        line->attachAxis(isRttSeries(series) ? m_rttAxis : m_countAxis);
        applySeriesPen(series, line);
        pool.append(line);
    }
    return pool.at(index);
}

void EndpointTimeline::applySeriesPen(TimelineSeries series, QXYSeries *line) const
{
    const QColor color = seriesColor(series, StateStyle::isDark(palette()));
    if (auto *dots = qobject_cast<QScatterSeries *>(line)) {
        dots->setMarkerSize(7);
        dots->setColor(color);
        dots->setBorderColor(color); // themes reset it to white
        return;
    }
    QPen pen(color);
    pen.setWidthF(isRttSeries(series) ? 1.6 : 1.4);
    if (!isRttSeries(series))
        pen.setStyle(series == TimelineSeries::Probes ? Qt::DashLine : Qt::DotLine);
    line->setPen(pen);
}

// --- drawing ------------------------------------------------------------------------------------------

bool EndpointTimeline::plotAreaNeedsRefit(int plotWidth, int columns, int previousColumns)
{
    const auto near = [plotWidth](int width) { return std::abs(plotWidth - width) <= 1; };
    return plotWidth > 200 && !near(columns) && !near(previousColumns);
}

void EndpointTimeline::refresh()
{
    const qint64 now = nowMs();
    if (m_following)
        setViewWindow(now - (m_toMs > m_fromMs ? m_toMs - m_fromMs : rangeSpan(m_range).count()), now);
    const qint64 from = m_fromMs;
    const qint64 to = m_toMs;
    m_timeAxis->setRange(utc(from).toLocalTime(), utc(to).toLocalTime());
    updateAxisFormat(to - from);

    const TimelineTrack *track = nullptr;
    if (const auto it = m_tracks.constFind(m_endpoint); !m_endpoint.isEmpty() && it != m_tracks.constEnd())
        track = &it.value();

    // State changes: the band, the markers and where lines break.
    std::optional<TimelineChange> opening = track ? track->openingAt(from) : std::nullopt;
    QList<TimelineChange> changes =
        track ? track->changesIn(from, std::numeric_limits<qint64>::max()) : QList<TimelineChange>();
    if (m_current && !m_endpoint.isEmpty()) {
        // The snapshot knows the present state even when no change of it was seen or logged.
        const TimelineChange &last = !changes.isEmpty() ? changes.last() : opening ? *opening : *m_current;
        if (!opening && changes.isEmpty())
            opening = *m_current;
        else if (m_current->ms > last.ms && m_current->state != last.state)
            changes.append(*m_current);
    }
    const QList<TimelineSpan> spans = buildSpans(opening, changes, from, std::min(to, now));
    const QList<TimelineMarker> markers = buildMarkers(opening, changes, from, to);
    std::vector<qint64> downs;
    for (const TimelineChange &c : std::as_const(changes)) {
        if (c.state == EndpointState::Down && c.ms <= to)
            downs.push_back(c.ms);
    }

    const int columns = std::max(200, int(m_chart->plotArea().width()));
    if (columns != m_columns) {
        m_previousColumns = m_columns;
        m_columns = columns;
    }
    double maxRtt = 0;
    double maxCount = 0;
    QStringList legend;
    for (int s = 0; s < kTimelineSeriesCount; ++s) {
        const auto series = TimelineSeries(s);
        QList<TimelineSample> points;
        if (track) {
            ColumnDecimator decimator(from, to + 1, columns);
            decimator.addAll(track->samples(series, from, to));
            points = decimator.points();
        }
        // Probes and retransmits only once the kernel reports some: a line of zeros on the time
        // axis says nothing and hides the axis.
        if (!isRttSeries(series) &&
            std::all_of(points.cbegin(), points.cend(), [](const TimelineSample &p) { return p.value <= 0; }))
            points.clear();
        // Lines break at a drop and across a silence much longer than the usual spacing, so an
        // outage shows as a gap, not as a straight line.
        std::vector<qint64> spacing;
        for (qsizetype i = 1; i < points.size(); ++i)
            spacing.push_back(points.at(i).ms - points.at(i - 1).ms);
        qint64 gapLimit = std::max(kMinGapMs, 3 * (to - from) / columns);
        if (!spacing.empty()) {
            std::nth_element(spacing.begin(), spacing.begin() + qsizetype(spacing.size() / 2), spacing.end());
            gapLimit = std::max(gapLimit, 3 * spacing[spacing.size() / 2]);
        }
        QList<QList<QPointF>> runs(1);
        auto down = downs.cbegin();
        for (qsizetype i = 0; i < points.size(); ++i) {
            const TimelineSample &p = points.at(i);
            if (i > 0 && runs.size() < kMaxSegments && series != TimelineSeries::Connect) {
                const qint64 previous = points.at(i - 1).ms;
                while (down != downs.cend() && *down <= previous)
                    ++down;
                if ((down != downs.cend() && *down <= p.ms) || p.ms - previous > gapLimit)
                    runs.append(QList<QPointF>());
            }
            runs.last().append(QPointF(double(p.ms), p.value));
            (isRttSeries(series) ? maxRtt : maxCount) =
                std::max(isRttSeries(series) ? maxRtt : maxCount, p.value);
        }
        for (int i = 0; i < runs.size(); ++i)
            segment(series, i)->replace(runs.at(i));
        QList<QXYSeries *> &pool = m_series[size_t(series)];
        for (qsizetype i = runs.size(); i < pool.size(); ++i)
            pool.at(i)->clear();
        // The legend names only what has something to show.
        if (!points.isEmpty()) {
            const QString swatch = series == TimelineSeries::Connect       ? QStringLiteral("●")
                                   : series == TimelineSeries::Probes      ? QStringLiteral("╌")
                                   : series == TimelineSeries::Retransmits ? QStringLiteral("┈")
                                                                           : QStringLiteral("━");
            legend.append(QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;%3")
                              .arg(seriesColor(series, StateStyle::isDark(palette())).name(), swatch,
                                   seriesName(series).toHtmlEscaped()));
        }
    }
    // As many value labels as the plot's height holds; more make Qt Charts elide them all to "...".
    const int valueTicks = std::clamp(int(m_chart->plotArea().height()) / (3 * fontMetrics().height()), 2, 6);
    m_rttAxis->setTickCount(valueTicks);
    m_rttAxis->setRange(0, maxRtt > 0 ? maxRtt * 1.15 : 1);
    m_rttAxis->applyNiceNumbers();
    m_countAxis->setVisible(maxCount > 0);
    const int countTop = int(std::max(4.0, std::ceil(maxCount) + 1));
    m_countAxis->setRange(0, countTop);
    // Whole numbers only: a tick every 1, 2, 5 ... probes.
    int countStep = 1;
    while (countTop / countStep + 1 > valueTicks + 1)
        countStep = countStep == 1 ? 2 : countStep == 2 ? 5 : countStep * 2;
    m_countAxis->setMax(double(((countTop + countStep - 1) / countStep) * countStep));
    m_countAxis->setTickCount(int(m_countAxis->max()) / countStep + 1);

    m_view->setOverlay({from, to, spans, markers});
    const QString legendText = legend.isEmpty() ? tr("No samples in this range")
                                                : legend.join(QStringLiteral("&nbsp;&nbsp;&nbsp; "));
    if (m_legend->text() != legendText)
        m_legend->setText(legendText);

    QString text;
    if (m_endpoint.isEmpty()) {
        text = tr("Select an endpoint to see its timeline.");
    } else {
        const QString window =
            m_following
                ? tr("last %1, live").arg(spanWords(to - from))
                : tr("%1 to %2, paused").arg(TimeFormat::absolute(utc(from)), TimeFormat::absolute(utc(to)));
        text = tr("%1 · %2 · %n drop(s)", nullptr,
                  int(std::count_if(
                      markers.cbegin(), markers.cend(),
                      [](const TimelineMarker &m) { return m.kind == TimelineMarker::Kind::Drop; })))
                   .arg(m_endpoint, window);
        if (m_loading)
            text += tr(" · loading history…");
        else if (!m_loadError.isEmpty() && m_history && m_history->hasLog())
            text += tr(" · history not loaded: %1").arg(m_loadError);
    }
    m_caption->setText(text);
    m_caption->setToolTip(text);
}

void EndpointTimeline::updateAxisFormat(qint64 spanMs)
{
    const QString format = spanMs <= 15 * 60'000             ? QStringLiteral("HH:mm:ss")
                           : spanMs <= qint64(36) * 3600'000 ? QStringLiteral("HH:mm")
                                                             : QStringLiteral("MMM d HH:mm");
    if (m_timeAxis->format() != format)
        m_timeAxis->setFormat(format);
    // As many labels as fit without touching, a round step apart (QDateTimeAxis spaces its ticks
    // evenly over the range, so the step decides how many there are).
    static constexpr qint64 kSteps[] = {10'000,     15'000,      30'000,     60'000,     120'000,
                                        300'000,    600'000,     900'000,    1'800'000,  3'600'000,
                                        7'200'000,  10'800'000,  14'400'000, 21'600'000, 43'200'000,
                                        86'400'000, 172'800'000, 604'800'000};
    const int labelWidth =
        fontMetrics().horizontalAdvance(QDateTime::currentDateTime().toString(format)) + 16;
    const int fit = std::max(2, int(std::max(200.0, m_chart->plotArea().width())) / std::max(1, labelWidth));
    // A step that divides the span puts a label on both edges; the range buttons' spans all have one.
    qint64 step = 0;
    for (const bool exact : {true, false}) {
        for (const qint64 candidate : kSteps) {
            const qint64 intervals = spanMs / candidate;
            if (intervals <= fit && (!exact || (spanMs % candidate == 0 && intervals >= std::min(3, fit)))) {
                step = candidate;
                break;
            }
        }
        if (step)
            break;
    }
    if (!step)
        step = kSteps[std::size(kSteps) - 1];
    const int ticks = int(std::clamp<qint64>(spanMs / step, 1, fit)) + 1;
    if (m_timeAxis->tickCount() != ticks)
        m_timeAxis->setTickCount(ticks);
}

QList<QPointF> EndpointTimeline::seriesPoints(TimelineSeries series) const
{
    QList<QPointF> all;
    for (const QXYSeries *line : m_series[size_t(series)])
        all += line->points();
    return all;
}

int EndpointTimeline::segmentCount(TimelineSeries series) const
{
    const QList<QXYSeries *> &pool = m_series[size_t(series)];
    return int(std::count_if(pool.cbegin(), pool.cend(), [](const QXYSeries *s) { return s->count() > 0; }));
}

QList<TimelineMarker> EndpointTimeline::markers() const
{
    return m_view->overlay().markers;
}

QString EndpointTimeline::markerToolTip(qsizetype index) const
{
    const QList<TimelineMarker> &all = m_view->overlay().markers;
    return index >= 0 && index < all.size() ? TimelineChartView::markerText(all.at(index)) : QString();
}

QList<TimelineSpan> EndpointTimeline::spans() const
{
    return m_view->overlay().spans;
}

QString EndpointTimeline::caption() const
{
    return m_caption->text();
}

void EndpointTimeline::applyTheme()
{
    const bool dark = StateStyle::isDark(palette());
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().base());
    m_chart->setPlotAreaBackgroundVisible(false);
    const QColor text = palette().color(QPalette::Text);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_rttAxis),
          static_cast<QAbstractAxis *>(m_countAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        QColor grid = text;
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
    }
    for (int s = 0; s < kTimelineSeriesCount; ++s) {
        for (QXYSeries *line : std::as_const(m_series[size_t(s)]))
            applySeriesPen(TimelineSeries(s), line);
    }
    m_view->viewport()->update();
    queueRefresh(); // the legend's colours
}

} // namespace kw
