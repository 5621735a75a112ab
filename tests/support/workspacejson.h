#pragma once

// Workspace JSON builders shared by the workspace test suites.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

using namespace Qt::StringLiterals;

namespace kw::test {

inline const QString kFile = u"ws.json"_s;

inline QJsonObject baseEndpoint()
{
    return QJsonObject{
        {u"name"_s, u"db"_s}, {u"kind"_s, u"tcp"_s}, {u"host"_s, u"db.internal"_s}, {u"port"_s, 5432}};
}

inline QJsonValue parseValue(const char *json)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + QByteArray(json) + "]");
    Q_ASSERT(doc.isArray());
    return doc.array().at(0);
}

inline QByteArray fileWith(const QJsonArray &endpoints)
{
    return QJsonDocument(QJsonObject{{u"version"_s, 1}, {u"endpoints"_s, endpoints}}).toJson();
}

// The base endpoint with `key` set to `json` (or removed when json is null).
inline QByteArray withKey(const char *key, const char *json, QJsonObject endpoint = baseEndpoint())
{
    if (json)
        endpoint.insert(QString::fromUtf8(key), parseValue(json));
    else
        endpoint.remove(QString::fromUtf8(key));
    return fileWith({endpoint});
}

inline QByteArray withNested(const char *object, const char *key, const char *json,
                             QJsonObject endpoint = baseEndpoint())
{
    endpoint.insert(QString::fromUtf8(object), QJsonObject{{QString::fromUtf8(key), parseValue(json)}});
    return fileWith({endpoint});
}

inline QJsonObject listenEndpoint()
{
    return QJsonObject{{u"name"_s, u"hb"_s}, {u"kind"_s, u"listen"_s}, {u"port"_s, 7000}};
}

} // namespace kw::test
