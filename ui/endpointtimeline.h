#pragma once

#include "endpointstate.h"
#include "event.h"
#include "timelinedata.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QWidget>

#include <array>
#include <chrono>
#include <functional>
#include <optional>

class QAbstractButton;
class QButtonGroup;
class QChart;
class QDateTimeAxis;
class QLabel;
class QTimer;
class QToolButton;
class QValueAxis;
class QXYSeries;

namespace kw {

class HistoryReader;
class TimelineChartView;

// One endpoint's timeline: its states as a band, its round-trip times by source, TCP_INFO's
// keepalive probes and retransmits, and a marker at every drop and reconnect, over 5 min to 7 d.
// History comes from the event log (through the HistoryReader, never on this thread) for the range
// on screen, live events are merged onto it, and what is drawn is decimated to min/max per pixel
// column. What is kept per endpoint is bounded: see TimelineTrack.
class EndpointTimeline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointTimeline)

public:
    enum class Range { FiveMinutes, OneHour, OneDay, SevenDays };
    static std::chrono::milliseconds rangeSpan(Range range);
    // Not shown for this long, an endpoint's live tail is dropped (it is in the log).
    static constexpr qint64 kEvictAfterMs = 15 * 60 * 1000;
    static constexpr int kMaxSegments = 48; // line pieces per series; an outage or silence breaks a line

    using Clock = std::function<QDateTime()>;

    explicit EndpointTimeline(QWidget *parent = nullptr);
    ~EndpointTimeline() override;

    void setHistoryReader(HistoryReader *reader);
    void setClock(Clock clock);

    void setEndpoint(const QString &name);
    QString endpoint() const { return m_endpoint; }
    void appendEvents(const QList<Event> &events);
    // The selected endpoint's state per the latest snapshot: the band's state when no change is known.
    void setCurrentState(EndpointState state, const QDateTime &since);
    void forgetEndpoint(const QString &name);

    void setRange(Range range); // and follows live
    Range range() const { return m_range; }
    void setFollowing(bool follow);
    bool isFollowing() const { return m_following; }
    // The visible window; zoom and pan stop following.
    QDateTime viewFrom() const;
    QDateTime viewTo() const;
    void zoom(double factor, qint64 anchorMs);
    void pan(qint64 deltaMs);

    bool exportPng(const QString &path, QString *error);

    // For tests: what is drawn now.
    QList<QPointF> seriesPoints(TimelineSeries series) const; // x: ms since the epoch
    int segmentCount(TimelineSeries series) const;
    QList<TimelineMarker> markers() const;
    QString markerToolTip(qsizetype index) const;
    QList<TimelineSpan> spans() const;
    bool isLoading() const { return m_loading; }
    qsizetype keptSamples(const QString &endpoint) const;
    qsizetype keptEndpoints() const { return m_tracks.size(); }
    TimelineChartView *view() const { return m_view; }
    QString caption() const;
    // Whether a plot area of this width needs the series decimated again. The axes' labels change
    // the plot's width, and a refit can change the labels back: a width within a pixel of the last
    // refit or of the one before it (the two widths of such a swing) is not refitted again, which
    // ends the swing after one refit instead of refreshing on every turn of the event loop. A resize
    // of the widget refreshes on its own.
    static bool plotAreaNeedsRefit(int plotWidth, int columns, int previousColumns);

Q_SIGNALS:
    void historyLoaded(const QString &endpoint);
    void followingChanged(bool following);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void buildControls();
    void buildChart();
    QXYSeries *segment(TimelineSeries series, int index);
    void refresh();
    void updateAxisFormat(qint64 spanMs);
    void applyTheme();
    void applySeriesPen(TimelineSeries series, QXYSeries *line) const;
    void ensureLoaded();
    bool needsLoad() const;
    void requestLoad();
    void evictIdle(qint64 nowMs);
    void queueRefresh(); // on the next turn of the event loop, once the chart has laid out
    void setViewWindow(qint64 fromMs, qint64 toMs);
    void chooseExportFile();
    qint64 nowMs() const;

    TimelineChartView *m_view = nullptr;
    QChart *m_chart = nullptr; // owned by m_view
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_rttAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    std::array<QList<QXYSeries *>, kTimelineSeriesCount> m_series; // owned by m_chart
    QButtonGroup *m_ranges = nullptr;
    QToolButton *m_live = nullptr;
    QToolButton *m_export = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_legend = nullptr;
    QTimer *m_tick = nullptr;
    QTimer *m_settle = nullptr; // after zoom and pan, load what the new window needs

    QPointer<HistoryReader> m_history;
    Clock m_clock;
    QString m_endpoint;
    QHash<QString, TimelineTrack> m_tracks;
    std::optional<TimelineChange> m_current; // the snapshot's state and since
    Range m_range = Range::FiveMinutes;
    bool m_following = true;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    bool m_loading = false;
    QString m_loadError;
    qint64 m_lastLoadMs = 0;
    qint64 m_lastEvictMs = 0;
    int m_columns = 0;         // pixel columns the series were decimated to
    int m_previousColumns = 0; // and before that
    bool m_refreshQueued = false;
};

} // namespace kw
