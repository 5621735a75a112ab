#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>
#include <QStringList>

#include <chrono>
#include <initializer_list>
#include <optional>

namespace kw {

// A JSON value as a message shows it: strings quoted and escaped, numbers as
// plain decimals, "an object" / "an array" for containers.
QString describeJson(const QJsonValue &value);

// Qt's JSON reader keeps a key that starts with a byte order mark (U+FEFF, as
// pasted from some editors) but hands it back without the mark, so the key can
// neither be looked up nor saved as read. One message per such key, under
// `path` ("endpoints[2].mqtt"), into `errors`; with `nested`, the keys of the
// objects inside too.
void reportByteOrderMarkKeys(const QJsonObject &object, const QString &path, QStringList &errors,
                             bool nested = true);

// Reads typed, range-checked fields of one JSON object and collects messages
// "<path>.<key>: expected ..., got ..." instead of stopping at the first.
// Remembers which keys it was asked about, so the rest can be reported.
class JsonObjectReader
{
public:
    JsonObjectReader(const QJsonObject &object, QString path, QStringList &errors, QStringList &warnings);

    QString pathOf(const QString &key) const;
    void error(const QString &key, const QString &problem);
    bool has(const QString &key) const { return m_object.contains(key); }
    QJsonValue value(const QString &key); // marks the key as known

    // Each returns nullopt when the key is absent (no message) or wrong (message).
    std::optional<qint64> integer(const QString &key, qint64 min, qint64 max, const QString &note = {});
    std::optional<double> number(const QString &key, double min, double max, const QString &expected);
    std::optional<bool> boolean(const QString &key);
    std::optional<QString> string(const QString &key);
    std::optional<QJsonObject> object(const QString &key);
    // A number of seconds 0.001–2147483 (fractions allowed), in milliseconds.
    std::optional<std::chrono::milliseconds> seconds(const QString &key);
    // A string with the payload escapes of escapes.h (\r \n \t \\ \xNN), as bytes.
    std::optional<QByteArray> escaped(const QString &key);
    // Required, non-empty, no white space or control characters (names,
    // addresses); `missing` is the
    // message when the key is absent.
    std::optional<QString> word(const QString &key, const QString &missing);
    // An array of non-empty strings without white space ("alpn", "subprotocols", "tags");
    // `what` names them in the message, e.g. "subprotocol names such as \"graphql-ws\"".
    std::optional<QStringList> words(const QString &key, const QString &what);

    template<typename Enum>
    std::optional<Enum> oneOf(const QString &key, std::initializer_list<Enum> values, QString (*nameOf)(Enum),
                              std::optional<Enum> (*fromName)(const QString &))
    {
        if (!has(key))
            return std::nullopt;
        const QJsonValue v = value(key);
        if (v.isString()) {
            if (const std::optional<Enum> e = fromName(v.toString()))
                return e;
        }
        QStringList names;
        for (const Enum e : values)
            names << describeJson(nameOf(e));
        error(key, QStringLiteral("expected one of ") + names.join(QStringLiteral(", ")) +
                       QStringLiteral(", got ") + describeJson(v));
        return std::nullopt;
    }

    // One warning per key nobody asked about.
    void reportUnknownKeys();

private:
    QJsonObject m_object;
    QString m_path;
    QStringList &m_errors;
    QStringList &m_warnings;
    QSet<QString> m_known;
};

} // namespace kw
