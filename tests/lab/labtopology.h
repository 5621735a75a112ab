#pragma once

// The fault lab's network: private network namespaces joined by veth pairs, with nftables rules that
// break the path on purpose. Everything lives in namespaces this object creates (names carry the test
// process id) and deletes again in its destructor, so parallel runs cannot collide and nothing on the
// host's own network is touched. Addresses come only from 198.51.100.0/24 (TEST-NET-2, RFC 5737).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <chrono>

namespace kw::lab {

struct CommandResult
{
    bool ok = false; // started, exited normally with code 0
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe(const QStringList &command) const; // for failure messages
};

// Runs a program to completion (bounded by timeoutMs); never through a shell.
CommandResult runCommand(const QString &program, const QStringList &arguments, int timeoutMs = 15000,
                         const QByteArray &input = {});

enum class Layout {
    Direct, // mon 198.51.100.1/24 <-> peer 198.51.100.2/24
    Routed, // mon 198.51.100.1/25 <-> rtr .126/.129 (NAT, conntrack) <-> peer 198.51.100.130/25
};

enum class Fault {
    Blackhole,       // drop the service's packets both ways, as a dead host or a cut cable
    DropSyn,         // drop only connection attempts (SYN without ACK)
    RandomLoss,      // drop `percent` % of the service's packets, each direction independently
    RejectWithReset, // answer every packet to the service with a TCP RST
};

class LabTopology
{
public:
    // Empty when the lab can run here; otherwise why not (not root, `ip` or `nft` missing).
    static QString unavailableReason();

    // `tag` keeps the names of several topologies in one process apart.
    explicit LabTopology(const QString &tag = QStringLiteral("lab"));
    ~LabTopology();
    LabTopology(const LabTopology &) = delete;
    LabTopology &operator=(const LabTopology &) = delete;

    bool create(Layout layout, QString *error);
    // Routed layout only: masquerade towards the peer, strict conntrack (no mid-stream pickup, packets
    // that are not part of a tracked connection dropped) and the established-connection idle timeout.
    bool configureRouter(std::chrono::seconds establishedTimeout, QString *error);

    Layout layout() const { return m_layout; }
    QString monitorNamespace() const { return m_names.at(0); }
    QString peerNamespace() const { return m_names.at(1); }
    QString routerNamespace() const { return m_names.at(2); }
    QString monitorAddress() const { return QStringLiteral("198.51.100.1"); }
    QString peerAddress() const;

    // `ip netns exec NS program args...`
    static QStringList execIn(const QString &ns, const QString &program, const QStringList &arguments);
    CommandResult runIn(const QString &ns, const QString &program, const QStringList &arguments,
                        int timeoutMs = 15000) const;
    bool nft(const QString &ns, const QString &script, QString *error) const;
    // Writes /etc/netns/<monitor>/resolv.conf, which `ip netns exec` mounts over /etc/resolv.conf, so
    // name lookups in the monitor namespace go to a resolver inside it.
    bool setMonitorResolver(const QString &nameserver, QString *error);

    // Applies a fault to the service on `port`, filtered in the peer namespace. Returns the wall-clock
    // UTC time from which the rule is in force (after nft returned), or an invalid time on failure.
    QDateTime inject(Fault fault, quint16 port, QString *error, int percent = 0);
    bool clearFaults(QString *error);

private:
    void destroy();
    bool ensureNamespace(const QString &name, QString *error);

    Layout m_layout = Layout::Direct;
    QStringList m_names; // mon, peer, rtr
    QStringList m_created;
    QString m_resolverDir;
};

// Milliseconds from `from` to `to` (negative when `to` is earlier).
qint64 millisecondsBetween(const QDateTime &from, const QDateTime &to);

} // namespace kw::lab
