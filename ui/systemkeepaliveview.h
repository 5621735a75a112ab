#pragma once

#include "endpointconfig.h"
#include "systemdefaults.h"

#include <QCoreApplication>
#include <QDialog>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

class QComboBox;
class QLabel;
class QSpinBox;
class QTableWidget;
class QVBoxLayout;

namespace kw {

// An idle timeout of something on the path (a load balancer, a NAT, a firewall) after which it forgets
// a TCP connection. Keepalive must send its first probe before it, or the probe meets a path that no
// longer knows the connection.
struct MiddleboxIdleTimeout
{
    QString name;                 // "AWS Network Load Balancer"
    std::chrono::seconds timeout; // the default
    QString behaviour;            // what happens then, and how far it can be changed
    QString source;               // where the figure comes from
};

class MiddleboxTimeouts
{
    Q_DECLARE_TR_FUNCTIONS(kw::MiddleboxTimeouts) // the context lupdate gives a class in kw

public:
    // AWS NLB 350 s, Azure Load Balancer 4 min, GCP VPC firewall 10 min, GCP Cloud NAT 20 min.
    static QList<MiddleboxIdleTimeout> common();
    // Those an idle time of `idle` outlasts (idle >= timeout), shortest first.
    static QList<MiddleboxIdleTimeout> exceededBy(std::chrono::milliseconds idle);
};

// The operating system's keepalive defaults with where each was read, whether they outlast common
// middlebox idle timeouts, the commands an administrator runs to change them (shown and copied, never
// run), and which workspace endpoints set their own. It takes the defaults as data: the window hands
// in this machine's (net::readSystemDefaults()), a test fixed ones.
class SystemKeepaliveView final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemKeepaliveView)

public:
    SystemKeepaliveView(const net::SystemDefaults &defaults, const QList<EndpointConfig> &endpoints,
                        QWidget *parent = nullptr);
    ~SystemKeepaliveView() override;

    // The middlebox warnings shown (empty when the idle default is below all of them).
    QStringList warnings() const { return m_warnings; }
    // The commands shown for the chosen platform, comment lines ("# ...") included.
    QStringList commands() const { return m_commands; }

private:
    QWidget *buildDefaults();
    QWidget *buildCommands();
    QWidget *buildOverrides(const QList<EndpointConfig> &endpoints);
    void updateCommands();

    net::SystemDefaults m_defaults;
    QStringList m_warnings;
    QStringList m_commands;

    QComboBox *m_platform = nullptr;
    QSpinBox *m_idle = nullptr;
    QSpinBox *m_interval = nullptr;
    QSpinBox *m_count = nullptr;
    QWidget *m_commandList = nullptr;
    QVBoxLayout *m_commandLayout = nullptr;
};

} // namespace kw
