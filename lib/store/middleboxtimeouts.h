#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace kw {

class JsonObjectReader;

// The idle timeout of a kind of middlebox (load balancer, NAT, stateful firewall): how long it keeps an
// idle TCP connection before it forgets it, usually without telling either end. Each figure is the
// documented default, with the page it is documented on (docs/keepalive.md repeats the table).
struct Middlebox
{
    QString id;   // the workspace value of "path": "aws-nlb"
    QString name; // "AWS Network Load Balancer"
    std::chrono::seconds idleTimeout{0};
    QString source; // the URL of the document that states the figure
};

// Every middlebox Keepwatch knows, shortest timeout first.
const QList<Middlebox> &knownMiddleboxes();
const Middlebox *middleboxById(const QString &id);
// The shortest timeout of the table (Azure Load Balancer's 4 minutes): what the lint checks against,
// at info severity, when a workspace does not say what is on the path.
const Middlebox &shortestCommonMiddlebox();

// Workspace key "path" (top level, or per endpoint, which wins): what sits between Keepwatch and the
// peer. One of the ids of knownMiddleboxes(), "none" (nothing that times out: a direct link, a LAN),
// or a number of seconds (a middlebox measured with `keepwatch probe-idle`, or configured by hand).
struct PathHint
{
    std::optional<std::chrono::seconds> idleTimeout; // absent: "none"
    QString id;                                      // the table's id; empty for seconds or "none"
    QString name;                                    // as a message names it: "AWS Network Load Balancer"
    QString source;                                  // the table's source URL; empty otherwise

    bool isNone() const { return !idleTimeout; }
};

inline constexpr std::chrono::seconds kMinPathIdleTimeout{1};
inline constexpr std::chrono::seconds kMaxPathIdleTimeout{86400 * 30};

// The hint a "path" value gives, or nullopt with *problem naming what is wrong and the fix (without the
// key in front: callers put their own JSON path there).
std::optional<PathHint> pathHintFromJson(const QJsonValue &value, QString *problem);
// The workspace loader's check of "path" in the object `reader` reads (top level or an endpoint); the value
// stays in the object's raw JSON, where the lint (lib/monitor/keepalivelint.h) reads it.
void checkPathKey(JsonObjectReader &reader);

} // namespace kw
