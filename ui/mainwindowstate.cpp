// The window's layout in QSettings: geometry, splitters, the list's header and the log's toggles.
#include "mainwindow.h"

#include "endpointdetails.h"
#include "endpointpanel.h"
#include "eventlogview.h"

#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QTreeView>

namespace kw {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
// Endpoints, devices, reconnects, events; the sizes of earlier versions' two and three panes
// ("verticalSplitter", "leftSplitter") are not restored into four, where they would hide the log.
const QString kVerticalKey = QStringLiteral("mainWindow/leftPanes");
const QString kHorizontalKey = QStringLiteral("mainWindow/horizontalSplitter");
const QString kSideKey = QStringLiteral("mainWindow/sideSplitter");
// The list gained columns (kind, strip, tags): a header saved for the old ones is not restored.
const QString kHeaderKey = QStringLiteral("mainWindow/endpointListHeader");
const QString kOnlySelectedKey = QStringLiteral("mainWindow/eventsOnlySelected");
const QString kShowRttKey = QStringLiteral("mainWindow/eventsShowRtt");
} // namespace

void MainWindow::saveWindowState()
{
    m_settings->setValue(kGeometryKey, saveGeometry());
    m_settings->setValue(kStateKey, saveState());
    m_settings->setValue(kVerticalKey, m_vertical->saveState());
    m_settings->setValue(kHorizontalKey, m_horizontal->saveState());
    m_settings->setValue(kSideKey, m_side->saveState());
    m_settings->setValue(kHeaderKey, m_endpoints->table()->header()->saveState());
    m_settings->setValue(kOnlySelectedKey, m_eventLog->onlySelected());
    m_settings->setValue(kShowRttKey, m_eventLog->showRtt());
    m_settings->sync();
}

void MainWindow::restoreWindowState()
{
    if (const QByteArray geometry = m_settings->value(kGeometryKey).toByteArray(); !geometry.isEmpty())
        restoreGeometry(geometry);
    restoreState(m_settings->value(kStateKey).toByteArray());
    if (!m_vertical->restoreState(m_settings->value(kVerticalKey).toByteArray()))
        m_vertical->setSizes({330, 280, 190, 230});
    if (!m_horizontal->restoreState(m_settings->value(kHorizontalKey).toByteArray()))
        m_horizontal->setSizes({940, 460});
    if (!m_side->restoreState(m_settings->value(kSideKey).toByteArray()))
        m_side->setSizes({m_details->sizeHint().height(), 10'000});
    if (m_endpoints->table()->header()->restoreState(m_settings->value(kHeaderKey).toByteArray()))
        m_endpoints->setAutoSizeColumns(false);
    m_eventLog->setOnlySelected(m_settings->value(kOnlySelectedKey, false).toBool());
    m_eventLog->setShowRtt(m_settings->value(kShowRttKey, true).toBool());
}

} // namespace kw
