#include "fleetreconnectchart.h"

#include "historyreader.h"
#include "statestyle.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QEvent>
#include <QFontMetrics>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QResizeEvent>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace kw {

namespace {
const QString kChannel = QStringLiteral("fleetReconnects");
// Names listed under the hover line; the tooltip lists more, the click hands over all of them.
constexpr int kNamesInLine = 6;
constexpr int kNamesInToolTip = 25;

QString listNames(const QStringList &names, int most)
{
    if (names.size() <= most)
        return names.join(QStringLiteral(", "));
    return FleetReconnectChart::tr("%1 and %2 more")
        .arg(names.first(most).join(QStringLiteral(", ")))
        .arg(names.size() - most);
}
} // namespace

FleetReconnectChart::FleetReconnectChart(QWidget *parent)
    : QWidget(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); }), m_chart(new QChart),
      m_series(new QStackedBarSeries(this)), m_timeAxis(new QCategoryAxis(this)),
      m_countAxis(new QValueAxis(this)), m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("fleetReconnectChart"));
    setAccessibleName(tr("Reconnects across all endpoints"));

    auto *title = new QLabel(tr("<b>Reconnects, all endpoints</b>"), this);
    title->setObjectName(QStringLiteral("fleetReconnectTitle"));
    title->setAccessibleName(tr("Reconnects across all endpoints"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fleetReconnectSummary"));
    m_summary->setAccessibleName(tr("Reconnect totals"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setMinimumWidth(0);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided by width, not cut

    m_rangeBox = new QComboBox(this);
    m_rangeBox->setObjectName(QStringLiteral("fleetReconnectRange"));
    m_rangeBox->setAccessibleName(tr("Time range of the reconnect chart"));
    m_rangeBox->setToolTip(tr("How far back the reconnect chart reaches"));
    m_rangeBox->addItem(tr("Last hour"), int(Range::Hour));
    m_rangeBox->addItem(tr("Last 24 hours"), int(Range::Day));
    m_rangeBox->addItem(tr("Last 7 days"), int(Range::Week));
    m_rangeBox->setCurrentIndex(m_rangeBox->findData(int(m_range)));
    connect(m_rangeBox, &QComboBox::activated, this,
            [this](int index) { setRange(Range(m_rangeBox->itemData(index).toInt())); });

    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(title);
    header->addWidget(m_summary, 1);
    header->addWidget(m_rangeBox);

    m_series->setBarWidth(0.85);
    m_chart->addSeries(m_series);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    // The legend is a label under the chart: Qt Charts' own drops entries that do not fit the
    // plot's height, and a short pane at 1024 x 640 has room for four.
    m_chart->legend()->hide();
    // The bars are in index units: bar i spans i - 0.5 .. i + 0.5, and the labelled ticks sit at the
    // left edges of the bars that start a round time.
    m_timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_countAxis->setTitleText(tr("Drops"));
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTickType(QValueAxis::TicksDynamic);
    m_countAxis->setTickAnchor(0);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    m_series->attachAxis(m_timeAxis);
    m_series->attachAxis(m_countAxis);
    connect(m_chart, &QChart::plotAreaChanged, this, &FleetReconnectChart::updateCountAxis);

    m_view = new QChartView(m_chart, this); // takes ownership of the chart
    m_view->setObjectName(QStringLiteral("fleetReconnectView"));
    m_view->setAccessibleName(tr("Reconnects per time bucket, stacked by cause"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(110);

    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("fleetReconnectEmpty"));
    m_empty->setAccessibleName(tr("No reconnects"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QFont big = m_empty->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_empty->setFont(big);

    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("fleetReconnectStack"));
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("fleetReconnectLegend"));
    m_legend->setAccessibleName(tr("Causes and their colours"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_hover = new QLabel(this);
    m_hover->setObjectName(QStringLiteral("fleetReconnectHover"));
    m_hover->setAccessibleName(tr("The bar pointed at"));
    m_hover->setTextFormat(Qt::PlainText);
    m_hover->setWordWrap(true);
    m_hover->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    // Two lines always (the bar, then who dropped): the chart does not jump while the mouse moves.
    m_hover->setFixedHeight(2 * m_hover->fontMetrics().lineSpacing() + 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_legend);
    layout->addWidget(m_hover);

    // A new bar starts on the minute (or quarter, or hour) even when nothing drops.
    m_tick->setInterval(5000);
    connect(m_tick, &QTimer::timeout, this, &FleetReconnectChart::tick);
    m_tick->start();

    applyTheme();
    startRange();
}

FleetReconnectChart::~FleetReconnectChart() = default;

void FleetReconnectChart::setHistoryReader(HistoryReader *reader)
{
    m_reader = reader;
    reload();
}

void FleetReconnectChart::setClock(Clock clock)
{
    m_clock = std::move(clock);
    reload();
}

void FleetReconnectChart::setRange(Range range)
{
    m_range = range;
    const int index = m_rangeBox->findData(int(range));
    if (index >= 0 && index != m_rangeBox->currentIndex())
        m_rangeBox->setCurrentIndex(index);
    reload();
}

void FleetReconnectChart::reload()
{
    startRange();
}

void FleetReconnectChart::startRange()
{
    const RangeSpec spec = rangeSpec(m_range);
    m_buckets = ReconnectBuckets(m_clock(), spec.bucket, spec.buckets);
    m_pending.clear();
    m_error.clear();
    m_axisFirst = QDateTime();
    if (!m_reader || !m_reader->hasLog()) {
        if (m_reader)
            m_reader->cancel(kChannel);
        m_loading = false;
        refresh();
        Q_EMIT loaded();
        return;
    }
    m_loading = true;
    refresh();
    ReconnectBuckets empty = m_buckets;
    m_reader->run<ReconnectBuckets>(
        this, kChannel,
        [empty](const EventLog &log, const std::atomic_bool &cancelled, QString *error) {
            ReconnectBuckets counted = empty;
            counted.countLog(log, cancelled, error);
            return counted;
        },
        [this](ReconnectBuckets counted, const QString &error) { finishLoad(std::move(counted), error); });
}

void FleetReconnectChart::finishLoad(ReconnectBuckets counted, const QString &error)
{
    const QDateTime covered = counted.latest();
    m_buckets = std::move(counted);
    m_buckets.advanceTo(m_clock());
    m_error = error;
    m_loading = false;
    for (const Event &e : std::as_const(m_pending)) {
        if (!covered.isValid() || e.ts > covered)
            m_buckets.add(e);
    }
    m_pending.clear();
    m_axisFirst = QDateTime();
    refresh();
    Q_EMIT loaded();
}

void FleetReconnectChart::appendEvents(const QList<Event> &events)
{
    bool changed = m_buckets.advanceTo(m_clock());
    for (const Event &e : events) {
        if (!ReconnectBuckets::isReconnect(e))
            continue;
        if (m_loading)
            m_pending.append(e);
        else
            changed = m_buckets.add(e) || changed;
    }
    if (changed)
        refresh();
}

void FleetReconnectChart::tick()
{
    if (m_buckets.advanceTo(m_clock()))
        refresh();
}

QBarSet *FleetReconnectChart::barSet(const QString &cause) const
{
    return m_sets.value(cause);
}

void FleetReconnectChart::rebuildSets()
{
    QStringList causes;
    for (const ReconnectBuckets::CauseCount &c : m_buckets.causes())
        causes.append(c.cause);
    QStringList have = m_causes;
    QStringList want = causes;
    have.sort();
    want.sort();
    if (have == want)
        return;        // same causes: keep their order, so the stack does not reshuffle on every drop
    m_series->clear(); // deletes the sets
    m_sets.clear();
    m_causes = causes;
    for (const QString &cause : std::as_const(m_causes)) {
        auto *set = new QBarSet(causeLabel(cause));
        const QColor color = causeColor(cause);
        set->setColor(color);
        set->setBorderColor(color.darker(115));
        connect(set, &QBarSet::hovered, this,
                [this, cause](bool status, int index) { hovered(cause, status, index); });
        connect(set, &QBarSet::clicked, this, [this, cause](int index) { clicked(cause, index); });
        m_series->append(set); // the series owns it from here
        m_sets.insert(cause, set);
    }
}

void FleetReconnectChart::rebuildTimeAxis()
{
    const QDateTime first = m_buckets.since();
    if (first == m_axisFirst)
        return;
    m_axisFirst = first;
    for (const QString &label : m_timeAxis->categoriesLabels())
        m_timeAxis->remove(label);
    const int n = m_buckets.size();
    m_timeAxis->setStartValue(-0.5);
    m_timeAxis->setRange(-0.5, n - 0.5);
    for (int i = 1; i < n; ++i) {
        const QDateTime local = m_buckets.bucketStart(i).toLocalTime();
        const QTime t = local.time();
        QString label;
        switch (m_range) {
        case Range::Hour:
            if (t.minute() % 10 == 0)
                label = local.toString(QStringLiteral("HH:mm"));
            break;
        case Range::Day:
            if (t.minute() == 0 && t.hour() % 3 == 0)
                label = local.toString(QStringLiteral("HH:mm"));
            break;
        case Range::Week:
            if (t.hour() == 0)
                label = locale().toString(local, QStringLiteral("ddd d"));
            break;
        }
        if (!label.isEmpty() && !m_timeAxis->categoriesLabels().contains(label))
            m_timeAxis->append(label, i - 0.5);
    }
    const qint64 minutes = std::chrono::duration_cast<std::chrono::minutes>(m_buckets.width()).count();
    m_timeAxis->setTitleText(minutes >= 60  ? tr("Local time, one bar per hour")
                             : minutes == 1 ? tr("Local time, one bar per minute")
                                            : tr("Local time, one bar per %1 minutes").arg(minutes));
}

void FleetReconnectChart::refresh()
{
    rebuildSets();
    rebuildTimeAxis();
    const int n = m_buckets.size();
    for (const QString &cause : std::as_const(m_causes)) {
        QBarSet *set = m_sets.value(cause);
        if (set->count() != n) {
            set->remove(0, set->count());
            QList<qreal> values(n, 0);
            set->append(values);
        }
        for (int i = 0; i < n; ++i) {
            const qreal value = m_buckets.count(i, cause);
            if (set->at(i) != value)
                set->replace(i, value);
        }
    }
    updateCountAxis();
    updateLegend();
    updateSummary();
}

void FleetReconnectChart::updateCountAxis()
{
    // Whole drops: a step of 1, 2 or 5 x 10^k, and only as many ticks as the plot has room for with
    // a line between labels (Qt Charts draws labels that would touch as "...").
    const int top = std::max(1, m_buckets.maxTotal());
    const qreal height = m_chart->plotArea().height();
    const int line = QFontMetrics(m_countAxis->labelsFont()).height();
    const int most = height > 0 ? std::clamp(int(height / (2 * line)), 1, 5) : 5;
    const auto intervals = [top](int step) { return (top + step - 1) / step; };
    int step = 1;
    for (int scale = 1; intervals(step) > most; scale *= 10) {
        for (const int m : {1, 2, 5}) {
            step = m * scale;
            if (intervals(step) <= most)
                break;
        }
    }
    const int upper = intervals(step) * step;
    if (qFuzzyCompare(m_countAxis->tickInterval(), qreal(step)) &&
        qFuzzyCompare(m_countAxis->max(), qreal(upper)))
        return; // also ends the round trip through plotAreaChanged
    m_countAxis->setTickInterval(step);
    m_countAxis->setRange(0, upper);
}

void FleetReconnectChart::updateSummary()
{
    const QString text = summaryText();
    m_summary->setToolTip(text);
    elideSummary();
    const bool empty = showsEmptyState();
    m_empty->setText(text);
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : static_cast<QWidget *>(m_view));
    if (m_hovered < 0 || empty)
        m_hover->setText(empty ? QString()
                               : tr("Point at a bar to see who dropped; click it to show only them in the "
                                    "list and the log."));
}

void FleetReconnectChart::updateLegend()
{
    // Most drops first, as the stack is built from the bottom; each with its count in the range.
    QStringList parts;
    QStringList plain;
    for (const ReconnectBuckets::CauseCount &c : m_buckets.causes()) {
        parts.append(QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2&nbsp;%3")
                         .arg(causeColor(c.cause).name(), causeLabel(c.cause).toHtmlEscaped())
                         .arg(c.drops));
        plain.append(tr("%1 %2").arg(causeLabel(c.cause)).arg(c.drops));
    }
    m_legend->setText(parts.join(QStringLiteral(" &nbsp; ")));
    m_legend->setAccessibleDescription(plain.join(QStringLiteral(", ")));
    m_legend->setVisible(!parts.isEmpty());
}

QString FleetReconnectChart::legendText() const
{
    return m_legend->accessibleDescription();
}

void FleetReconnectChart::elideSummary()
{
    // Cut with an ellipsis, the whole sentence in the tooltip: at 1024 px the range box and the
    // title leave the totals little room.
    m_summary->setText(
        m_summary->fontMetrics().elidedText(m_summary->toolTip(), Qt::ElideRight, m_summary->width()));
}

void FleetReconnectChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    elideSummary(); // the layout has placed the label by now
}

bool FleetReconnectChart::showsEmptyState() const
{
    return !m_loading && m_buckets.isEmpty();
}

QString FleetReconnectChart::summaryText() const
{
    const QString range = rangeText(m_range);
    if (m_loading)
        return tr("Reading the last %1 from the event log…").arg(range);
    const bool haveLog = m_reader && m_reader->hasLog();
    QString text;
    if (m_buckets.isEmpty())
        text = haveLog ? tr("No drops in the last %1").arg(range) : tr("No drops since the window opened");
    else
        text = tr("%1 in the last %2, on %3")
                   .arg(m_buckets.total() == 1 ? tr("1 drop") : tr("%1 drops").arg(m_buckets.total()), range,
                        m_buckets.endpointCount() == 1 ? tr("1 endpoint")
                                                       : tr("%1 endpoints").arg(m_buckets.endpointCount()));
    if (haveLog && !m_error.isEmpty())
        text += QLatin1Char(' ') + tr("(history not read: %1)").arg(m_error);
    else if (!haveLog && !m_buckets.isEmpty())
        text += QLatin1Char(' ') + tr("(live only: no event log)");
    return text;
}

QString FleetReconnectChart::timeLabel(int index) const
{
    const QDateTime from = m_buckets.bucketStart(index).toLocalTime();
    const QDateTime to = m_buckets.bucketEnd(index).toLocalTime();
    switch (m_range) {
    case Range::Hour:
        return from.toString(QStringLiteral("HH:mm"));
    case Range::Day:
        return tr("%1–%2").arg(from.toString(QStringLiteral("HH:mm")), to.toString(QStringLiteral("HH:mm")));
    case Range::Week:
        return tr("%1 %2–%3")
            .arg(locale().toString(from, QStringLiteral("ddd")), from.toString(QStringLiteral("HH:mm")),
                 to.toString(QStringLiteral("HH:mm")));
    }
    return {};
}

QString FleetReconnectChart::bucketText(int index) const
{
    const int total = m_buckets.total(index);
    if (total == 0)
        return tr("%1: no drops").arg(timeLabel(index));
    QStringList parts;
    for (const ReconnectBuckets::CauseCount &c : m_buckets.causes(index))
        parts.append(tr("%1 %2").arg(c.drops).arg(causeLabel(c.cause)));
    const QString line =
        total == 1 ? tr("%1: 1 drop — %2").arg(timeLabel(index), parts.join(u", "))
                   : tr("%1: %2 drops — %3").arg(timeLabel(index)).arg(total).arg(parts.join(u", "));
    return line + QLatin1Char('\n') + listNames(m_buckets.endpoints(index), kNamesInLine);
}

void FleetReconnectChart::hovered(const QString &cause, bool status, int index)
{
    m_hovered = status ? index : -1;
    if (!status) {
        updateSummary();
        QToolTip::hideText();
        return;
    }
    m_hover->setText(bucketText(index));
    const QStringList names = m_buckets.endpoints(index, cause);
    QToolTip::showText(QCursor::pos(),
                       tr("%1\n%2 (%3): %4")
                               .arg(bucketText(index).section(u'\n', 0, 0), causeLabel(cause))
                               .arg(names.size())
                               .arg(listNames(names, kNamesInToolTip)) +
                           QLatin1Char('\n') + tr("Click to show only these endpoints and this time."),
                       m_view);
}

void FleetReconnectChart::clicked(const QString &cause, int index)
{
    if (index < 0 || index >= m_buckets.size())
        return;
    Q_EMIT bucketActivated(m_buckets.bucketStart(index), m_buckets.bucketEnd(index), cause,
                           m_buckets.endpoints(index, cause));
}

void FleetReconnectChart::applyTheme()
{
    const bool dark = StateStyle::isDark(palette());
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().base());
    m_chart->setPlotAreaBackgroundVisible(false);
    const QColor text = palette().color(QPalette::Text);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_countAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        QColor grid = text;
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
    }
    m_chart->legend()->setLabelColor(text);
    // The theme recolours every set: put the causes' own colours back.
    for (auto it = m_sets.cbegin(); it != m_sets.cend(); ++it) {
        const QColor color = causeColor(it.key());
        it.value()->setColor(color);
        it.value()->setBorderColor(color.darker(115));
    }
}

void FleetReconnectChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

} // namespace kw
