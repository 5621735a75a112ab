#include "metricsexposition.h"

#include <charconv>
#include <cmath>

namespace kw {

MetricsExposition::MetricsExposition(qsizetype reserveBytes)
{
    if (reserveBytes > 0)
        m_text.reserve(reserveBytes);
}

void MetricsExposition::family(QByteArrayView name, QByteArrayView help, Type type)
{
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    // HELP text escapes backslash and line feed (not the double quote).
    for (const char c : help) {
        if (c == '\\')
            m_text += "\\\\";
        else if (c == '\n')
            m_text += "\\n";
        else
            m_text += c;
    }
    m_text += "\n# TYPE ";
    m_text += name;
    switch (type) {
    case Type::Counter:
        m_text += " counter\n";
        break;
    case Type::Gauge:
        m_text += " gauge\n";
        break;
    case Type::Histogram:
        m_text += " histogram\n";
        break;
    }
}

void MetricsExposition::head(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels)
{
    m_text += name;
    if (!labels.isEmpty() || !moreLabels.isEmpty()) {
        m_text += '{';
        m_text += labels;
        if (!labels.isEmpty() && !moreLabels.isEmpty())
            m_text += ',';
        m_text += moreLabels;
        m_text += '}';
    }
    m_text += ' ';
}

void MetricsExposition::sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels,
                               double value)
{
    head(name, labels, moreLabels);
    appendValue(m_text, value);
    m_text += '\n';
}

void MetricsExposition::sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels,
                               std::uint64_t value)
{
    head(name, labels, moreLabels);
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    m_text.append(buffer, end - buffer);
    m_text += '\n';
}

void MetricsExposition::appendLabel(QByteArray &labels, QByteArrayView name, const QString &value)
{
    appendLabelUtf8(labels, name, QByteArrayView(value.toUtf8()));
}

void MetricsExposition::appendLabelUtf8(QByteArray &labels, QByteArrayView name, QByteArrayView utf8Value)
{
    if (!labels.isEmpty())
        labels += ',';
    labels += name;
    labels += "=\"";
    for (const char c : utf8Value) {
        if (c == '\\')
            labels += "\\\\";
        else if (c == '"')
            labels += "\\\"";
        else if (c == '\n')
            labels += "\\n";
        else
            labels += c;
    }
    labels += '"';
}

void MetricsExposition::appendValue(QByteArray &out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    out.append(buffer, end - buffer);
}

} // namespace kw
