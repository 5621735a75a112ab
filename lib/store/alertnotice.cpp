#include "alertnotice.h"

#include <array>
#include <utility>

namespace kw {

using namespace Qt::StringLiterals;

namespace {

const std::array<std::pair<AlertKind, QString>, 5> kAlertKindNames{{
    {AlertKind::Down, u"down"_s},
    {AlertKind::Up, u"up"_s},
    {AlertKind::Reminder, u"reminder"_s},
    {AlertKind::Flapping, u"flapping"_s},
    {AlertKind::Stable, u"stable"_s},
}};

} // namespace

QString alertKindName(AlertKind kind)
{
    for (const auto &[k, name] : kAlertKindNames) {
        if (k == kind)
            return name;
    }
    return {};
}

std::optional<AlertKind> alertKindFromName(const QString &name)
{
    for (const auto &[k, n] : kAlertKindNames) {
        if (n == name)
            return k;
    }
    return std::nullopt;
}

} // namespace kw
