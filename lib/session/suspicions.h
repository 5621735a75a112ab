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
    static constexpr const char *kKeepaliveProbes = "keepalive-probes";
    static constexpr const char *kRetransmitting = "retransmitting";
    static constexpr const char *kHeartbeatOverdue = "heartbeat-overdue";
    static constexpr const char *kIdle = "idle";
    static constexpr const char *kPhi = "phi";
    static constexpr const char *kPongLate = "pong-late";
    static constexpr const char *kSendBacklog = "send-backlog";

    // True when `reason` was off and is on now.
    bool set(const QString &reason, bool on, const QString &text = {});
    bool any() const { return !m_on.empty(); }
    bool has(const QString &reason) const;
    bool onlyFromKernel() const; // every reason is the kernel's (probes, retransmits)
    QString text() const;        // "2 keepalive probe(s) unanswered; 1 of 3 heartbeats missed"
    QStringList reasons() const;
    void clear() { m_on.clear(); }

private:
    struct Entry
    {
        QString reason;
        int rank = 0;
        QString text;
    };
    static int rankOf(const QString &reason);

    std::vector<Entry> m_on; // sorted by rank, then reason
};

} // namespace kw
