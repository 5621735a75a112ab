#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace kw {

namespace {

constexpr int kIndent = 4;

void write(QByteArray &out, const QJsonValue &value, const QStringList &keyOrder, int depth)
{
    const QByteArray inner(qsizetype(depth + 1) * kIndent, ' ');
    const QByteArray outer(qsizetype(depth) * kIndent, ' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            out += "{}";
            return;
        }
        QStringList keys = object.keys();
        std::stable_sort(keys.begin(), keys.end(), [&keyOrder](const QString &a, const QString &b) {
            const qsizetype ia = keyOrder.indexOf(a);
            const qsizetype ib = keyOrder.indexOf(b);
            if (ia >= 0 || ib >= 0)
                return ia >= 0 && (ib < 0 || ia < ib);
            return a < b;
        });
        out += "{\n";
        for (qsizetype i = 0; i < keys.size(); ++i) {
            out += inner + jsonScalar(keys.at(i)) + ": ";
            write(out, object.value(keys.at(i)), keyOrder, depth + 1);
            out += i + 1 < keys.size() ? ",\n" : "\n";
        }
        out += outer + '}';
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (qsizetype i = 0; i < array.size(); ++i) {
            out += inner;
            write(out, array.at(i), keyOrder, depth + 1);
            out += i + 1 < array.size() ? ",\n" : "\n";
        }
        out += outer + ']';
    } else {
        out += jsonScalar(value);
    }
}

} // namespace

QByteArray jsonScalar(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2); // strip the enclosing [ ]
}

QByteArray writeJson(const QJsonObject &object, const QStringList &keyOrder)
{
    QByteArray out;
    write(out, object, keyOrder, 0);
    return out;
}

QJsonObject putNested(QJsonObject out, const QString &key, const QJsonObject &nested)
{
    if (!nested.isEmpty() || out.contains(key))
        out.insert(key, nested);
    else
        out.remove(key);
    return out;
}

QJsonValue secondsJson(std::chrono::milliseconds duration)
{
    const qint64 ms = duration.count();
    return ms % 1000 == 0 ? QJsonValue(ms / 1000) : QJsonValue(double(ms) / 1000.0);
}

void put(QJsonObject &out, const QString &key, const QJsonValue &value, bool isDefault)
{
    if (!isDefault || out.contains(key))
        out.insert(key, value);
}

} // namespace kw
