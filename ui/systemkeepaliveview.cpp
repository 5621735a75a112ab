#include "systemkeepaliveview.h"

#include "detectionbound.h"
#include "statestyle.h"
#include "timeformat.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace kw {

namespace {
using std::chrono::milliseconds;
using std::chrono::seconds;

// The values the commands propose at first: the endpoint dialog's "Behind NAT / load balancer" preset,
// whose 60 s idle is below every timeout of MiddleboxTimeouts::common().
constexpr int kProposedIdle = 60;
constexpr int kProposedInterval = 10;
constexpr int kProposedCount = 6;

template<typename Widget>
Widget *named(Widget *widget, const QString &objectName, const QString &accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
    return widget;
}

QLabel *wrapping(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// "4 min", "350 s", "2 h": the figures as the providers' documentation gives them.
QString compact(milliseconds value)
{
    const qint64 ms = value.count();
    if (ms > 0 && ms % 3'600'000 == 0)
        return SystemKeepaliveView::tr("%1 h").arg(ms / 3'600'000);
    if (ms > 0 && ms % 60'000 == 0 && ms < 3'600'000 * 2)
        return SystemKeepaliveView::tr("%1 min").arg(ms / 60'000);
    if (ms % 1000 == 0 && ms < 600'000)
        return SystemKeepaliveView::tr("%1 s").arg(ms / 1000);
    return TimeFormat::duration(value);
}

QTableWidgetItem *cell(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text);
    return item;
}
} // namespace

QList<MiddleboxIdleTimeout> MiddleboxTimeouts::common()
{
    return {
        {tr("Azure Load Balancer"), seconds(240),
         tr("drops the flow silently (no reset unless \"TCP reset on idle\" is on); 4 to 100 min"),
         tr("Azure Load Balancer documentation, \"Configure TCP reset and idle timeout\"")},
        {tr("AWS Network Load Balancer"), seconds(350), tr("TCP listeners, 60 to 6000 s"),
         tr("AWS Elastic Load Balancing documentation, \"Network Load Balancers: connection idle timeout\"")},
        {tr("GCP VPC firewall"), seconds(600), tr("stops tracking an idle connection"),
         tr("Google Cloud VPC documentation, \"Firewall rules: connection tracking\"")},
        {tr("GCP Cloud NAT"), seconds(1200), tr("established TCP mappings, adjustable"),
         tr("Google Cloud NAT documentation, \"NAT timeouts: TCP established connection idle timeout\"")},
    };
}

QList<MiddleboxIdleTimeout> MiddleboxTimeouts::exceededBy(milliseconds idle)
{
    QList<MiddleboxIdleTimeout> out;
    for (const MiddleboxIdleTimeout &m : common()) {
        if (idle >= m.timeout)
            out.append(m);
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.timeout < b.timeout; });
    return out;
}

SystemKeepaliveView::SystemKeepaliveView(const net::SystemDefaults &defaults,
                                         const QList<EndpointConfig> &endpoints, QWidget *parent)
    : QDialog(parent), m_defaults(defaults)
{
    setObjectName(QStringLiteral("systemKeepaliveView"));
    setWindowTitle(tr("System keepalive"));
    setAccessibleName(windowTitle());
    resize(860, 600);

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(buildDefaults());
    column->addWidget(buildCommands());
    column->addWidget(buildOverrides(endpoints));
    column->addStretch(1);
    // Scrolls rather than cuts off on a small screen.
    auto *scroll = named(new QScrollArea(this), QStringLiteral("systemKeepaliveScroll"), windowTitle());
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // text wraps instead

    auto *buttons = named(new QDialogButtonBox(QDialogButtonBox::Close, this),
                          QStringLiteral("systemKeepaliveButtons"), tr("Dialog buttons"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll);
    layout->addWidget(buttons);
    updateCommands();
}

SystemKeepaliveView::~SystemKeepaliveView() = default;

QWidget *SystemKeepaliveView::buildDefaults()
{
    auto *box =
        named(new QGroupBox(tr("Defaults on %1").arg(QString::fromStdString(m_defaults.platform)), this),
              QStringLiteral("systemDefaultsGroup"), tr("System defaults"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(wrapping(tr("They apply to a socket that turns keepalive on without its own timings. "
                                  "Keepwatch sets the timings per socket where the workspace asks (see "
                                  "below); these are what everything else on this machine gets."),
                               box));

    struct Row
    {
        QString label;
        const net::SourcedValue *value;
    };
    const QList<Row> rows{
        {tr("Keepalive idle"), &m_defaults.keepaliveTime},
        {tr("Probe interval"), &m_defaults.keepaliveInterval},
        {tr("Probe count"), &m_defaults.keepaliveProbes},
        {tr("Retransmissions before giving up"), &m_defaults.retransmitGiveUp},
        {tr("Connection tracking (established)"), &m_defaults.conntrackEstablished},
    };
    auto *table = named(new QTableWidget(0, 3, box), QStringLiteral("systemDefaultsTable"),
                        tr("System keepalive defaults"));
    table->setHorizontalHeaderLabels({tr("Setting"), tr("Value"), tr("Source")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    table->setWordWrap(false);
    for (const Row &row : rows) {
        const net::SourcedValue &v = *row.value;
        if (!v.value && v.source.empty())
            continue;
        QString value = tr("unknown");
        if (v.value) {
            value = QString::number(*v.value);
            if (!v.unit.empty())
                value += u' ' + QString::fromStdString(v.unit);
            if (const auto d = v.duration(); d && *d >= std::chrono::minutes(10))
                value += tr(" (%1)").arg(compact(*d));
            if (v.isOsDefault)
                value += tr(", OS default");
        }
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0, cell(row.label));
        table->setItem(r, 1, cell(value));
        table->setItem(r, 2, cell(QString::fromStdString(v.source)));
    }
    table->resizeRowsToContents();
    int rowsHeight = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        rowsHeight += table->rowHeight(r);
    table->setFixedHeight(table->horizontalHeader()->sizeHint().height() + rowsHeight +
                          2 * table->frameWidth());
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(table);

    // What the defaults mean for a socket that turns keepalive on and sets nothing else: the engine's
    // own arithmetic (net::detectionBound).
    net::EffectiveKeepalive on;
    on.enabled = true;
    const net::DetectionBound bound = net::detectionBound(on, m_defaults);
    if (bound.silentPeer) {
        layout->addWidget(
            named(wrapping(tr("With these defaults a silent peer is declared dead after %1; "
                              "unacknowledged data is abandoned after about %2.")
                               .arg(compact(*bound.silentPeer),
                                    bound.unackedData ? compact(*bound.unackedData) : tr("an unknown time")),
                           box),
                  QStringLiteral("systemDefaultsBound"), tr("Detection bound")));
    }

    const std::optional<milliseconds> idle = m_defaults.keepaliveTime.duration();
    const bool dark = StateStyle::isDark(palette());
    if (idle) {
        const QList<MiddleboxIdleTimeout> exceeded = MiddleboxTimeouts::exceededBy(*idle);
        for (const MiddleboxIdleTimeout &m : exceeded)
            m_warnings << tr("%1: forgets an idle connection after %2 (%3).")
                              .arg(m.name, compact(m.timeout), m.behaviour);
        if (const auto conntrack = m_defaults.conntrackEstablished.duration();
            conntrack && *idle >= *conntrack)
            m_warnings << tr("This machine's connection tracking forgets an idle connection after %1 "
                             "(nf_conntrack_tcp_timeout_established).")
                              .arg(compact(*conntrack));
    }
    auto *warning = named(new QLabel(box), QStringLiteral("systemDefaultsWarning"), tr("Middlebox warning"));
    warning->setWordWrap(true);
    warning->setTextFormat(Qt::PlainText);
    QPalette p = warning->palette();
    if (!m_warnings.isEmpty()) {
        warning->setText(tr("⚠ The idle default of %1 is longer than what these keep an idle connection "
                            "for; a path through them forgets the connection before the first probe, "
                            "and the peer's death is noticed only when data is sent:\n• %2")
                             .arg(compact(*idle), m_warnings.join(QStringLiteral("\n• "))));
        p.setColor(QPalette::WindowText, StateStyle::color(EndpointState::Down, dark));
    } else if (idle) {
        warning->setText(tr("The idle default of %1 is below the common middlebox idle timeouts (the "
                            "shortest, Azure Load Balancer, is 4 min).")
                             .arg(compact(*idle)));
        p.setColor(QPalette::WindowText, StateStyle::color(EndpointState::Up, dark));
    }
    warning->setPalette(p);
    layout->addWidget(warning);
    QStringList sources;
    for (const MiddleboxIdleTimeout &m : MiddleboxTimeouts::common())
        sources << tr("%1 %2: %3").arg(m.name, compact(m.timeout), m.source);
    auto *where =
        named(wrapping(tr("Idle timeouts are the providers' defaults, from their documentation: %1.")
                           .arg(sources.join(QStringLiteral("; "))),
                       box),
              QStringLiteral("systemDefaultsSources"), tr("Sources of the idle timeouts"));
    layout->addWidget(where);
    return box;
}

QWidget *SystemKeepaliveView::buildCommands()
{
    auto *box = named(new QGroupBox(tr("Change the defaults"), this), QStringLiteral("systemCommandsGroup"),
                      tr("Commands to change the defaults"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(wrapping(tr("Run as an administrator. Keepwatch only shows these commands; it never "
                                  "runs them. Its own endpoints do not need them: set keepalive per "
                                  "endpoint instead."),
                               box));
    auto *form = new QFormLayout;
    m_platform = named(new QComboBox(box), QStringLiteral("systemCommandsPlatform"), tr("Platform"));
    for (const char *platform : {net::kPlatformLinux, net::kPlatformWindows, net::kPlatformMacOs})
        m_platform->addItem(QString::fromLatin1(platform), QString::fromLatin1(platform));
    m_platform->setCurrentIndex(
        std::max(0, m_platform->findData(QString::fromStdString(m_defaults.platform))));
    m_platform->setToolTip(tr("The commands differ by system: sysctl on Linux and macOS (milliseconds on "
                              "macOS), the registry on Windows."));
    const auto spin = [box](int min, int max, int value, const QString &suffix) {
        auto *s = new QSpinBox(box);
        s->setRange(min, max);
        s->setValue(value);
        s->setSuffix(suffix);
        return s;
    };
    using Field = net::TcpKeepaliveIssue::Field;
    const auto range = [](Field f) { return net::tcpKeepaliveRange(f); };
    m_idle = named(spin(int(range(Field::Idle).min), int(range(Field::Idle).max), kProposedIdle, tr(" s")),
                   QStringLiteral("systemCommandsIdle"), tr("Idle"));
    m_idle->setToolTip(tr("Keep it below the shortest idle timeout on your paths; 60 s is below all of "
                          "those listed above."));
    m_interval = named(
        spin(int(range(Field::Interval).min), int(range(Field::Interval).max), kProposedInterval, tr(" s")),
        QStringLiteral("systemCommandsInterval"), tr("Interval"));
    m_interval->setToolTip(tr("Seconds between unanswered probes."));
    m_count = named(spin(int(range(Field::Count).min), int(range(Field::Count).max), kProposedCount, {}),
                    QStringLiteral("systemCommandsCount"), tr("Probe count"));
    m_count->setToolTip(tr("Unanswered probes before the connection is dead; fixed at 10 on Windows."));
    form->addRow(tr("&System:"), m_platform);
    form->addRow(tr("&Idle:"), m_idle);
    form->addRow(tr("I&nterval:"), m_interval);
    form->addRow(tr("&Probes:"), m_count);
    layout->addLayout(form);
    m_commandList = named(new QWidget(box), QStringLiteral("systemCommandsList"), tr("Commands"));
    m_commandLayout = new QVBoxLayout(m_commandList);
    m_commandLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_commandList);
    connect(m_platform, &QComboBox::currentIndexChanged, this, &SystemKeepaliveView::updateCommands);
    for (QSpinBox *s : {m_idle, m_interval, m_count})
        connect(s, &QSpinBox::valueChanged, this, &SystemKeepaliveView::updateCommands);
    return box;
}

void SystemKeepaliveView::updateCommands()
{
    net::TcpKeepaliveSettings wanted;
    wanted.idle = seconds(m_idle->value());
    wanted.interval = seconds(m_interval->value());
    wanted.count = m_count->value();
    // On this machine a command for a value already in force is left out; for another system every
    // value is shown, since its current values are unknown here.
    const std::string platform = m_platform->currentData().toString().toStdString();
    net::SystemDefaults target;
    target.platform = platform;
    const std::vector<std::string> lines =
        net::adminCommands(wanted, platform == m_defaults.platform ? m_defaults : target);

    while (QLayoutItem *item = m_commandLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_commands.clear();
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    int n = 0;
    for (const std::string &line : lines) {
        const QString text = QString::fromStdString(line);
        m_commands << text;
        if (text.startsWith(u'#')) {
            auto *note = wrapping(text.mid(1).trimmed(), m_commandList);
            m_commandLayout->addWidget(note);
            continue;
        }
        auto *row = new QWidget(m_commandList);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        auto *edit = named(new QLineEdit(text, row), QStringLiteral("systemCommand%1").arg(n),
                           tr("Command %1").arg(n + 1));
        edit->setReadOnly(true);
        edit->setFont(fixed);
        edit->setCursorPosition(0);
        edit->setToolTip(text);
        auto *copy = named(new QPushButton(tr("Copy"), row), QStringLiteral("systemCommandCopy%1").arg(n),
                           tr("Copy command %1").arg(n + 1));
        copy->setToolTip(tr("Copy this command to the clipboard"));
        copy->setAutoDefault(false);
        connect(copy, &QPushButton::clicked, this, [text] { QApplication::clipboard()->setText(text); });
        h->addWidget(edit, 1);
        h->addWidget(copy);
        m_commandLayout->addWidget(row);
        ++n;
    }
    if (lines.empty())
        m_commandLayout->addWidget(wrapping(tr("The defaults already have these values."), m_commandList));
}

QWidget *SystemKeepaliveView::buildOverrides(const QList<EndpointConfig> &endpoints)
{
    auto *box = named(new QGroupBox(tr("Workspace endpoints"), this), QStringLiteral("systemOverridesGroup"),
                      tr("Workspace endpoints and the defaults"));
    auto *layout = new QVBoxLayout(box);
    auto *table = named(new QTableWidget(0, 3, box), QStringLiteral("systemOverridesTable"),
                        tr("Endpoints that set their own keepalive"));
    table->setHorizontalHeaderLabels({tr("Endpoint"), tr("Sets"), tr("From the system")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    int off = 0;
    for (const EndpointConfig &e : endpoints) {
        const net::TcpKeepaliveSettings k = e.keepalive.normalized();
        QStringList sets;
        QStringList inherited;
        if (k.idle)
            sets << tr("idle %1 s").arg(k.idle->count());
        else
            inherited << tr("idle");
        if (k.interval)
            sets << tr("interval %1 s").arg(k.interval->count());
        else
            inherited << tr("interval");
        if (k.count)
            sets << (*k.count == 1 ? tr("1 probe") : tr("%1 probes").arg(*k.count));
        else
            inherited << tr("probe count");
        if (k.userTimeout)
            sets << tr("user timeout %1 ms").arg(k.userTimeout->count());
        if (!k.enabled.value_or(false)) {
            ++off;
            continue; // keepalive off: the defaults do not apply to it
        }
        const int r = table->rowCount();
        table->insertRow(r);
        table->setItem(r, 0, cell(e.name));
        table->setItem(
            r, 1, cell(sets.isEmpty() ? tr("keepalive on, no timings") : sets.join(QStringLiteral(", "))));
        table->setItem(r, 2,
                       cell(inherited.isEmpty() ? tr("nothing: overrides every default")
                                                : inherited.join(QStringLiteral(", "))));
    }
    table->setMinimumHeight(table->horizontalHeader()->sizeHint().height() +
                            table->verticalHeader()->defaultSectionSize() * std::min(table->rowCount(), 8) +
                            4);
    layout->addWidget(table);
    table->setVisible(table->rowCount() > 0);
    const int on = table->rowCount();
    QString summary = on == 0   ? tr("No endpoint turns keepalive on.")
                      : on == 1 ? tr("1 endpoint turns keepalive on.")
                                : tr("%1 endpoints turn keepalive on.").arg(on);
    if (off > 0)
        summary += u' ' +
                   (off == 1 ? tr("1 endpoint leaves keepalive off")
                             : tr("%1 endpoints leave keepalive off").arg(off)) +
                   tr(": TCP alone never notices a peer going silent; only a heartbeat, a WebSocket ping or "
                      "an MQTT ping does.");
    layout->addWidget(
        named(wrapping(summary, box), QStringLiteral("systemOverridesSummary"), tr("Endpoints summary")));
    return box;
}

} // namespace kw
