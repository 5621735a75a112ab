#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>

namespace kw {

// Writes the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): one HELP and one
// TYPE line per family, then its samples. No timestamps: Prometheus stamps a scrape itself.
class MetricsExposition
{
public:
    enum class Type { Counter, Gauge, Histogram, Summary };

    // The Content-Type of what text() holds.
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

    explicit MetricsExposition(qsizetype reserveBytes = 0);

    // Starts a family: "# HELP name help" and "# TYPE name type". `name` must already be a valid
    // metric name (the registry's names are constants); `help` is escaped.
    void family(QByteArrayView name, QByteArrayView help, Type type);
    // One sample: name{labels} value. `labels` is what label() built (comma-separated, no braces),
    // or empty for none.
    void sample(QByteArrayView name, QByteArrayView labels, double value) { sample(name, labels, {}, value); }
    void sample(QByteArrayView name, QByteArrayView labels, std::uint64_t value)
    {
        sample(name, labels, {}, value);
    }
    // The same with a second group of labels after the first (a comma between them), so that a
    // label shared by many samples is not copied for each.
    void sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels, double value);
    void sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels, std::uint64_t value);

    const QByteArray &text() const { return m_text; }
    QByteArray takeText() { return std::move(m_text); }

    // Appends name="value" to `labels` (with a comma before it when `labels` is not empty), the value
    // escaped as the format asks: backslash, double quote and line feed.
    static void appendLabel(QByteArray &labels, QByteArrayView name, const QString &value);
    static void appendLabelUtf8(QByteArray &labels, QByteArrayView name, QByteArrayView utf8Value);
    // The value as the format spells it: shortest round-trip decimal, "+Inf", "-Inf", "NaN".
    static void appendValue(QByteArray &out, double value);

private:
    void line(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels, QByteArrayView value);

    QByteArray m_text;
};

} // namespace kw
