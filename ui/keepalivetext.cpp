#include "keepalivetext.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace kw {

// The translation context of this file's messages: lupdate files them under "kw::KeepaliveText", and
// Q_DECLARE_TR_FUNCTIONS looks them up under the same name.
class KeepaliveText
{
    Q_DECLARE_TR_FUNCTIONS(kw::KeepaliveText)
};

namespace {

QString systemValue(const net::SourcedValue &value)
{
    if (!value.value)
        return KeepaliveText::tr("unknown here");
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
        {KeepaliveText::tr("idle"), asked.idle ? std::optional<long long>(asked.idle->count()) : std::nullopt,
         KeepaliveText::tr("s"), defaults.keepaliveTime},
        {KeepaliveText::tr("interval"),
         asked.interval ? std::optional<long long>(asked.interval->count()) : std::nullopt,
         KeepaliveText::tr("s"), defaults.keepaliveInterval},
        {KeepaliveText::tr("count"), asked.count ? std::optional<long long>(*asked.count) : std::nullopt,
         QString(), defaults.keepaliveProbes},
    };

    QStringList line;
    QStringList tip;
    if (asked.enabled == false)
        line << KeepaliveText::tr("keepalive off, as the workspace asks");
    else if (!asked.enabled)
        line << KeepaliveText::tr("nothing asked: keepalive stays as the OS leaves a new socket (off)");
    for (const Part &part : parts) {
        if (!part.system.source.empty())
            tip << KeepaliveText::tr("System %1: %2, read from %3%4")
                       .arg(part.name, systemValue(part.system), QString::fromStdString(part.system.source),
                            part.system.isOsDefault ? KeepaliveText::tr(" (the OS default)") : QString());
        if (asked.enabled != true)
            continue;
        const QString system = systemValue(part.system);
        if (part.value) {
            const QString value =
                QLocale().toString(*part.value) + (part.unit.isEmpty() ? QString() : u' ' + part.unit);
            line << KeepaliveText::tr("%1 %2 (system %3)").arg(part.name, value, system);
        } else {
            line << KeepaliveText::tr("%1: system %2").arg(part.name, system);
        }
    }
    if (asked.userTimeout)
        line << KeepaliveText::tr("user timeout %1 ms")
                    .arg(QLocale().toString(qint64(asked.userTimeout->count())));
    QString text = line.join(KeepaliveText::tr(" · "));
    if (asked.enabled == true)
        text = KeepaliveText::tr("asked %1").arg(text);
    return {text, tip.join(u'\n')};
}

} // namespace kw
