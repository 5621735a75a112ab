// The WebSocket tab of the endpoint dialog: the ping cadence that detects a dead server, the offered
// subprotocols and extra request headers. The URL itself is on the General tab.

#include "endpointdialog.h"

#include "endpointdialogfields.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace kw {

using namespace dialogfields;

namespace {
const WebSocketConfig kWebSocketDefaults;

double secondsOf(std::chrono::milliseconds value)
{
    return double(value.count()) / 1000.0;
}

QDoubleSpinBox *secondsSpin(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 86400);
    box->setDecimals(3);
    box->setSuffix(QCoreApplication::translate("kw::EndpointDialog", " s"));
    return box;
}
} // namespace

QWidget *EndpointDialog::buildWebSocketTab()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_wsPingInterval =
        named(secondsSpin(page), QStringLiteral("websocketPingInterval"), tr("WebSocket ping interval"));
    m_wsPingInterval->setToolTip(tr("A ping frame this often; each pong's delay is an RTT sample "
                                    "(source ws-ping)."));
    m_wsPongTimeout =
        named(secondsSpin(page), QStringLiteral("websocketPongTimeout"), tr("WebSocket pong timeout"));
    m_wsPongTimeout->setToolTip(tr("No pong this long after a ping: Down with cause ws-pong-timeout. "
                                   "Suspect once half of it has passed. A dead server is found within "
                                   "ping interval + pong timeout."));
    m_wsSubprotocols =
        named(new QLineEdit(page), QStringLiteral("websocketSubprotocols"), tr("WebSocket subprotocols"));
    m_wsSubprotocols->setPlaceholderText(tr("e.g. graphql-ws (separated by spaces or commas)"));
    m_wsSubprotocols->setToolTip(tr("Offered in Sec-WebSocket-Protocol; the server must pick one of them "
                                    "or none."));
    m_wsHeaders = named(new QTableWidget(0, HeaderColumnCount, page), QStringLiteral("websocketHeaders"),
                        tr("Extra request headers"));
    m_wsHeaders->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_wsHeaders->setToolTip(tr("Extra request headers such as Authorization or Cookie. No CR or LF; Host, "
                               "Upgrade, Connection and Sec-WebSocket-* cannot be overridden. They are "
                               "saved in the workspace file as written."));
    m_wsHeaders->horizontalHeader()->setSectionResizeMode(HeaderValue, QHeaderView::Stretch);
    m_wsHeaders->verticalHeader()->hide();
    m_wsHeaders->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_wsHeaders->setMinimumHeight(m_wsHeaders->fontMetrics().lineSpacing() * 5);
    auto *add = named(new QPushButton(tr("Add header"), page), QStringLiteral("websocketHeaderAdd"),
                      tr("Add header"));
    auto *remove = named(new QPushButton(tr("Remove"), page), QStringLiteral("websocketHeaderRemove"),
                         tr("Remove header"));
    add->setAutoDefault(false);
    remove->setAutoDefault(false);
    connect(add, &QPushButton::clicked, this, [this] {
        addHeaderRow(QStringLiteral("Authorization"), QString());
        validate();
        m_wsHeaders->setCurrentCell(m_wsHeaders->rowCount() - 1, HeaderValue);
        m_wsHeaders->editItem(m_wsHeaders->currentItem());
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_wsHeaders->currentRow() >= 0) {
            m_wsHeaders->removeRow(m_wsHeaders->currentRow());
            validate();
        }
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *headers = new QVBoxLayout;
    headers->addWidget(m_wsHeaders);
    headers->addLayout(buttons);
    auto *secretNote = new QLabel(tr("Header values are stored in the workspace file in plain text."), page);
    secretNote->setWordWrap(true);

    form->addRow(tr("&Ping every:"), m_wsPingInterval);
    form->addRow(tr("Pong &timeout:"), m_wsPongTimeout);
    form->addRow(tr("&Subprotocols:"), m_wsSubprotocols);
    form->addRow(tr("&Headers:"), headers);
    form->addRow(QString(), secretNote);
    return page;
}

void EndpointDialog::addHeaderRow(const QString &name, const QString &value)
{
    const QSignalBlocker blocker(m_wsHeaders);
    const int row = m_wsHeaders->rowCount();
    m_wsHeaders->insertRow(row);
    m_wsHeaders->setItem(row, HeaderName, new QTableWidgetItem(name));
    m_wsHeaders->setItem(row, HeaderValue, new QTableWidgetItem(value));
}

void EndpointDialog::loadWebSocket(const EndpointConfig &c)
{
    const WebSocketConfig &ws = c.websocket;
    m_wsPingInterval->setValue(secondsOf(ws.pingInterval));
    m_wsPongTimeout->setValue(secondsOf(ws.pongTimeout));
    m_wsSubprotocols->setText(ws.subprotocols.join(u' '));
    m_wsHeaders->setRowCount(0);
    for (const auto &[name, value] : ws.headers)
        addHeaderRow(name, value);
}

QJsonObject EndpointDialog::webSocketJson() const
{
    QJsonObject o = m_raw.value(QStringLiteral("websocket")).toObject();
    putUnlessDefault(o, QStringLiteral("ping_interval_s"), m_wsPingInterval->value(),
                     secondsOf(kWebSocketDefaults.pingInterval));
    putUnlessDefault(o, QStringLiteral("pong_timeout_s"), m_wsPongTimeout->value(),
                     secondsOf(kWebSocketDefaults.pongTimeout));
    const QStringList subprotocols = splitWords(m_wsSubprotocols->text());
    putOrRemove(o, QStringLiteral("subprotocols"), !subprotocols.isEmpty(),
                QJsonArray::fromStringList(subprotocols));
    QJsonObject headers;
    for (int row = 0; row < m_wsHeaders->rowCount(); ++row) {
        const QString name = m_wsHeaders->item(row, HeaderName)->text().trimmed();
        if (!name.isEmpty() || !m_wsHeaders->item(row, HeaderValue)->text().isEmpty())
            headers.insert(name, m_wsHeaders->item(row, HeaderValue)->text());
    }
    putOrRemove(o, QStringLiteral("headers"), !headers.isEmpty(), headers);
    return o;
}

} // namespace kw
