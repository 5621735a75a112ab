#include "jsonreader.h"

#include "escapes.h"
#include "jsonwriter.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace kw {

using namespace Qt::StringLiterals;

QString describeJson(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        // Plain decimals as the user typed them (0.0001, not 1e-04), unless
        // that would spell out hundreds of zeros.
        const double d = value.toDouble();
        const double magnitude = std::abs(d);
        const bool plain = d == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
        return QString::number(d, plain ? 'f' : 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String:
        return QString::fromUtf8(jsonScalar(value));
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

namespace {

void reportByteOrderMarkKeysIn(const QJsonValue &value, const QString &path, QStringList &errors)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            reportByteOrderMarkKeysIn(array.at(i), path + u'[' + QString::number(i) + u']', errors);
    } else if (value.isObject()) {
        reportByteOrderMarkKeys(value.toObject(), path, errors);
    }
}

} // namespace

void reportByteOrderMarkKeys(const QJsonObject &object, const QString &path, QStringList &errors, bool nested)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString key = it.key();
        const QString where = path.isEmpty() ? key : path + u'.' + key;
        if (!object.contains(key)) {
            errors << where + u": this key starts with an invisible byte order mark (U+FEFF); delete the "
                              u"mark, or retype the key"_s;
            continue;
        }
        if (nested)
            reportByteOrderMarkKeysIn(it.value(), where, errors);
    }
}

JsonObjectReader::JsonObjectReader(const QJsonObject &object, QString path, QStringList &errors,
                                   QStringList &warnings)
    : m_object(object), m_path(std::move(path)), m_errors(errors), m_warnings(warnings)
{}

QString JsonObjectReader::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

void JsonObjectReader::error(const QString &key, const QString &problem)
{
    m_errors << pathOf(key) + u": " + problem;
}

QJsonValue JsonObjectReader::value(const QString &key)
{
    m_known.insert(key);
    return m_object.value(key);
}

std::optional<qint64> JsonObjectReader::integer(const QString &key, qint64 min, qint64 max,
                                                const QString &note)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    const double d = v.toDouble();
    if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max)) {
        error(key, u"expected an integer "_s + QString::number(min) + u'–' + QString::number(max) + note +
                       u", got "_s + describeJson(v));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<double> JsonObjectReader::number(const QString &key, double min, double max,
                                               const QString &expected)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    const double d = v.toDouble();
    if (!v.isDouble() || !(d >= min && d <= max)) {
        error(key, u"expected "_s + expected + u", got "_s + describeJson(v));
        return std::nullopt;
    }
    return d;
}

std::optional<bool> JsonObjectReader::boolean(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    if (!v.isBool()) {
        error(key, u"expected true or false, got "_s + describeJson(v));
        return std::nullopt;
    }
    return v.toBool();
}

std::optional<QString> JsonObjectReader::string(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    if (!v.isString()) {
        error(key, u"expected a string, got "_s + describeJson(v));
        return std::nullopt;
    }
    return v.toString();
}

std::optional<QJsonObject> JsonObjectReader::object(const QString &key)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    if (!v.isObject()) {
        error(key, u"expected an object, got "_s + describeJson(v));
        return std::nullopt;
    }
    return v.toObject();
}

std::optional<std::chrono::milliseconds> JsonObjectReader::seconds(const QString &key)
{
    // Durations end up in std::chrono and QTimer ints of milliseconds.
    constexpr qint64 kMaxSeconds = 2147483;
    const auto s = number(key, 0.001, double(kMaxSeconds),
                          u"a number of seconds 0.001–"_s + QString::number(kMaxSeconds));
    if (!s)
        return std::nullopt;
    return std::chrono::milliseconds(std::llround(*s * 1000));
}

std::optional<QByteArray> JsonObjectReader::escaped(const QString &key)
{
    const std::optional<QString> text = string(key);
    if (!text)
        return std::nullopt;
    QString problem;
    QByteArray bytes = decodeEscapes(*text, &problem);
    if (!problem.isEmpty()) {
        error(key, problem);
        return std::nullopt;
    }
    return bytes;
}

std::optional<QString> JsonObjectReader::word(const QString &key, const QString &missing)
{
    if (!has(key)) {
        m_known.insert(key);
        error(key, missing);
        return std::nullopt;
    }
    const std::optional<QString> text = string(key);
    if (!text)
        return std::nullopt;
    if (text->isEmpty()) {
        error(key, u"expected a non-empty string, got \"\""_s);
        return std::nullopt;
    }
    if (std::any_of(text->cbegin(), text->cend(), [](QChar c) { return c.isSpace(); })) {
        error(key, u"must not contain spaces, got "_s + describeJson(*text));
        return std::nullopt;
    }
    if (std::any_of(text->cbegin(), text->cend(),
                    [](QChar c) { return c.category() == QChar::Other_Control; })) {
        error(key, u"must not contain control characters, got "_s + describeJson(*text));
        return std::nullopt;
    }
    return text;
}

std::optional<QStringList> JsonObjectReader::words(const QString &key, const QString &what)
{
    if (!has(key))
        return std::nullopt;
    const QJsonValue v = value(key);
    if (!v.isArray()) {
        error(key, u"expected an array of "_s + what + u", got "_s + describeJson(v));
        return std::nullopt;
    }
    QStringList out;
    const QJsonArray items = v.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString text = items.at(i).toString();
        const bool blank = std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isSpace(); });
        if (!items.at(i).isString() || text.isEmpty() || blank) {
            error(key, u"expected an array of "_s + what + u", got "_s + describeJson(items.at(i)) +
                           u" at index "_s + QString::number(i) +
                           (blank ? u" (white space is not allowed)"_s : QString()));
            return std::nullopt;
        }
        out << text;
    }
    return out;
}

void JsonObjectReader::reportUnknownKeys()
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_known.contains(it.key()))
            m_warnings << pathOf(it.key()) + u": unknown key, kept as is (is it misspelt?)"_s;
    }
}

} // namespace kw
