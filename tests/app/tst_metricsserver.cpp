// MetricsServer: /metrics rendered on the renderer's own thread while the GUI thread's event loop goes
// on, scrapes that arrive during a render sharing the next one, each render seeing what was queued
// before it and nothing after, a scraper that leaves mid-render skipped, and 404 for anything else.
// Real HTTP over loopback sockets, a real registry.

#include "metricsexposition.h"
#include "metricsrenderer.h"
#include "metricsserver.h"
#include "metricstext.h"

#include <QScopeGuard>
#include <QSemaphore>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

using namespace kw;
using namespace kw::test;

namespace {

SnapshotPtr makeSnapshot(int count, EndpointState firstState = EndpointState::Up)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->taken = now;
    for (int i = 0; i < count; ++i) {
        EndpointSnapshot e;
        e.name = u"ep-%1"_qs.arg(i, 5, 10, QChar(u'0'));
        e.target = u"10.0.%1.%2:7000"_qs.arg(i / 256).arg(i % 256);
        e.state = i == 0 ? firstState : EndpointState::Up;
        e.since = now.addSecs(-60);
        snapshot->endpoints.append(e);
    }
    return snapshot;
}

// One HTTP/1.1 request on its own connection, read to the end of the body its Content-Length names.
class Scrape
{
public:
    Scrape(quint16 port, const QByteArray &requestLine = "GET /metrics HTTP/1.1")
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.write(requestLine + "\r\nHost: 127.0.0.1\r\n\r\n");
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
    }

    bool done() const
    {
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        return end >= 0 && m_received.size() - end - 4 >= contentLength();
    }
    int status() const { return m_received.mid(9, 3).toInt(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : m_received.left(m_received.indexOf("\r\n\r\n")).split('\n')) {
            if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
                return line.mid(name.size() + 1).trimmed();
        }
        return {};
    }
    qsizetype contentLength() const { return header("Content-Length").toLongLong(); }
    QByteArray body() const { return m_received.mid(m_received.indexOf("\r\n\r\n") + 4); }
    void abort() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

int upSeries(const MetricsText &text)
{
    return int(text.seriesStartingWith(u"keepwatch_up{"_qs).size());
}

// Holds the renderer's thread at the start of each render until released; never the GUI thread.
struct RenderGate
{
    QSemaphore open;
    std::atomic<int> started = 0;
    std::atomic<bool> onGuiThread = false;
    std::atomic<bool> hold = true;

    void watch(const MetricsServer &server)
    {
        QObject::connect(
            server.renderer(), &MetricsRenderer::renderStarted, server.renderer(),
            [this](quint64) {
                ++started;
                if (QThread::currentThread() == QCoreApplication::instance()->thread()) {
                    onGuiThread = true; // holding it here would hang the test instead of failing it
                    return;
                }
                if (hold)
                    open.tryAcquire(1, 60000);
            },
            Qt::DirectConnection);
    }
    void releaseAll()
    {
        hold = false;
        open.release(1000);
    }
};

} // namespace

class TestMetricsServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rendersOffTheGuiThread();
    void scrapesDuringARenderShareTheNext();
    void aScraperThatLeavesMidRenderIsSkipped();
    void anythingElseIsNotFound_data();
    void anythingElseIsNotFound();
};

void TestMetricsServer::rendersOffTheGuiThread()
{
    MetricsServer server(u"test"_qs);
    RenderGate gate;
    gate.watch(server);
    const auto release = qScopeGuard([&] { gate.releaseAll(); });
    QString error;
    QVERIFY2(server.listen(MetricsAddress{}, &error), qPrintable(error));
    server.addSnapshot(makeSnapshot(2000));

    Scrape scrape(quint16(server.url().section(u':', 2).section(u'/', 0, 0).toUInt()));
    QTRY_COMPARE(gate.started.load(), 1);
    QVERIFY(!gate.onGuiThread);
    // The render is in progress (held at its start on the renderer's thread): the GUI thread's event
    // loop still runs queued calls and timers.
    bool ran = false;
    QMetaObject::invokeMethod(
        this, [&ran] { ran = true; }, Qt::QueuedConnection);
    QTRY_VERIFY(ran);
    bool fired = false;
    QTimer::singleShot(1, this, [&fired] { fired = true; });
    QTRY_VERIFY(fired);
    QVERIFY(!scrape.done());

    gate.releaseAll();
    QTRY_VERIFY_WITH_TIMEOUT(scrape.done(), 30000);
    QCOMPARE(scrape.status(), 200);
    QCOMPARE(scrape.header("Content-Type"), QByteArray(MetricsExposition::kContentType));
    QCOMPARE(scrape.body().size(), scrape.contentLength());
    const MetricsText text = MetricsText::parse(scrape.body());
    QCOMPARE(upSeries(text), 2000);
    QCOMPARE(text.typeNames.last(), u"keepwatch_mqtt_devices"_qs); // the whole text, to its last family
}

void TestMetricsServer::scrapesDuringARenderShareTheNext()
{
    MetricsServer server(u"test"_qs);
    RenderGate gate;
    gate.watch(server);
    const auto release = qScopeGuard([&] { gate.releaseAll(); });
    QString error;
    QVERIFY2(server.listen(MetricsAddress{}, &error), qPrintable(error));
    const quint16 port = quint16(server.url().section(u':', 2).section(u'/', 0, 0).toUInt());
    server.addSnapshot(makeSnapshot(500));

    Scrape first(port);
    QTRY_COMPARE(gate.started.load(), 1);
    // ep-00000 goes down while the first render runs: that render was asked before, the next after.
    server.addSnapshot(makeSnapshot(500, EndpointState::Down));
    std::vector<std::unique_ptr<Scrape>> later;
    for (int i = 0; i < 7; ++i)
        later.push_back(std::make_unique<Scrape>(port));
    QTRY_COMPARE(server.pendingScrapes(), 8);
    gate.releaseAll();

    QTRY_VERIFY_WITH_TIMEOUT(first.done(), 30000);
    for (const auto &scrape : later)
        QTRY_VERIFY_WITH_TIMEOUT(scrape->done(), 30000);
    QCOMPARE(gate.started.load(), 2); // one render for the seven that came during the first
    const MetricsText before = MetricsText::parse(first.body());
    QCOMPARE(upSeries(before), 500);
    const QString ep0 = u"keepwatch_up{endpoint=\"ep-00000\",kind=\"tcp\",target=\"10.0.0.0:7000\"}"_qs;
    QCOMPARE(before.value(ep0), std::optional<double>(1));
    for (const auto &scrape : later) {
        QCOMPARE(scrape->status(), 200);
        QCOMPARE(scrape->body().size(), scrape->contentLength());
        QCOMPARE(scrape->body(), later.front()->body());
    }
    const MetricsText after = MetricsText::parse(later.front()->body());
    QCOMPARE(upSeries(after), 500);
    QCOMPARE(after.value(ep0), std::optional<double>(0));
}

void TestMetricsServer::aScraperThatLeavesMidRenderIsSkipped()
{
    MetricsServer server(u"test"_qs);
    RenderGate gate;
    gate.watch(server);
    const auto release = qScopeGuard([&] { gate.releaseAll(); });
    QString error;
    QVERIFY2(server.listen(MetricsAddress{}, &error), qPrintable(error));
    const quint16 port = quint16(server.url().section(u':', 2).section(u'/', 0, 0).toUInt());
    server.addSnapshot(makeSnapshot(100));

    Scrape leaving(port);
    QTRY_COMPARE(gate.started.load(), 1);
    Scrape staying(port);
    QTRY_COMPARE(server.pendingScrapes(), 2);
    leaving.abort();
    // The server deletes the socket of a connection that closed; the render's answer skips it.
    QTRY_COMPARE(server.pendingScrapes(), 1);
    gate.releaseAll();
    QTRY_VERIFY_WITH_TIMEOUT(staying.done(), 30000);
    QCOMPARE(upSeries(MetricsText::parse(staying.body())), 100);

    Scrape again(port);
    QTRY_VERIFY_WITH_TIMEOUT(again.done(), 30000);
    QCOMPARE(again.status(), 200);
    QCOMPARE(upSeries(MetricsText::parse(again.body())), 100);
}

void TestMetricsServer::anythingElseIsNotFound_data()
{
    QTest::addColumn<QByteArray>("requestLine");
    QTest::newRow("another path") << QByteArray("GET /other HTTP/1.1");
    QTest::newRow("the root") << QByteArray("GET / HTTP/1.1");
    QTest::newRow("POST") << QByteArray("POST /metrics HTTP/1.1");
}

void TestMetricsServer::anythingElseIsNotFound()
{
    QFETCH(QByteArray, requestLine);
    MetricsServer server(u"test"_qs);
    QString error;
    QVERIFY2(server.listen(MetricsAddress{}, &error), qPrintable(error));
    Scrape scrape(quint16(server.url().section(u':', 2).section(u'/', 0, 0).toUInt()), requestLine);
    QTRY_VERIFY(scrape.done());
    QCOMPARE(scrape.status(), 404);
}

QTEST_GUILESS_MAIN(TestMetricsServer)
#include "tst_metricsserver.moc"
