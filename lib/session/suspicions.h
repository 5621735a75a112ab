#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace kw {

// Why an Up endpoint is Suspect (DESIGN.md, "Endpoint states"): an open set of named reasons that the
// session core and each probe add to ("keepalive-probes", "heartbeat-overdue", later "pingresp-late").
// One detail for all reasons in a fixed order, so two reasons never take turns as the detail and
// raise an event each time: the core's reasons first, in kOrder, then the others by name.
class Suspicions
{
public:
    // Reasons are names made once (string literals), so setting one on every heartbeat allocates
    // nothing; a probe defines its own the same way.
    static constexpr QLatin1StringView kKeepaliveProbes{"keepalive-probes"};
    static constexpr QLatin1StringView kRetransmitting{"retransmitting"};
    static constexpr QLatin1StringView kHeartbeatOverdue{"heartbeat-overdue"};
    static constexpr QLatin1StringView kIdle{"idle"};
    static constexpr QLatin1StringView kPhi{"phi"};
    static constexpr QLatin1StringView kPongLate{"pong-late"};
    static constexpr QLatin1StringView kSendBacklog{"send-backlog"};

    // True when `reason` was off and is on now.
    bool set(QLatin1StringView reason, bool on, const QString &text = {});
    bool any() const { return !m_on.empty(); }
    bool has(QLatin1StringView reason) const;
    bool onlyFromKernel() const; // every reason is the kernel's (probes, retransmits)
    QString text() const;        // "2 keepalive probe(s) unanswered; 1 of 3 heartbeats missed"
    QStringList reasons() const;
    void clear() { m_on.clear(); }

private:
    struct Entry
    {
        QLatin1StringView reason;
        int rank = 0;
        QString text;
    };
    static int rankOf(QLatin1StringView reason);

    std::vector<Entry> m_on; // sorted by rank, then reason
};

} // namespace kw
