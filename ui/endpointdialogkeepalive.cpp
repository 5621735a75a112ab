// The TCP keepalive tab of the endpoint dialog: the per-socket options, the presets, and the detection
// bound they imply, computed by the engine's own net::detectionBound() with this machine's defaults.

#include "endpointdialog.h"

#include "endpointdialogfields.h"
#include "endpointdialogpresets.h"

#include "detectionbound.h"
#include "timeformat.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kw {

using namespace dialogfields;

namespace {
using Field = net::TcpKeepaliveIssue::Field;

// A keepalive field's spin box: the validator's range, plus one below it that stands for "unset" (Qt
// shows specialValueText there, the usual Qt idiom for an optional number).
QSpinBox *keepaliveSpin(Field field, const QString &suffix, QWidget *parent)
{
    const net::TcpKeepaliveRange range = net::tcpKeepaliveRange(field);
    return spin(int(range.min) - 1, int(range.max), suffix, parent);
}
} // namespace

QWidget *EndpointDialog::buildKeepaliveTab()
{
    auto *page = new QWidget(this);
    auto *outer = new QVBoxLayout(page);
    auto *form = new QFormLayout;
    const QString systemDefault = tr("system default");
    m_kaEnabled = named(new QComboBox(page), QStringLiteral("keepaliveEnabled"), tr("Keepalive enabled"));
    m_kaEnabled->addItems({systemDefault, tr("on"), tr("off")});
    m_kaEnabled->setToolTip(tr("SO_KEEPALIVE: whether the kernel probes a silent connection at all. "
                               "\"system default\" turns it on as soon as a timing below is set."));
    m_kaIdle = named(keepaliveSpin(Field::Idle, tr(" s"), page), QStringLiteral("keepaliveIdle"),
                     tr("Keepalive idle time"));
    m_kaIdle->setToolTip(tr("TCP_KEEPIDLE: seconds of silence before the first probe. Keep it below the "
                            "idle timeout of every NAT or load balancer on the path, or the path forgets "
                            "the connection first (AWS NLB 350 s, Azure Load Balancer 4 min)."));
    m_kaInterval = named(keepaliveSpin(Field::Interval, tr(" s"), page), QStringLiteral("keepaliveInterval"),
                         tr("Keepalive probe interval"));
    m_kaInterval->setToolTip(tr("TCP_KEEPINTVL: seconds between unanswered probes."));
    m_kaCount = named(keepaliveSpin(Field::Count, {}, page), QStringLiteral("keepaliveCount"),
                      tr("Keepalive probe count"));
    m_kaCount->setToolTip(tr("TCP_KEEPCNT: unanswered probes before the connection is declared dead "
                             "(cause keepalive-timeout). Windows before 10 version 1703 ignores it and "
                             "sends 10."));
    m_kaUserTimeout = named(keepaliveSpin(Field::UserTimeout, tr(" ms"), page),
                            QStringLiteral("keepaliveUserTimeout"), tr("TCP user timeout"));
    m_kaUserTimeout->setToolTip(
        tr("TCP_USER_TIMEOUT (Linux; TCP_RXT_CONNDROPTIME on macOS, TCP_MAXRT on Windows): drop the "
           "connection when sent data stays unacknowledged this long (cause user-timeout). Linux sends "
           "no keepalive probe while data is unacknowledged, so set it to about idle + interval × "
           "count. 0 is the system's retransmission limit."));
    for (QSpinBox *box : {m_kaIdle, m_kaInterval, m_kaCount, m_kaUserTimeout})
        box->setSpecialValueText(systemDefault);
    // Editing a field replaces the out-of-range value it could not show (see loadKeepalive()).
    connect(m_kaIdle, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.idle.reset(); });
    connect(m_kaInterval, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.interval.reset(); });
    connect(m_kaCount, &QSpinBox::valueChanged, this, [this] { m_keepaliveUnshown.count.reset(); });
    connect(m_kaUserTimeout, &QSpinBox::valueChanged, this,
            [this] { m_keepaliveUnshown.userTimeout.reset(); });

    auto *presets = new QGridLayout;
    const QList<KeepalivePreset> all = KeepalivePresets::all();
    for (int i = 0; i < all.size(); ++i) {
        auto *button = named(new QPushButton(all.at(i).name, page),
                             QStringLiteral("keepalivePreset") + all.at(i).id, all.at(i).name);
        button->setToolTip(all.at(i).reason);
        button->setAutoDefault(false);
        connect(button, &QPushButton::clicked, this, [this, i] { applyPreset(i); });
        presets->addWidget(button, i / 2, i % 2);
    }

    m_kaBound = named(new QLabel(page), QStringLiteral("keepaliveBound"), tr("Detection bound"));
    m_kaBound->setWordWrap(true);
    m_kaBound->setTextFormat(Qt::PlainText);
    m_kaPlatformNote = named(new QLabel(page), QStringLiteral("keepalivePlatformNote"), tr("Platform notes"));
    m_kaPlatformNote->setWordWrap(true);
    m_kaPlatformNote->setTextFormat(Qt::PlainText);

    form->addRow(tr("Presets:"), presets);
    form->addRow(tr("&Keepalive:"), m_kaEnabled);
    form->addRow(tr("&Idle before first probe:"), m_kaIdle);
    form->addRow(tr("Probe i&nterval:"), m_kaInterval);
    form->addRow(tr("Probe &count:"), m_kaCount);
    form->addRow(tr("&User timeout:"), m_kaUserTimeout);
    m_kaPath = named(new QComboBox(page), QStringLiteral("keepalivePath"), tr("Middlebox on the path"));
    m_kaPath->setToolTip(tr("What sits between Keepwatch and the peer (workspace key \"path\"): the warnings "
                            "below check keepalive and heartbeat against its idle timeout."));
    loadPath();
    form->addRow(tr("Middlebox on the &path:"), m_kaPath);
    outer->addLayout(form);
    outer->addWidget(m_kaBound);
    outer->addWidget(m_kaPlatformNote);
    outer->addStretch(1);
    return page;
}

void EndpointDialog::applyPreset(int preset)
{
    const QList<KeepalivePreset> all = KeepalivePresets::all();
    if (preset < 0 || preset >= all.size())
        return;
    const KeepalivePreset &p = all.at(preset);
    loadKeepalive(p.keepalive);
    if (p.reconnect) {
        m_rcInitial->setValue(int(p.reconnect->initial.count()));
        m_rcMax->setValue(int(p.reconnect->max.count()));
        m_rcMultiplier->setValue(p.reconnect->multiplier);
        m_rcJitter->setValue(p.reconnect->jitter);
        m_rcMinConnectTimeout->setValue(int(p.reconnect->minConnectTimeout.count()));
    }
    m_pristine = false;
    validate();
}

void EndpointDialog::loadKeepalive(const net::TcpKeepaliveSettings &k)
{
    m_kaEnabled->setCurrentIndex(!k.enabled ? 0 : (*k.enabled ? 1 : 2));
    m_kaIdle->setValue(k.idle ? int(k.idle->count()) : 0);
    m_kaInterval->setValue(k.interval ? int(k.interval->count()) : 0);
    m_kaCount->setValue(k.count.value_or(0));
    m_kaUserTimeout->setValue(k.userTimeout ? int(k.userTimeout->count()) : -1);
    // An endpoint built in code may hold values the validator refuses and a spin box would clamp
    // silently: keep them in the JSON so the validator names them, as the loader would.
    m_keepaliveUnshown = {};
    for (const net::TcpKeepaliveIssue &issue : net::validateTcpKeepalive(k)) {
        switch (issue.field) {
        case Field::Idle:
            m_keepaliveUnshown.idle = k.idle;
            break;
        case Field::Interval:
            m_keepaliveUnshown.interval = k.interval;
            break;
        case Field::Count:
            m_keepaliveUnshown.count = k.count;
            break;
        case Field::UserTimeout:
            m_keepaliveUnshown.userTimeout = k.userTimeout;
            break;
        case Field::Enabled:
            break;
        }
    }
}

QJsonObject EndpointDialog::keepaliveJson() const
{
    QJsonObject ka = m_raw.value(QStringLiteral("keepalive")).toObject();
    putOrRemove(ka, QStringLiteral("enabled"), m_kaEnabled->currentIndex() != 0,
                m_kaEnabled->currentIndex() == 1);
    const auto putKeepalive = [&ka](const QString &key, const QSpinBox *box, std::optional<qint64> unshown) {
        if (unshown)
            ka.insert(key, *unshown);
        else
            putOrRemove(ka, key, box->value() != box->minimum(), box->value());
    };
    const auto ticks = [](const auto &duration) {
        return duration ? std::optional<qint64>(duration->count()) : std::nullopt;
    };
    putKeepalive(QStringLiteral("idle_s"), m_kaIdle, ticks(m_keepaliveUnshown.idle));
    putKeepalive(QStringLiteral("interval_s"), m_kaInterval, ticks(m_keepaliveUnshown.interval));
    putKeepalive(QStringLiteral("count"), m_kaCount,
                 m_keepaliveUnshown.count ? std::optional<qint64>(*m_keepaliveUnshown.count) : std::nullopt);
    putKeepalive(QStringLiteral("user_timeout_ms"), m_kaUserTimeout, ticks(m_keepaliveUnshown.userTimeout));
    return ka;
}

void EndpointDialog::updateKeepaliveBound()
{
    // The settings as the fields give them, then what a socket ends up with before read-back: the
    // engine's normalisation (a timing turns keepalive on) and the engine's arithmetic.
    net::TcpKeepaliveSettings requested;
    if (m_kaEnabled->currentIndex() != 0)
        requested.enabled = m_kaEnabled->currentIndex() == 1;
    if (m_kaIdle->value() > m_kaIdle->minimum())
        requested.idle = std::chrono::seconds(m_kaIdle->value());
    if (m_kaInterval->value() > m_kaInterval->minimum())
        requested.interval = std::chrono::seconds(m_kaInterval->value());
    if (m_kaCount->value() > m_kaCount->minimum())
        requested.count = m_kaCount->value();
    if (m_kaUserTimeout->value() > m_kaUserTimeout->minimum())
        requested.userTimeout = std::chrono::milliseconds(m_kaUserTimeout->value());
    const net::TcpKeepaliveSettings normalized = requested.normalized();
    net::EffectiveKeepalive effective;
    effective.enabled = normalized.enabled.value_or(false);
    effective.idle = normalized.idle;
    effective.interval = normalized.interval;
    effective.count = normalized.count;
    effective.userTimeout = normalized.userTimeout;
    const net::DetectionBound bound = net::detectionBound(effective, m_systemDefaults);
    // "35 s" rather than "35.0 s": the sentence adds up whole seconds as the fields show them.
    const auto duration = [this](std::chrono::milliseconds value) {
        if (value.count() % 1000 == 0 && value < std::chrono::minutes(10))
            return tr("%1 s").arg(value.count() / 1000);
        return TimeFormat::duration(value);
    };
    const bool onLinux = m_systemDefaults.platform == net::kPlatformLinux;
    const bool userTimeout = effective.userTimeout && effective.userTimeout->count() > 0;

    QStringList text;
    if (!effective.enabled) {
        text << tr("Keepalive off: TCP never notices a silent dead peer; only a heartbeat, a "
                   "WebSocket ping or an MQTT ping does.");
    } else if (!bound.silentPeer) {
        text << tr("The system defaults are unknown here, so the bound cannot be computed.");
    } else {
        const auto idle =
            effective.idle ? std::chrono::milliseconds(*effective.idle)
                           : m_systemDefaults.keepaliveTime.duration().value_or(std::chrono::milliseconds(0));
        const auto interval =
            effective.interval
                ? std::chrono::milliseconds(*effective.interval)
                : m_systemDefaults.keepaliveInterval.duration().value_or(std::chrono::milliseconds(0));
        const long long count =
            effective.count ? *effective.count : m_systemDefaults.keepaliveProbes.value.value_or(0);
        const QString unset = effective.idle && effective.interval && effective.count
                                  ? QString()
                                  : tr(", unset values from the system defaults");
        if (onLinux && userTimeout) {
            text << tr("A silent peer is declared dead after at most %1 (on Linux the user timeout of %2 "
                       "takes the place of the probe count: idle %3, then a probe every %4 until it has "
                       "passed%5).")
                        .arg(duration(*bound.silentPeer), duration(*effective.userTimeout), duration(idle),
                             duration(interval), unset);
        } else {
            text << tr("A silent peer is declared dead after at most %1 (idle %2 + %3 × %4%5).")
                        .arg(duration(*bound.silentPeer), duration(idle), QString::number(count),
                             duration(interval), unset);
        }
    }
    if (bound.unackedData) {
        text << (userTimeout ? tr("Unacknowledged data is abandoned after %1 (the user timeout).")
                                   .arg(duration(*bound.unackedData))
                             : tr("Unacknowledged data is abandoned only after about %1 of "
                                  "retransmissions; set a user timeout to bound it.")
                                   .arg(duration(*bound.unackedData)));
    }
    m_kaBound->setText(text.join(u' '));

    // Where the platforms differ from what the sentence assumes.
    QStringList notes;
    if (effective.enabled && effective.count) {
        net::SystemDefaults windows = m_systemDefaults;
        windows.platform = net::kPlatformWindows;
        net::EffectiveKeepalive fixed = effective;
        fixed.count.reset();
        fixed.countFixedByOs = true;
        fixed.userTimeout.reset();
        if (const auto onWindows = net::detectionBound(fixed, windows).silentPeer;
            onWindows && *effective.count != 10 && effective.idle && effective.interval)
            notes << tr("Windows before 10 version 1703 fixes the probe count at 10: there a silent "
                        "peer is declared dead after %1.")
                         .arg(duration(*onWindows));
    }
    if (userTimeout)
        notes << tr("macOS has no TCP_USER_TIMEOUT: the user timeout becomes TCP_RXT_CONNDROPTIME, in "
                    "whole seconds; Windows uses TCP_MAXRT, also in seconds.");
    else if (effective.enabled && onLinux)
        notes << tr("Linux sends no keepalive probe while sent data is unacknowledged: without a user "
                    "timeout a peer that vanishes mid-transfer is found only by retransmission give-up.");
    m_kaPlatformNote->setText(notes.join(u'\n'));
    m_kaPlatformNote->setVisible(!notes.isEmpty());
}

void EndpointDialog::setSystemDefaults(const net::SystemDefaults &defaults)
{
    m_systemDefaults = defaults;
    updateKeepaliveBound();
    updateLint();
}

} // namespace kw
