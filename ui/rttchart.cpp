#include "rttchart.h"

#include "statestyle.h"
#include "statetimeline.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <vector>

namespace kw {

RttChart::RttChart(QWidget *parent)
    : QWidget(parent), m_chart(new QChart), m_downMarks(new QScatterSeries(this)),
      m_timeAxis(new QDateTimeAxis(this)), m_rttAxis(new QValueAxis(this)), m_scroll(new QTimer(this)),
      m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    setObjectName(QStringLiteral("rttChart"));
    setAccessibleName(tr("Round-trip time chart"));

    m_downMarks->setName(tr("Down"));
    m_downMarks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_downMarks->setMarkerSize(10);
    m_downMarks->setPen(Qt::NoPen);

    m_chart->addSeries(m_downMarks);
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);

    m_timeAxis->setFormat(QStringLiteral("HH:mm"));
    m_timeAxis->setTickCount(6);
    m_timeAxis->setTitleText(tr("Local time"));
    m_rttAxis->setTitleText(tr("RTT (ms)"));
    m_rttAxis->setLabelFormat(QStringLiteral("%.2f"));
    m_rttAxis->setRange(0, 1);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rttAxis, Qt::AlignLeft);
    m_downMarks->attachAxis(m_timeAxis);
    m_downMarks->attachAxis(m_rttAxis);

    m_view = new QChartView(m_chart, this); // takes ownership of the chart
    m_view->setObjectName(QStringLiteral("rttChartView"));
    m_view->setAccessibleName(tr("Round-trip times of the selected endpoint, last ten minutes"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(140);

    m_timeline = new StateTimeline(this);
    m_timeline->setWindow(kWindow);
    connect(m_chart, &QChart::plotAreaChanged, this, &RttChart::alignTimeline);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("rttChartEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_timeline);
    layout->addWidget(m_empty);

    // The time axis scrolls even when no sample arrives (a dead peer sends none).
    m_scroll->setInterval(1000);
    connect(m_scroll, &QTimer::timeout, this, &RttChart::refresh);
    m_scroll->start();

    applyTheme();
    refresh();
}

RttChart::~RttChart() = default;

void RttChart::setClock(Clock clock)
{
    m_clock = clock;
    m_timeline->setClock(std::move(clock));
    refresh();
}

void RttChart::setCurrentState(EndpointState state, const QDateTime &since)
{
    m_timeline->setCurrentState(state, since);
}

void RttChart::alignTimeline()
{
    // QChartView keeps the chart filling its viewport, so plot-area x is a
    // viewport x; going through the scene is wrong while a resize is pending.
    const QRectF plot = m_chart->plotArea();
    const QPoint origin = m_timeline->mapFrom(this, m_view->viewport()->mapTo(this, QPoint(0, 0)));
    m_timeline->setPlotRange(origin.x() + qRound(plot.left()), origin.x() + qRound(plot.right()));
}

void RttChart::appendEvents(const QList<Event> &events)
{
    m_timeline->appendEvents(events);
    const qint64 oldest = m_clock().toMSecsSinceEpoch() - std::chrono::milliseconds(kWindow).count();
    bool touched = false;
    for (const Event &e : events) {
        // Any event with a round-trip time is a sample: "rtt" events and the
        // periodic "tcpinfo" reads (the kernel's smoothed RTT) alike.
        if (e.rttMs && e.kind != EventKind::State) {
            auto &samples = m_samples[e.endpoint];
            samples.emplace_back(double(e.ts.toMSecsSinceEpoch()), *e.rttMs);
            while (samples.size() > size_t(kMaxSamplesPerEndpoint))
                samples.pop_front();
            prune(samples, oldest);
            touched = touched || e.endpoint == m_endpoint;
        } else if (e.isState(EndpointState::Down)) {
            auto &downs = m_downs[e.endpoint];
            downs.push_back(e.ts.toMSecsSinceEpoch());
            while (!downs.empty() && downs.front() < oldest)
                downs.pop_front();
            touched = touched || e.endpoint == m_endpoint;
        }
    }
    if (touched)
        refresh();
}

void RttChart::setEndpoint(const QString &name)
{
    if (name == m_endpoint)
        return;
    m_endpoint = name;
    m_timeline->setEndpoint(name);
    refresh();
}

void RttChart::forgetEndpoint(const QString &name)
{
    m_samples.remove(name);
    m_downs.remove(name);
    m_timeline->forgetEndpoint(name);
    if (name == m_endpoint)
        refresh();
}

QList<QPointF> RttChart::points() const
{
    QList<QPointF> all;
    for (const QLineSeries *series : m_segments)
        all += series->points();
    return all;
}

int RttChart::segmentCount() const
{
    return int(std::count_if(m_segments.cbegin(), m_segments.cend(),
                             [](const QLineSeries *series) { return series->count() > 0; }));
}

QLineSeries *RttChart::segment(int index)
{
    while (m_segments.size() <= index) {
        auto *series = new QLineSeries;
        series->setName(tr("RTT"));
        m_chart->addSeries(series); // the chart owns it from here
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_rttAxis);
        QPen pen(StateStyle::color(EndpointState::Up, StateStyle::isDark(palette())));
        pen.setWidthF(1.6);
        series->setPen(pen);
        m_segments.append(series);
    }
    return m_segments.at(index);
}

void RttChart::prune(std::deque<QPointF> &samples, qint64 oldestMs) const
{
    while (!samples.empty() && samples.front().x() < double(oldestMs))
        samples.pop_front();
}

void RttChart::refresh()
{
    const QDateTime now = m_clock();
    const qint64 oldest = now.toMSecsSinceEpoch() - std::chrono::milliseconds(kWindow).count();
    m_timeAxis->setRange(now.addMSecs(-std::chrono::milliseconds(kWindow).count()), now);
    m_timeline->update();

    QList<qint64> downTimes;
    if (auto it = m_downs.find(m_endpoint); it != m_downs.end()) {
        while (!it->empty() && it->front() < oldest)
            it->pop_front();
        downTimes = QList<qint64>(it->cbegin(), it->cend());
    }

    // A new line starts after a down event or a silence far longer than the
    // usual sample spacing, so an outage shows as a gap, not as a straight line.
    std::deque<QPointF> *samples = nullptr;
    if (auto it = m_samples.find(m_endpoint); it != m_samples.end()) {
        prune(it.value(), oldest);
        samples = &it.value();
    }
    QList<QList<QPointF>> runs;
    double maxRtt = 0;
    if (samples && !samples->empty()) {
        std::vector<double> spacing;
        for (size_t i = 1; i < samples->size(); ++i)
            spacing.push_back((*samples)[i].x() - (*samples)[i - 1].x());
        double gapLimit = 15'000;
        if (!spacing.empty()) {
            std::nth_element(spacing.begin(), spacing.begin() + spacing.size() / 2, spacing.end());
            gapLimit = std::max(gapLimit, 3 * spacing[spacing.size() / 2]);
        }
        runs.append(QList<QPointF>());
        for (size_t i = 0; i < samples->size(); ++i) {
            const QPointF &p = (*samples)[i];
            if (i > 0) {
                const double previous = (*samples)[i - 1].x();
                const bool downBetween = std::any_of(downTimes.cbegin(), downTimes.cend(), [&](qint64 ts) {
                    return double(ts) > previous && double(ts) <= p.x();
                });
                if (downBetween || p.x() - previous > gapLimit)
                    runs.append(QList<QPointF>());
            }
            runs.last().append(p);
            maxRtt = std::max(maxRtt, p.y());
        }
    }
    qsizetype pointCount = 0;
    for (int i = 0; i < runs.size(); ++i) {
        segment(i)->replace(runs.at(i));
        pointCount += runs.at(i).size();
    }
    for (qsizetype i = runs.size(); i < m_segments.size(); ++i)
        m_segments.at(i)->clear();

    // Downs sit on the time axis as red marks.
    QList<QPointF> downs;
    for (const qint64 ts : std::as_const(downTimes))
        downs.append(QPointF(double(ts), 0));
    m_downMarks->replace(downs);

    if (maxRtt <= 0)
        maxRtt = 1;
    m_rttAxis->setRange(0, maxRtt * 1.15);
    m_rttAxis->applyNiceNumbers();

    if (m_endpoint.isEmpty())
        m_empty->setText(tr("Select an endpoint to chart its round-trip times."));
    else if (pointCount == 0)
        m_empty->setText(
            tr("%1: no round-trip samples in the last %2 minutes").arg(m_endpoint).arg(kWindow.count()));
    else
        m_empty->setText(tr("%1: round-trip times, last %2 minutes (samples: %3)")
                             .arg(m_endpoint)
                             .arg(kWindow.count())
                             .arg(pointCount));
}

void RttChart::applyTheme()
{
    const bool dark = StateStyle::isDark(palette());
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().base());
    m_chart->setPlotAreaBackgroundVisible(false);
    const QColor text = palette().color(QPalette::Text);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_rttAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        QColor grid = text;
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
    }
    QPen pen(StateStyle::color(EndpointState::Up, dark));
    pen.setWidthF(1.6);
    for (QLineSeries *series : std::as_const(m_segments))
        series->setPen(pen);
    m_downMarks->setColor(StateStyle::color(EndpointState::Down, dark));
    m_downMarks->setBorderColor(StateStyle::color(EndpointState::Down, dark)); // themes reset it to white
}

void RttChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

} // namespace kw
