#include "keepalivetext.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace kw {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("kw::KeepaliveText", text);
}

QString systemValue(const net::SourcedValue &value)
{
    if (!value.value)
        return tr("unknown here");
    return QLocale().toString(*value.value) +
           (value.unit.empty() ? QString() : u' ' + QString::fromStdString(value.unit));
}

} // namespace

KeepaliveRequestText describeKeepaliveRequest(const net::TcpKeepaliveSettings &requested,
                                              const net::SystemDefaults &defaults)
{
    const net::TcpKeepaliveSettings asked = requested.normalized();
    struct Part
    {
        QString name;
        std::optional<long long> value;
        QString unit;
        const net::SourcedValue &system;
    };
    const Part parts[] = {
        {tr("idle"), asked.idle ? std::optional<long long>(asked.idle->count()) : std::nullopt, tr("s"),
         defaults.keepaliveTime},
        {tr("interval"), asked.interval ? std::optional<long long>(asked.interval->count()) : std::nullopt,
         tr("s"), defaults.keepaliveInterval},
        {tr("count"), asked.count ? std::optional<long long>(*asked.count) : std::nullopt, QString(),
         defaults.keepaliveProbes},
    };

    QStringList line;
    QStringList tip;
    if (asked.enabled == false)
        line << tr("keepalive off, as the workspace asks");
    else if (!asked.enabled)
        line << tr("nothing asked: keepalive stays as the OS leaves a new socket (off)");
    for (const Part &part : parts) {
        if (!part.system.source.empty())
            tip << tr("System %1: %2, read from %3%4")
                       .arg(part.name, systemValue(part.system), QString::fromStdString(part.system.source),
                            part.system.isOsDefault ? tr(" (the OS default)") : QString());
        if (asked.enabled != true)
            continue;
        const QString system = systemValue(part.system);
        if (part.value) {
            const QString value =
                QLocale().toString(*part.value) + (part.unit.isEmpty() ? QString() : u' ' + part.unit);
            line << tr("%1 %2 (system %3)").arg(part.name, value, system);
        } else {
            line << tr("%1: system %2").arg(part.name, system);
        }
    }
    if (asked.userTimeout)
        line << tr("user timeout %1 ms").arg(QLocale().toString(qint64(asked.userTimeout->count())));
    QString text = line.join(tr(" · "));
    if (asked.enabled == true)
        text = tr("asked %1").arg(text);
    return {text, tip.join(u'\n')};
}

} // namespace kw
