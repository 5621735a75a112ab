#pragma once

#include "endpointconfig.h"
#include "middleboxtimeouts.h"
#include "systemdefaults.h"

#include <QDialog>
#include <QJsonObject>
#include <QPalette>
#include <QStringList>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace kw {

struct Workspace;

// Adds or edits an endpoint of any kind (tcp, listen, websocket, mqtt) with every workspace field. The
// fields are turned into the workspace JSON object and validated by kw::parseEndpoint, the same check a
// workspace file gets, so the dialog can never accept what the loader would refuse. Errors
// are listed in words under the tabs and OK stays disabled until they are
// fixed. Editing starts from the endpoint's raw JSON: keys this version does
// not know survive the edit.
class EndpointDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointDialog)

public:
    // `existing` null: add a new endpoint. `takenNames`: names already used by
    // other endpoints of the workspace (not the one being edited).
    EndpointDialog(const EndpointConfig *existing, const QStringList &takenNames, QWidget *parent = nullptr);
    ~EndpointDialog() override;

    bool isValid() const { return m_errors.isEmpty(); }
    QStringList errors() const { return m_errors; }
    // The endpoint object the fields describe, unknown keys included.
    QJsonObject json() const;
    // The validated endpoint; empty while the fields are invalid.
    std::optional<EndpointConfig> config() const { return m_config; }
    // The defaults the detection-bound sentence fills unset keepalive fields with; the constructor
    // reads this machine's (net::readSystemDefaults(), a few /proc or registry reads).
    void setSystemDefaults(const net::SystemDefaults &defaults);
    // The workspace the endpoint belongs to, for the lint shown under the errors (endpointdialoglint.cpp):
    // its "path" hint and the other endpoints, which share a host's heartbeat budget with this one.
    void setWorkspace(const Workspace &workspace);
    // The keepalive and heartbeat lint's findings for the fields as they are (kw::lintEndpoint and the
    // floods this endpoint is part of); empty while the fields are invalid. Never blocks OK.
    QStringList lintWarnings() const { return m_lintWarnings; }

private:
    QWidget *buildGeneralTab();
    QWidget *buildKeepaliveTab();
    QWidget *buildReconnectTab();
    QWidget *buildHeartbeatTab();
    QWidget *buildIdleTab();
    QWidget *buildTlsTab();
    QWidget *buildWebSocketTab();
    QWidget *buildMqttTab();
    void setKind(const QString &kind);
    void applyPreset(int preset);
    void updateKeepaliveBound();
    void updateLint();
    void loadPath();                    // the "path" of m_raw into m_kaPath (endpointdialoglint.cpp)
    void putPath(QJsonObject &o) const; // m_kaPath into the endpoint's "path"
    void updateTlsState();
    void loadKeepalive(const net::TcpKeepaliveSettings &keepalive);
    void loadTls(const EndpointConfig &config);
    void loadWebSocket(const EndpointConfig &config);
    void loadMqtt(const MqttConfig &config);
    QJsonObject keepaliveJson() const;
    std::optional<QJsonObject> tlsJson() const; // nullopt: no "tls" key
    QJsonObject webSocketJson() const;
    void addHeaderRow(const QString &name, const QString &value);
    void transportChanged();
    void addWatchRow(const MqttWatchConfig &watch, const QJsonObject &raw);
    QJsonObject mqttJson() const;
    void load(const EndpointConfig &config);
    void validate();
    QString describeError(const QString &message, int *tab) const;
    bool tlsImpliedByKind() const; // a wss:// URL or MQTT transport tls/wss turns TLS on
    template<typename Widget>
    Widget *named(Widget *widget, const QString &objectName, const QString &accessibleName);

    QJsonObject m_raw;
    QStringList m_takenNames;
    QStringList m_errors;
    std::optional<EndpointConfig> m_config;
    QString m_kind = QStringLiteral("tcp");
    // A new endpoint's empty form is not an error yet: until the first edit
    // the dialog shows what to fill in instead of a list of problems.
    bool m_pristine = false;
    QPalette m_errorPalette;
    net::SystemDefaults m_systemDefaults;
    QStringList m_tabTitles;

    QTabWidget *m_tabs = nullptr;
    QLabel *m_errorLabel = nullptr;
    QLabel *m_lintLabel = nullptr;
    QStringList m_lintWarnings;
    QList<EndpointConfig> m_lintOthers; // the workspace's other endpoints
    std::optional<PathHint> m_lintPath; // the workspace's "path"
    QString m_originalName;             // the endpoint being edited, left out of m_lintOthers
    QDialogButtonBox *m_buttons = nullptr;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_host = nullptr; // kind listen: the bind address
    QSpinBox *m_port = nullptr;
    QLineEdit *m_url = nullptr; // kind websocket
    QLineEdit *m_tags = nullptr;
    QCheckBox *m_enabled = nullptr;
    QComboBox *m_kindBox = nullptr;
    bool m_portTyped = false; // once the user types a port, the transport no longer sets it
    bool m_settingPort = false;

    QComboBox *m_kaEnabled = nullptr;
    QSpinBox *m_kaIdle = nullptr;
    QSpinBox *m_kaInterval = nullptr;
    QSpinBox *m_kaCount = nullptr;
    QSpinBox *m_kaUserTimeout = nullptr;
    QLabel *m_kaBound = nullptr;
    QLabel *m_kaPlatformNote = nullptr;
    QComboBox *m_kaPath = nullptr; // the endpoint's "path": what middlebox the lint checks against
    // Out-of-range keepalive values of the endpoint being edited, which the spin boxes cannot show:
    // written to the JSON as they are, so the validator reports them, until that field is edited.
    net::TcpKeepaliveSettings m_keepaliveUnshown;

    QSpinBox *m_rcInitial = nullptr;
    QSpinBox *m_rcMax = nullptr;
    QDoubleSpinBox *m_rcMultiplier = nullptr;
    QDoubleSpinBox *m_rcJitter = nullptr;
    QSpinBox *m_rcMinConnectTimeout = nullptr;

    QGroupBox *m_hbGroup = nullptr;
    QDoubleSpinBox *m_hbInterval = nullptr;
    QLineEdit *m_hbSend = nullptr;
    QLineEdit *m_hbExpect = nullptr;
    QSpinBox *m_hbMisses = nullptr;
    QSpinBox *m_hbTimeout = nullptr;

    QSpinBox *m_idleReader = nullptr;
    QSpinBox *m_idleWriter = nullptr;
    QSpinBox *m_idleAll = nullptr;
    QComboBox *m_idleAction = nullptr;

    QGroupBox *m_tlsGroup = nullptr;
    bool m_tlsChosen = false; // kind tcp's TLS choice while another kind is shown
    QLabel *m_tlsNote = nullptr;
    QLineEdit *m_tlsCaFile = nullptr;
    QLineEdit *m_tlsCertFile = nullptr;
    QLineEdit *m_tlsKeyFile = nullptr;
    QLineEdit *m_tlsPeerName = nullptr;
    QCheckBox *m_tlsInsecure = nullptr;
    QLineEdit *m_tlsAlpn = nullptr;
    QSpinBox *m_tlsWarnExpiryDays = nullptr;

    QDoubleSpinBox *m_wsPingInterval = nullptr;
    QDoubleSpinBox *m_wsPongTimeout = nullptr;
    QLineEdit *m_wsSubprotocols = nullptr;
    QTableWidget *m_wsHeaders = nullptr;

    QComboBox *m_mqttTransport = nullptr;
    QComboBox *m_mqttVersion = nullptr;
    QSpinBox *m_mqttKeepAlive = nullptr;
    QDoubleSpinBox *m_mqttPingTimeout = nullptr;
    QLineEdit *m_mqttClientId = nullptr;
    QLineEdit *m_mqttUsername = nullptr;
    QLineEdit *m_mqttPasswordEnv = nullptr;
    QCheckBox *m_mqttCleanStart = nullptr;
    QLineEdit *m_mqttPath = nullptr;
    QDoubleSpinBox *m_mqttSessionExpiry = nullptr;
    QGroupBox *m_mqttWill = nullptr;
    QLineEdit *m_mqttWillTopic = nullptr;
    QLineEdit *m_mqttWillPayload = nullptr;
    QComboBox *m_mqttWillQos = nullptr;
    QCheckBox *m_mqttWillRetain = nullptr;
    QTableWidget *m_mqttWatch = nullptr;
};

} // namespace kw
