#include "endpointtimeline.h"

#include "historyreader.h"
#include "statestyle.h"
#include "timeformat.h"
#include "timelinechartview.h"

#include <QButtonGroup>
#include <QChart>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimeZone>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <vector>

namespace kw {

namespace {
const QString kChannel = QStringLiteral("endpointTimeline");
constexpr qint64 kMinSpanMs = 10'000;
constexpr qint64 kMaxSpanMs = qint64(30) * 24 * 3600 * 1000;

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
    layout->addWidget(m_legend);

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

    // The last minutes fill the width at once; a longer range is one click (or the log) away.
    setRange(Range::FiveMinutes);
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

    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("timelineLegend"));
    m_legend->setAccessibleName(tr("Timeline legend"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true); // never cut off: a narrow window gets two lines
    m_legend->setAlignment(Qt::AlignHCenter);

    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("timelineCaption"));
    m_caption->setAccessibleName(tr("What the timeline shows"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setMinimumWidth(40);
    m_caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
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
    // Live samples at their cap move into the (decimated) history, at most once a minute: a log
    // that is not being written (disk full) must not be read again every second.
    if (it->liveFull() && nowMs() - m_lastLoadMs > 60'000)
        return true;
    const TimelineHistory &h = *it->history();
    if (m_fromMs < h.fromMs || (!m_following && m_toMs > h.toMs))
        return true;
    // Zoomed in past what the loaded columns resolve: read the window again, finer.
    const double pixelMs = double(m_toMs - m_fromMs) / std::max(200.0, m_chart->plotArea().width());
    const double columnMs = double(h.toMs - h.fromMs) / TimelineHistory::kColumns;
    // (Only when what was read spans much more than the view: a read made for this view is as fine
    // as it gets.)
    return h.decimated && columnMs > 2 * pixelMs && h.toMs - h.fromMs > 2 * (m_toMs - m_fromMs);
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
        [this, endpoint](TimelineHistory history, const QString &error) {
            m_loading = false;
            if (endpoint != m_endpoint)
                return;
            m_loadError = error;
            m_lastLoadMs = nowMs();
            if (error.isEmpty())
                m_tracks[endpoint].install(std::move(history));
            refresh();
            Q_EMIT historyLoaded(endpoint);
            // The view may have moved while this was read. A failed read is not retried until
            // the view changes, so a broken log does not spin.
            if (error.isEmpty())
                ensureLoaded();
        });
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

void EndpointTimeline::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void EndpointTimeline::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    queueRefresh();
}

void EndpointTimeline::queueRefresh()
{
    if (m_refreshQueued)
        return;
    m_refreshQueued = true;
    QTimer::singleShot(0, this, [this] {
        m_refreshQueued = false;
        refresh();
    });
}

} // namespace kw
