#include "labtopology.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace kw::lab {

namespace {

const QString kIp = u"ip"_s;
const QString kNamePrefix = u"kwlab-"_s;
const QString kFaultTable = u"kwlabfault"_s;
const QString kNamespaceDir = u"/run/netns"_s; // where `ip netns add` puts its names

// A test that crashed cannot run its destructors: its namespaces (named after its pid) are removed by
// the next lab run once that pid is gone.
void removeStaleNamespaces()
{
    const QStringList names = QDir(kNamespaceDir).entryList({kNamePrefix + u'*'}, QDir::Files | QDir::System);
    for (const QString &name : names) {
        const QStringList parts = name.split(u'-');
        bool ok = false;
        const qint64 pid = parts.size() > 2 ? parts.at(1).toLongLong(&ok) : 0;
        if (!ok || pid <= 0 || QFile::exists(u"/proc/"_s + QString::number(pid)))
            continue;
        runCommand(kIp, {u"netns"_s, u"del"_s, name});
        QDir(u"/etc/netns/"_s + name).removeRecursively();
    }
}

} // namespace

QString CommandResult::describe(const QStringList &command) const
{
    return u"`"_s + command.join(u' ') + u"` exited with "_s + QString::number(exitCode) + u": "_s +
           QString::fromUtf8(err.trimmed().isEmpty() ? out.trimmed() : err.trimmed());
}

CommandResult runCommand(const QString &program, const QStringList &arguments, int timeoutMs,
                         const QByteArray &input)
{
    QProcess process;
    process.start(program, arguments);
    CommandResult result;
    if (!process.waitForStarted(timeoutMs)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.err = "timed out after " + QByteArray::number(timeoutMs) + " ms";
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.ok = process.exitStatus() == QProcess::NormalExit && result.exitCode == 0;
    return result;
}

qint64 millisecondsBetween(const QDateTime &from, const QDateTime &to)
{
    return from.msecsTo(to);
}

QString LabTopology::unavailableReason()
{
    if (::geteuid() != 0)
        return u"the fault lab needs root (network namespaces, nftables); run ctest as root"_s;
    if (QStandardPaths::findExecutable(kIp).isEmpty())
        return u"`ip` (iproute2) not installed; apt-get install iproute2"_s;
    if (QStandardPaths::findExecutable(u"nft"_s).isEmpty())
        return u"`nft` (nftables) not installed; apt-get install nftables"_s;
    return {};
}

LabTopology::LabTopology(const QString &tag)
{
    const QString base =
        kNamePrefix + QString::number(QCoreApplication::applicationPid()) + u'-' + tag + u'-';
    m_names = {base + u"mon"_s, base + u"peer"_s, base + u"rtr"_s};
}

LabTopology::~LabTopology()
{
    destroy();
}

QStringList LabTopology::execIn(const QString &ns, const QString &program, const QStringList &arguments)
{
    return QStringList{u"netns"_s, u"exec"_s, ns, program} + arguments;
}

CommandResult LabTopology::runIn(const QString &ns, const QString &program, const QStringList &arguments,
                                 int timeoutMs) const
{
    return runCommand(kIp, execIn(ns, program, arguments), timeoutMs);
}

bool LabTopology::ensureNamespace(const QString &name, QString *error)
{
    const QStringList add{u"netns"_s, u"add"_s, name};
    const CommandResult result = runCommand(kIp, add);
    if (!result.ok) {
        *error = result.describe(QStringList{kIp} + add);
        return false;
    }
    m_created.append(name);
    const QStringList lo{u"-n"_s, name, u"link"_s, u"set"_s, u"lo"_s, u"up"_s};
    const CommandResult up = runCommand(kIp, lo);
    if (!up.ok)
        *error = up.describe(QStringList{kIp} + lo);
    return up.ok;
}

bool LabTopology::create(Layout layout, QString *error)
{
    removeStaleNamespaces();
    m_layout = layout;
    const QString mon = monitorNamespace();
    const QString peer = peerNamespace();
    const QString rtr = routerNamespace();
    const bool routed = layout == Layout::Routed;
    for (const QString &name : routed ? QStringList{mon, peer, rtr} : QStringList{mon, peer}) {
        if (!ensureNamespace(name, error))
            return false;
    }

    // Each veth pair is created with its ends directly inside the namespaces, so no interface ever
    // appears in the host's namespace and the short fixed names cannot clash with anything.
    QList<QStringList> steps;
    const auto link = [&steps](const QString &a, const QString &aDev, const QString &b, const QString &bDev) {
        steps.append({u"-n"_s, a, u"link"_s, u"add"_s, aDev, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s, bDev,
                      u"netns"_s, b});
        steps.append({u"-n"_s, a, u"link"_s, u"set"_s, aDev, u"up"_s});
        steps.append({u"-n"_s, b, u"link"_s, u"set"_s, bDev, u"up"_s});
    };
    const auto address = [&steps](const QString &ns, const QString &dev, const QString &cidr) {
        steps.append({u"-n"_s, ns, u"addr"_s, u"add"_s, cidr, u"dev"_s, dev});
    };
    if (!routed) {
        link(mon, u"to-peer"_s, peer, u"to-mon"_s);
        address(mon, u"to-peer"_s, u"198.51.100.1/24"_s);
        address(peer, u"to-mon"_s, u"198.51.100.2/24"_s);
    } else {
        link(mon, u"to-rtr"_s, rtr, u"to-mon"_s);
        link(rtr, u"to-peer"_s, peer, u"to-rtr"_s);
        address(mon, u"to-rtr"_s, u"198.51.100.1/25"_s);
        address(rtr, u"to-mon"_s, u"198.51.100.126/25"_s);
        address(rtr, u"to-peer"_s, u"198.51.100.129/25"_s);
        address(peer, u"to-rtr"_s, u"198.51.100.130/25"_s);
        // Only the monitor needs a route: the router masquerades, so the peer sees 198.51.100.129.
        steps.append(
            {u"-n"_s, mon, u"route"_s, u"add"_s, u"198.51.100.128/25"_s, u"via"_s, u"198.51.100.126"_s});
    }
    for (const QStringList &step : std::as_const(steps)) {
        const CommandResult result = runCommand(kIp, step);
        if (!result.ok) {
            *error = result.describe(QStringList{kIp} + step);
            return false;
        }
    }
    return true;
}

bool LabTopology::configureRouter(std::chrono::seconds establishedTimeout, QString *error)
{
    if (m_layout != Layout::Routed) {
        *error = u"configureRouter() needs the routed layout"_s;
        return false;
    }
    const QString rtr = routerNamespace();
    // The ruleset comes first: conntrack's sysctls exist in a namespace only once something there uses
    // connection tracking.
    const QString ruleset = uR"(table ip kwlabnat {
    chain forward {
        type filter hook forward priority filter; policy drop;
        ct state established,related accept
        ct state new tcp flags & (syn | ack | fin | rst) == syn accept
        ct state new icmp type echo-request accept
    }
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "to-peer" masquerade
    }
}
)"_s;
    if (!nft(rtr, ruleset, error))
        return false;
    // nf_conntrack_tcp_loose=0: without it conntrack adopts a mid-stream packet after the entry expired
    // and the "evicted" connection silently recovers, which no real middlebox does.
    const QStringList settings{u"net.ipv4.ip_forward=1"_s, u"net.netfilter.nf_conntrack_tcp_loose=0"_s,
                               u"net.netfilter.nf_conntrack_tcp_timeout_established="_s +
                                   QString::number(establishedTimeout.count())};
    for (const QString &setting : settings) {
        const CommandResult result = runIn(rtr, u"sysctl"_s, {u"-w"_s, setting});
        if (!result.ok) {
            *error = result.describe(execIn(rtr, u"sysctl"_s, {u"-w"_s, setting}));
            return false;
        }
    }
    return true;
}

QString LabTopology::peerAddress() const
{
    return m_layout == Layout::Routed ? u"198.51.100.130"_s : u"198.51.100.2"_s;
}

bool LabTopology::nft(const QString &ns, const QString &script, QString *error) const
{
    const QStringList arguments = execIn(ns, u"nft"_s, {u"-f"_s, u"-"_s});
    const CommandResult result = runCommand(kIp, arguments, 15000, script.toUtf8());
    if (!result.ok)
        *error = result.describe(QStringList{kIp} + arguments) + u"\nruleset:\n"_s + script;
    return result.ok;
}

bool LabTopology::setMonitorResolver(const QString &nameserver, QString *error)
{
    m_resolverDir = u"/etc/netns/"_s + monitorNamespace();
    if (!QDir().mkpath(m_resolverDir)) {
        *error = u"cannot create "_s + m_resolverDir;
        return false;
    }
    QFile file(m_resolverDir + u"/resolv.conf"_s);
    // One quick attempt: the lab wants the failure, not the resolver's default 5 s x 2 retries.
    const QByteArray content = "nameserver " + nameserver.toUtf8() + "\noptions timeout:1 attempts:1\n";
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()) {
        *error = u"cannot write "_s + file.fileName() + u": "_s + file.errorString();
        return false;
    }
    return true;
}

QDateTime LabTopology::inject(Fault fault, quint16 port, QString *error, int percent)
{
    const QString p = QString::number(port);
    QString input;
    QString output;
    switch (fault) {
    case Fault::Blackhole:
        input = u"tcp dport "_s + p + u" drop"_s;
        output = u"tcp sport "_s + p + u" drop"_s;
        break;
    case Fault::DropSyn:
        input = u"tcp dport "_s + p + u" tcp flags & (syn | ack) == syn drop"_s;
        break;
    case Fault::RandomLoss: {
        const QString drop = u" numgen random mod 100 < "_s + QString::number(percent) + u" drop"_s;
        input = u"tcp dport "_s + p + drop;
        output = u"tcp sport "_s + p + drop;
        break;
    }
    case Fault::RejectWithReset:
        input = u"tcp dport "_s + p + u" reject with tcp reset"_s;
        break;
    }
    QString script = u"table inet "_s + kFaultTable + u" {\n"_s;
    script += u"    chain input {\n        type filter hook input priority filter; policy accept;\n"_s;
    if (!input.isEmpty())
        script += u"        "_s + input + u'\n';
    script +=
        u"    }\n    chain output {\n        type filter hook output priority filter; policy accept;\n"_s;
    if (!output.isEmpty())
        script += u"        "_s + output + u'\n';
    script += u"    }\n}\n"_s;
    if (!nft(peerNamespace(), script, error))
        return {};
    return QDateTime::currentDateTimeUtc();
}

bool LabTopology::clearFaults(QString *error)
{
    // "add" first makes the delete succeed whether or not a fault was injected.
    return nft(peerNamespace(),
               u"add table inet "_s + kFaultTable + u"\ndelete table inet "_s + kFaultTable + u'\n', error);
}

void LabTopology::destroy()
{
    for (const QString &name : std::as_const(m_created)) {
        // Anything still running inside was started by this test (the names are unique to this process);
        // a namespace with live processes would outlive `ip netns del`.
        const CommandResult pids = runCommand(kIp, {u"netns"_s, u"pids"_s, name});
        for (const QByteArray &line : pids.out.split('\n')) {
            bool ok = false;
            const int pid = line.trimmed().toInt(&ok);
            if (ok && pid > 0)
                ::kill(pid, SIGKILL);
        }
        runCommand(kIp, {u"netns"_s, u"del"_s, name});
    }
    m_created.clear();
    if (!m_resolverDir.isEmpty()) {
        QDir(m_resolverDir).removeRecursively();
        QDir().rmdir(u"/etc/netns"_s); // only when empty: other tools may keep files there
        m_resolverDir.clear();
    }
}

} // namespace kw::lab
