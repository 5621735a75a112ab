#include "statetimeline.h"

#include "statestyle.h"
#include "timeformat.h"

#include <QHelpEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

namespace kw {

namespace {
// Changes older than the window are dropped, except the newest of them: it
// says what state the window begins in.
constexpr size_t kMaxChangesPerEndpoint = 2000;
} // namespace

StateTimeline::StateTimeline(QWidget *parent)
    : QWidget(parent), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    setObjectName(QStringLiteral("stateTimeline"));
    setAccessibleName(tr("State timeline of the selected endpoint"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

StateTimeline::~StateTimeline() = default;

QSize StateTimeline::sizeHint() const
{
    return {200, fontMetrics().height()};
}

QSize StateTimeline::minimumSizeHint() const
{
    return {50, 8};
}

void StateTimeline::setClock(Clock clock)
{
    m_clock = std::move(clock);
    update();
}

void StateTimeline::setWindow(std::chrono::milliseconds window)
{
    m_window = window;
    update();
}

void StateTimeline::setPlotRange(int left, int right)
{
    if (left == m_left && right == m_right)
        return;
    m_left = left;
    m_right = right;
    update();
}

void StateTimeline::appendEvents(const QList<Event> &events)
{
    const qint64 oldest = m_clock().toMSecsSinceEpoch() - m_window.count();
    bool touched = false;
    for (const Event &e : events) {
        if (e.kind != EventKind::State || !e.state)
            continue;
        auto &changes = m_changes[e.endpoint];
        changes.push_back({e.ts.toMSecsSinceEpoch(), *e.state});
        while (changes.size() > kMaxChangesPerEndpoint || (changes.size() > 1 && changes[1].ms <= oldest))
            changes.pop_front();
        touched = touched || e.endpoint == m_endpoint;
    }
    if (touched)
        update();
}

void StateTimeline::setEndpoint(const QString &name)
{
    if (name == m_endpoint)
        return;
    m_endpoint = name;
    m_current.reset();
    m_currentSince = {};
    update();
}

void StateTimeline::setCurrentState(EndpointState state, const QDateTime &since)
{
    if (m_current == state && m_currentSince == since)
        return;
    m_current = state;
    m_currentSince = since;
    update();
}

void StateTimeline::forgetEndpoint(const QString &name)
{
    m_changes.remove(name);
    if (name == m_endpoint)
        update();
}

QList<StateTimeline::Span> StateTimeline::spans() const
{
    QList<Span> result;
    if (m_endpoint.isEmpty())
        return result;
    const qint64 now = m_clock().toMSecsSinceEpoch();
    const qint64 start = now - m_window.count();
    const auto add = [&](qint64 from, qint64 to, EndpointState state) {
        from = std::max(from, start);
        to = std::min(to, now);
        if (to <= from)
            return;
        if (!result.isEmpty() && result.last().state == state &&
            result.last().to.toMSecsSinceEpoch() == from) {
            result.last().to = QDateTime::fromMSecsSinceEpoch(to, Qt::UTC);
            return;
        }
        result.append({QDateTime::fromMSecsSinceEpoch(from, Qt::UTC),
                       QDateTime::fromMSecsSinceEpoch(to, Qt::UTC), state});
    };

    const auto it = m_changes.constFind(m_endpoint);
    if (it == m_changes.constEnd() || it->empty()) {
        // No change seen: the snapshot's state has held since `since`.
        if (m_current && m_currentSince.isValid())
            add(m_currentSince.toMSecsSinceEpoch(), now, *m_current);
        return result;
    }
    const std::deque<Change> &changes = it.value();
    for (size_t i = 0; i < changes.size(); ++i) {
        const qint64 end = i + 1 < changes.size() ? changes[i + 1].ms : now;
        add(changes[i].ms, end, changes[i].state);
    }
    return result;
}

void StateTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int left = m_left;
    const int right = m_right > m_left ? m_right : width() - 1;
    const QRect track(left, 1, right - left, height() - 2);
    QColor empty = palette().color(QPalette::WindowText);
    empty.setAlpha(25);
    painter.fillRect(track, empty);

    // Caption in the margin left of the plot, where the chart has its y axis.
    if (left > fontMetrics().horizontalAdvance(tr("State")) + 6) {
        painter.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(QRect(0, 0, left - 6, height()), Qt::AlignRight | Qt::AlignVCenter, tr("State"));
    }

    const qint64 now = m_clock().toMSecsSinceEpoch();
    const qint64 start = now - m_window.count();
    const bool dark = StateStyle::isDark(palette());
    const double scale = double(track.width()) / double(m_window.count());
    for (const Span &span : spans()) {
        const int x0 = track.left() + int((span.from.toMSecsSinceEpoch() - start) * scale);
        const int x1 = track.left() + int((span.to.toMSecsSinceEpoch() - start) * scale);
        // At least one pixel, so a one-second blip is still visible.
        painter.fillRect(QRect(x0, track.top(), std::max(1, x1 - x0), track.height()),
                         StateStyle::color(span.state, dark));
    }
}

bool StateTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int left = m_left;
        const int right = m_right > m_left ? m_right : width() - 1;
        const qint64 now = m_clock().toMSecsSinceEpoch();
        const qint64 at = now - m_window.count() +
                          qint64(double(help->pos().x() - left) / double(std::max(1, right - left)) *
                                 double(m_window.count()));
        for (const Span &span : spans()) {
            if (span.from.toMSecsSinceEpoch() <= at && at < span.to.toMSecsSinceEpoch()) {
                QToolTip::showText(help->globalPos(),
                                   tr("%1 from %2 to %3")
                                       .arg(StateStyle::label(span.state), TimeFormat::absolute(span.from),
                                            TimeFormat::absolute(span.to)),
                                   this);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

} // namespace kw
