#pragma once

#include "alertnotice.h"

#include <QDateTime>

// Each file of tst_notify holds one test class and a function that runs it; main.cpp runs them all.
int runNotifyConfigTests(int argc, char **argv);
int runWebhookNotifierTests(int argc, char **argv);
int runCommandNotifierTests(int argc, char **argv);
int runAlertDispatcherTests(int argc, char **argv);

namespace kw::test {

inline AlertNotice sampleNotice(const QString &endpoint = QStringLiteral("db-primary"),
                                AlertKind kind = AlertKind::Down, QStringList tags = {QStringLiteral("prod")})
{
    AlertNotice n;
    n.ts = QDateTime(QDate(2026, 3, 4), QTime(10, 42, 7), Qt::UTC);
    n.endpoint = endpoint;
    n.kind = kind;
    n.state = kind == AlertKind::Up ? EndpointState::Up : EndpointState::Down;
    n.cause = Cause(CauseCode::KeepaliveTimeout);
    n.detail = QStringLiteral("no ACK to 5 probes");
    n.target = QStringLiteral("db.internal:5432");
    n.tags = std::move(tags);
    n.boundMs = 45'000;
    n.stateSince = n.ts.addSecs(-3);
    n.downSince = n.ts.addSecs(-3);
    if (kind == AlertKind::Up)
        n.downForMs = 125'000;
    return n;
}

} // namespace kw::test
