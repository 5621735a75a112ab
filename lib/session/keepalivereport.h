#pragma once

#include "detectionbound.h"
#include "endpointconfig.h"
#include "event.h"
#include "keepalive.h"
#include "nativesocket.h"
#include "systemdefaults.h"

#include <QStringList>

namespace kw {

// What a session keeps of the keepalive in force on its socket: small, since 10,000 endpoints hold one.
struct KeepaliveInForce
{
    net::EffectiveKeepalive effective;
    std::optional<std::chrono::milliseconds> silentPeerBound;
    std::optional<std::chrono::milliseconds> unackedBound;
    bool userTimeoutSet = false;
    QString summary; // effective settings, one line
};

// What applying an endpoint's TCP keepalive settings to one socket gave, in the words every kind of
// session reports: the settings read back, the detection bounds they imply, and a "keepalive" event.
// A value for the moment of the connect; what stays is inForce().
struct AppliedKeepalive
{
    net::KeepaliveReport report;
    net::DetectionBound bound;
    bool userTimeoutSet = false;
    QString summary; // effective settings, one line

    // "silent peer 5 s", "unacked data 3 s": the kernel's share of the detection bound.
    QStringList boundParts() const;
    // The "keepalive" event: every option as requested and read back, and the bounds.
    Event event(const QString &endpoint, const QString &detailPrefix = {}) const;
    KeepaliveInForce inForce() const;
};

// Applies what the workspace asks for to `socket` and reads it back.
AppliedKeepalive applyKeepalive(net::NativeSocket socket, const net::TcpKeepaliveSettings &settings,
                                const net::SystemDefaults &defaults);

} // namespace kw
