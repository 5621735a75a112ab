#pragma once

// What the endpoint dialog's source files share: its tabs, the watch table's columns, and two small
// field helpers. Private to ui/.

#include "endpointdialog.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QSpinBox>
#include <QString>
#include <QStringList>

namespace kw::dialogfields {

enum Tab { GeneralTab, KeepaliveTab, ReconnectTab, HeartbeatTab, IdleTab, TlsTab, WebSocketTab, MqttTab };

enum WatchColumn {
    WatchTopic,
    WatchTimeout,
    WatchExpect,
    WatchWillPayload,
    WatchRetained,
    WatchQos,
    WatchColumnCount
};

enum HeaderColumn { HeaderName, HeaderValue, HeaderColumnCount };

// "a, b c" -> {"a", "b", "c"}: the list fields (tags, ALPN, subprotocols) take commas or spaces.
inline QStringList splitWords(const QString &text)
{
    static const QRegularExpression kSeparators(QStringLiteral("[,\\s]+"));
    return text.split(kSeparators, Qt::SkipEmptyParts);
}

inline QSpinBox *spin(int min, int max, const QString &suffix, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setSuffix(suffix);
    box->setAccelerated(true);
    return box;
}

inline void putOrRemove(QJsonObject &object, const QString &key, bool present, const QJsonValue &value)
{
    if (present)
        object.insert(key, value);
    else
        object.remove(key);
}

// Writes `key` when it differs from its default or was already in the file,
// so a saved workspace does not fill up with defaults nobody chose.
inline void putUnlessDefault(QJsonObject &object, const QString &key, const QJsonValue &value,
                             const QJsonValue &defaultValue)
{
    if (value != defaultValue || object.contains(key))
        object.insert(key, value);
}

} // namespace kw::dialogfields

namespace kw {

// A field with the object name the tests find it by and the name a screen reader says.
template<typename Widget>
Widget *EndpointDialog::named(Widget *widget, const QString &objectName, const QString &accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
    return widget;
}

} // namespace kw
