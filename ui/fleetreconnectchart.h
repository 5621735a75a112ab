#pragma once

#include "event.h"
#include "reconnectbuckets.h"

#include <QColor>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <chrono>
#include <functional>

class QBarSet;
class QCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QStackedBarSeries;
class QStackedWidget;
class QTimer;
class QValueAxis;

namespace kw {

class HistoryReader;

// Reconnects across every endpoint over the last hour, day or week: one stacked bar per time bucket,
// one colour per cause. The history is counted from the event log on the reader's thread (only the
// counts come back); live events then add to the current bucket without a reload. Pointing at a bar
// names the endpoints that dropped then; clicking it emits bucketActivated(), which the window uses
// to filter the endpoint list and the log to what dropped then.
class FleetReconnectChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetReconnectChart)

public:
    enum class Range { Hour, Day, Week };
    struct RangeSpec
    {
        std::chrono::minutes bucket; // one bar
        int buckets;                 // bars in the range
    };
    // 60 bars of a minute, 96 of 15 minutes, 168 of an hour: narrow enough to tell apart at 1024 px.
    static RangeSpec rangeSpec(Range range);
    // "1 h", "24 h", "7 d"
    static QString rangeText(Range range);
    // A cause's colour, the same in every range and every run: a fixed one for each cause of
    // DESIGN.md, shades of it for the reasons ("ws-close:1001").
    static QColor causeColor(const QString &cause);
    // The word shown for a cause ("no cause" for a drop that named none).
    static QString causeLabel(const QString &cause);

    using Clock = std::function<QDateTime()>;

    explicit FleetReconnectChart(QWidget *parent = nullptr);
    ~FleetReconnectChart() override;

    // Null, or a reader without a log: only live events are counted, from when the chart opened.
    void setHistoryReader(HistoryReader *reader);
    void setClock(Clock clock);
    void setRange(Range range);
    Range range() const { return m_range; }

    void appendEvents(const QList<Event> &events);
    // Counts the range again from the event log (a range change does this itself).
    void reload();

    const ReconnectBuckets &buckets() const { return m_buckets; }
    bool isLoading() const { return m_loading; }
    // The causes drawn, bottom of the stack first, and the bar set of each.
    QStringList causes() const { return m_causes; }
    QBarSet *barSet(const QString &cause) const;
    // "10:41: 12 drops — 9 keepalive-timeout, 3 reset", and the endpoints on a second line.
    QString bucketText(int index) const;
    // The line above the chart: totals, the empty sentence, loading or the log's error.
    QString summaryText() const;
    bool showsEmptyState() const;
    // The legend under the chart in words: "keepalive-timeout 9, reset 3".
    QString legendText() const;
    QChartView *view() const { return m_view; }
    QChart *chart() const { return m_chart; }

Q_SIGNALS:
    void bucketActivated(const QDateTime &from, const QDateTime &to, const QString &cause,
                         const QStringList &endpoints);
    // The history of the range is counted (or could not be read: summaryText() says why).
    void loaded();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void startRange();
    void finishLoad(ReconnectBuckets counted, const QString &error);
    void tick();
    void refresh();
    void rebuildSets();
    void rebuildTimeAxis();
    void updateCountAxis();
    void updateLegend();
    void updateSummary();
    void elideSummary();
    void applyTheme();
    void hovered(const QString &cause, bool status, int index);
    void clicked(const QString &cause, int index);
    QString timeLabel(int index) const;

    QPointer<HistoryReader> m_reader;
    Clock m_clock;
    Range m_range = Range::Hour; // reconnects per minute: what an incident asks first
    ReconnectBuckets m_buckets;
    bool m_loading = false;
    QString m_error;
    QDateTime m_loadUntil;            // the log covers the range up to here; live events from here on
    QList<Event> m_pending;           // live reconnects that arrived while the log was being read
    QDateTime m_axisFirst;            // first bucket the time axis was labelled for
    QStringList m_causes;             // one bar set each, in this order
    QHash<QString, QBarSet *> m_sets; // owned by m_series
    int m_hovered = -1;               // the bucket pointed at

    QComboBox *m_rangeBox = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_hover = nullptr;
    QLabel *m_legend = nullptr;
    QLabel *m_empty = nullptr;
    QStackedWidget *m_stack = nullptr;
    QChartView *m_view = nullptr;
    QChart *m_chart = nullptr;
    QStackedBarSeries *m_series = nullptr;
    QCategoryAxis *m_timeAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    QTimer *m_tick = nullptr;
};

} // namespace kw
