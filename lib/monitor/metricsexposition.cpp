#include "metricsexposition.h"

#include <charconv>
#include <cmath>
#include <cstring>

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
    case Type::Summary:
        m_text += " summary\n";
        break;
    }
}

void MetricsExposition::line(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels,
                             QByteArrayView value)
{
    // One resize and plain copies per line: at 10,000 endpoints a render writes half a million
    // lines, and a QByteArray append per piece was most of its time.
    const bool braces = !labels.isEmpty() || !moreLabels.isEmpty();
    const bool comma = !labels.isEmpty() && !moreLabels.isEmpty();
    const qsizetype length = name.size() + (braces ? 2 : 0) + labels.size() + (comma ? 1 : 0) +
                             moreLabels.size() + 1 + value.size() + 1;
    const qsizetype at = m_text.size();
    m_text.resize(at + length);
    char *p = m_text.data() + at;
    const auto put = [&p](QByteArrayView part) {
        if (!part.isEmpty()) {
            std::memcpy(p, part.data(), std::size_t(part.size()));
            p += part.size();
        }
    };
    put(name);
    if (braces) {
        *p++ = '{';
        put(labels);
        if (comma)
            *p++ = ',';
        put(moreLabels);
        *p++ = '}';
    }
    *p++ = ' ';
    put(value);
    *p++ = '\n';
}

void MetricsExposition::sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels,
                               double value)
{
    if (std::isfinite(value)) {
        char buffer[32];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
        line(name, labels, moreLabels, QByteArrayView(buffer, end - buffer));
        return;
    }
    QByteArray text; // "+Inf", "-Inf", "NaN"
    appendValue(text, value);
    line(name, labels, moreLabels, text);
}

void MetricsExposition::sample(QByteArrayView name, QByteArrayView labels, QByteArrayView moreLabels,
                               std::uint64_t value)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    line(name, labels, moreLabels, QByteArrayView(buffer, end - buffer));
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
