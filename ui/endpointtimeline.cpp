#include "endpointtimeline.h"

#include "historyreader.h"
#include "statestyle.h"
#include "timeformat.h"
#include "timelinechartview.h"

#include <QButtonGroup>
#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFileDialog>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <limits>
#include <vector>

namespace kw {

namespace {
const QString kChannel = QStringLiteral("endpointTimeline");
constexpr qint64 kMinSpanMs = 10'000;
constexpr qint64 kMaxSpanMs = qint64(30) * 24 * 3600 * 1000;
constexpr qint64 kMinGapMs = 15'000;

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

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}
} // namespace

std::chrono::milliseconds EndpointTimeline::rangeSpan(Range range)
{
    using namespace std::chrono;
    switch (range) {
    case Range::FiveMinutes:
        return minutes(5);
    case Range::OneHour:
        return hours(1);
    case Range::OneDay:
        return hours(24);
    case Range::SevenDays:
        return hours(24 * 7);
    }
    return hours(1);
}

EndpointTimeline::EndpointTimeline(QWidget *parent)
    : QWidget(parent), m_tick(new QTimer(this)), m_settle(new QTimer(this)),
      m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    setObjectName(QStringLiteral("endpointTimeline"));
    setAccessibleName(tr("Endpoint timeline"));
    buildControls();
    buildChart();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    for (QAbstractButton *b : m_ranges->buttons())
        bar->addWidget(b);
    bar->addSpacing(6);
    bar->addWidget(m_live);
    bar->addWidget(m_caption, 1);
    bar->addWidget(m_export);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    // The time axis moves on even when nothing arrives (a dead peer sends nothing).
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_following)
            refresh();
        if (const auto it = m_tracks.constFind(m_endpoint); it != m_tracks.constEnd() && it->liveFull())
            ensureLoaded();
        evictIdle(nowMs());
    });
    m_tick->start();
    m_settle->setSingleShot(true);
    m_settle->setInterval(300);
    connect(m_settle, &QTimer::timeout, this, &EndpointTimeline::ensureLoaded);

    setRange(Range::OneHour);
    applyTheme();
}

EndpointTimeline::~EndpointTimeline() = default;

void EndpointTimeline::buildControls()
{
    m_ranges = new QButtonGroup(this);
    m_ranges->setExclusive(true);
    const struct
    {
        Range range;
        const char *objectName;
        QString text;
        QString toolTip;
    } ranges[] = {
        {Range::FiveMinutes, "timelineRange5m", tr("5 min"), tr("Show the last 5 minutes")},
        {Range::OneHour, "timelineRange1h", tr("1 h"), tr("Show the last hour")},
        {Range::OneDay, "timelineRange24h", tr("24 h"), tr("Show the last 24 hours")},
        {Range::SevenDays, "timelineRange7d", tr("7 d"), tr("Show the last 7 days")},
    };
    for (const auto &r : ranges) {
        auto *button = new QToolButton(this);
        button->setObjectName(QString::fromLatin1(r.objectName));
        button->setText(r.text);
        button->setToolTip(r.toolTip);
        button->setAccessibleName(r.toolTip);
        button->setCheckable(true);
        button->setAutoRaise(true);
        m_ranges->addButton(button, int(r.range));
    }
    connect(m_ranges, &QButtonGroup::idClicked, this, [this](int id) { setRange(Range(id)); });

    m_live = new QToolButton(this);
    m_live->setObjectName(QStringLiteral("timelineLive"));
    m_live->setText(tr("Live"));
    m_live->setToolTip(tr("Follow the present; zooming or dragging the chart pauses this"));
    m_live->setAccessibleName(tr("Follow live"));
    m_live->setCheckable(true);
    m_live->setAutoRaise(true);
    connect(m_live, &QToolButton::clicked, this, [this](bool on) { setFollowing(on); });

    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("timelineExport"));
    m_export->setText(tr("Export PNG…"));
    m_export->setToolTip(tr("Save this timeline as a PNG image"));
    m_export->setAccessibleName(tr("Export the timeline as PNG"));
    m_export->setAutoRaise(true);
    connect(m_export, &QToolButton::clicked, this, &EndpointTimeline::chooseExportFile);

    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("timelineCaption"));
    m_caption->setAccessibleName(tr("What the timeline shows"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setMinimumWidth(40);
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void EndpointTimeline::buildChart()
{
    m_chart = new QChart;
    m_chart->setBackgroundRoundness(0);
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setShowToolTips(true);

    m_timeAxis = new QDateTimeAxis(this);
    m_rttAxis = new QValueAxis(this);
    m_countAxis = new QValueAxis(this);
    m_rttAxis->setTitleText(tr("RTT (ms)"));
    m_rttAxis->setLabelFormat(QStringLiteral("%.3g"));
    m_countAxis->setTitleText(tr("Probes / retrans."));
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
        // One legend entry per series, whatever the number of pieces.
        if (pool.size() > 1) {
            for (QLegendMarker *marker : m_chart->legend()->markers(line))
                marker->setVisible(false);
        }
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

void EndpointTimeline::setHistoryReader(HistoryReader *reader)
{
    m_history = reader;
    ensureLoaded();
}

void EndpointTimeline::setClock(Clock clock)
{
    m_clock = std::move(clock);
    if (m_following)
        setViewWindow(nowMs() - rangeSpan(m_range).count(), nowMs());
    refresh();
}

qint64 EndpointTimeline::nowMs() const
{
    return m_clock().toMSecsSinceEpoch();
}

void EndpointTimeline::setEndpoint(const QString &name)
{
    if (name == m_endpoint)
        return;
    if (const auto it = m_tracks.find(m_endpoint); it != m_tracks.end())
        it->trimToTail(nowMs()); // its history stays in the log
    m_endpoint = name;
    m_current.reset();
    m_loadError.clear();
    m_loading = false;
    if (m_history)
        m_history->cancel(kChannel);
    refresh();
    ensureLoaded();
}

void EndpointTimeline::appendEvents(const QList<Event> &events)
{
    bool touched = false;
    for (const Event &e : events) {
        if (e.endpoint.isEmpty())
            continue;
        const bool shown = e.endpoint == m_endpoint;
        if (!shown && !changeOf(e) && !samplesOf(e).any())
            continue;
        TimelineTrack &track = m_tracks[e.endpoint];
        const bool added = track.append(e);
        touched = touched || (added && shown);
        // Endpoints not on screen keep a short tail; trimming at twice the bound keeps it cheap.
        if (!shown && added && track.overTail())
            track.trimToTail(nowMs());
    }
    if (touched)
        refresh();
}

void EndpointTimeline::setCurrentState(EndpointState state, const QDateTime &since)
{
    const TimelineChange change{since.isValid() ? since.toMSecsSinceEpoch() : nowMs(), state, {}, {}, {}};
    if (m_current && m_current->state == change.state && m_current->ms == change.ms)
        return;
    m_current = change;
    refresh();
}

void EndpointTimeline::forgetEndpoint(const QString &name)
{
    m_tracks.remove(name);
    if (name == m_endpoint)
        refresh();
}

void EndpointTimeline::evictIdle(qint64 now)
{
    if (now - m_lastEvictMs < 60'000)
        return;
    m_lastEvictMs = now;
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        if (it.key() != m_endpoint && it->lastEventMs() < now - kEvictAfterMs) {
            it = m_tracks.erase(it);
        } else {
            if (it.key() != m_endpoint)
                it->trimToTail(now);
            ++it;
        }
    }
}

qsizetype EndpointTimeline::keptSamples(const QString &endpoint) const
{
    const auto it = m_tracks.constFind(endpoint);
    return it == m_tracks.constEnd() ? 0 : it->sampleCount();
}

// --- the visible window ------------------------------------------------------------------------------

void EndpointTimeline::setRange(Range range)
{
    m_range = range;
    if (QAbstractButton *b = m_ranges->button(int(range)))
        b->setChecked(true);
    const qint64 now = nowMs();
    setViewWindow(now - rangeSpan(range).count(), now);
    setFollowing(true);
    refresh();
    ensureLoaded();
}

void EndpointTimeline::setFollowing(bool follow)
{
    m_live->setChecked(follow);
    if (follow == m_following)
        return;
    m_following = follow;
    if (follow) {
        const qint64 now = nowMs();
        setViewWindow(now - (m_toMs - m_fromMs), now);
        refresh();
        ensureLoaded();
    } else {
        refresh();
    }
    Q_EMIT followingChanged(follow);
}

QDateTime EndpointTimeline::viewFrom() const
{
    return utc(m_fromMs);
}

QDateTime EndpointTimeline::viewTo() const
{
    return utc(m_toMs);
}

void EndpointTimeline::setViewWindow(qint64 fromMs, qint64 toMs)
{
    const qint64 span = std::clamp(toMs - fromMs, kMinSpanMs, kMaxSpanMs);
    // Nothing to see in the future: the right edge stops at now.
    toMs = std::min(fromMs + span, nowMs());
    m_toMs = toMs;
    m_fromMs = toMs - span;
}

void EndpointTimeline::zoom(double factor, qint64 anchorMs)
{
    if (factor <= 0)
        return;
    const qint64 from = anchorMs - qint64(double(anchorMs - m_fromMs) * factor);
    const qint64 to = anchorMs + qint64(double(m_toMs - anchorMs) * factor);
    setFollowing(false);
    setViewWindow(from, to);
    refresh();
    m_settle->start();
}

void EndpointTimeline::pan(qint64 deltaMs)
{
    setFollowing(false);
    setViewWindow(m_fromMs + deltaMs, m_toMs + deltaMs);
    refresh();
    m_settle->start();
}

// --- loading from the event log -----------------------------------------------------------------------

bool EndpointTimeline::needsLoad() const
{
    const auto it = m_tracks.constFind(m_endpoint);
    if (it == m_tracks.constEnd() || !it->hasHistory())
        return true;
    if (it->liveFull())
        return true;
    const TimelineHistory &h = *it->history();
    if (m_fromMs < h.fromMs || (!m_following && m_toMs > h.toMs))
        return true;
    // Zoomed in past what the loaded columns resolve: read the window again, finer.
    const double pixelMs = double(m_toMs - m_fromMs) / std::max(200.0, m_chart->plotArea().width());
    const double columnMs = double(h.toMs - h.fromMs) / TimelineHistory::kColumns;
    return h.decimated && columnMs > 2 * pixelMs;
}

void EndpointTimeline::ensureLoaded()
{
    if (m_history && m_history->hasLog() && !m_endpoint.isEmpty() && !m_loading && needsLoad())
        requestLoad();
}

void EndpointTimeline::requestLoad()
{
    const qint64 now = nowMs();
    const qint64 span = m_toMs - m_fromMs;
    // A margin on both sides, so a small pan or the live edge needs no new read.
    const qint64 from = m_fromMs - span / 4;
    const qint64 to = m_following ? now + 1 : std::min(now + 1, m_toMs + span / 4);
    const QString endpoint = m_endpoint;
    m_loading = true;
    refresh();
    m_history->run<TimelineHistory>(
        this, kChannel,
        [endpoint, from, to](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            return TimelineHistory::load(log, endpoint, from, to, cancelled, error);
        },
        [this](TimelineHistory history, const QString &error) {
            m_loading = false;
            if (history.endpoint != m_endpoint)
                return;
            m_loadError = error;
            const QString endpoint = history.endpoint;
            if (error.isEmpty())
                m_tracks[endpoint].install(std::move(history));
            refresh();
            Q_EMIT historyLoaded(endpoint);
        });
}

// --- drawing ------------------------------------------------------------------------------------------

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
    double maxRtt = 0;
    double maxCount = 0;
    for (int s = 0; s < kTimelineSeriesCount; ++s) {
        const auto series = TimelineSeries(s);
        QList<TimelineSample> points;
        if (track) {
            ColumnDecimator decimator(from, to + 1, columns);
            decimator.addAll(track->samples(series, from, to));
            points = decimator.points();
        }
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
        for (QLegendMarker *marker : m_chart->legend()->markers(pool.first()))
            marker->setVisible(!points.isEmpty());
    }
    m_rttAxis->setRange(0, maxRtt > 0 ? maxRtt * 1.15 : 1);
    m_rttAxis->applyNiceNumbers();
    m_countAxis->setVisible(maxCount > 0);
    m_countAxis->setRange(0, std::max(4.0, std::ceil(maxCount) + 1));

    m_view->setOverlay({from, to, spans, markers});

    QString text;
    if (m_endpoint.isEmpty()) {
        text = tr("Select an endpoint to see its timeline.");
    } else {
        const QString window =
            m_following
                ? tr("%1, live").arg(TimeFormat::duration(std::chrono::milliseconds(to - from)))
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
    // As many labels as fit without touching.
    const int labelWidth =
        fontMetrics().horizontalAdvance(QDateTime::currentDateTime().toString(format)) + 36;
    const int ticks = std::clamp(int(m_chart->plotArea().width()) / std::max(1, labelWidth), 2, 9) + 1;
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

// --- export and looks ---------------------------------------------------------------------------------

bool EndpointTimeline::exportPng(const QString &path, QString *error)
{
    const QPixmap image = grab();
    if (image.isNull()) {
        if (error)
            *error = tr("The timeline could not be drawn: it has no size. Show the window first.");
        return false;
    }
    if (!image.save(path, "PNG")) {
        if (error)
            *error = tr("Cannot write %1. Choose a folder you can write to.").arg(path);
        return false;
    }
    return true;
}

void EndpointTimeline::chooseExportFile()
{
    auto *dialog = new QFileDialog(this, tr("Export timeline"));
    dialog->setObjectName(QStringLiteral("timelineExportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilter(tr("PNG image (*.png)"));
    dialog->setDefaultSuffix(QStringLiteral("png"));
    const QString stamp = m_clock().toLocalTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    dialog->selectFile(QStringLiteral("keepwatch-%1-%2.png")
                           .arg(m_endpoint.isEmpty() ? QStringLiteral("timeline") : m_endpoint, stamp)
                           .replace(u'/', u'_'));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (!exportPng(path, &error))
            m_caption->setText(error);
    });
    dialog->open();
}

void EndpointTimeline::applyTheme()
{
    const bool dark = StateStyle::isDark(palette());
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().base());
    m_chart->setPlotAreaBackgroundVisible(false);
    const QColor text = palette().color(QPalette::Text);
    m_chart->legend()->setLabelColor(text);
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
}

void EndpointTimeline::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void EndpointTimeline::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Columns follow the plot's width; the chart lays out on the next turn of the event loop.
    QTimer::singleShot(0, this, &EndpointTimeline::refresh);
}

} // namespace kw
