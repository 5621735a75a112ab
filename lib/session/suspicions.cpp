#include "suspicions.h"

#include <algorithm>
#include <array>

namespace kw {

namespace {
constexpr std::array kOrder{
    Suspicions::kKeepaliveProbes, Suspicions::kRetransmitting, Suspicions::kHeartbeatOverdue,
    Suspicions::kPongLate,        Suspicions::kIdle,           Suspicions::kPhi,
    Suspicions::kSendBacklog};
} // namespace

int Suspicions::rankOf(QLatin1StringView reason)
{
    for (std::size_t i = 0; i < kOrder.size(); ++i) {
        if (reason == kOrder[i])
            return int(i);
    }
    return int(kOrder.size());
}

bool Suspicions::set(QLatin1StringView reason, bool on, const QString &text)
{
    const auto it =
        std::find_if(m_on.begin(), m_on.end(), [&](const Entry &e) { return e.reason == reason; });
    if (!on) {
        if (it != m_on.end())
            m_on.erase(it);
        return false;
    }
    if (it != m_on.end()) {
        it->text = text;
        return false;
    }
    Entry entry{reason, rankOf(reason), text};
    const auto at = std::upper_bound(m_on.begin(), m_on.end(), entry, [](const Entry &a, const Entry &b) {
        return a.rank != b.rank ? a.rank < b.rank : a.reason < b.reason;
    });
    m_on.insert(at, std::move(entry));
    return true;
}

bool Suspicions::has(QLatin1StringView reason) const
{
    return std::any_of(m_on.begin(), m_on.end(), [&](const Entry &e) { return e.reason == reason; });
}

bool Suspicions::onlyFromKernel() const
{
    return std::all_of(m_on.begin(), m_on.end(), [](const Entry &e) {
        return e.reason == QLatin1StringView(kKeepaliveProbes) ||
               e.reason == QLatin1StringView(kRetransmitting);
    });
}

QString Suspicions::text() const
{
    QStringList parts;
    for (const Entry &e : m_on) {
        if (!e.text.isEmpty())
            parts << e.text;
    }
    return parts.join(u"; ");
}

QStringList Suspicions::reasons() const
{
    QStringList out;
    for (const Entry &e : m_on)
        out << QString(e.reason);
    return out;
}

} // namespace kw
